"""The public pages of the Ideenpool: the list with filters and sorting, the idea page with its
support box and timeline, supporting and withdrawing, the idea form and the similar-ideas lookup."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from participation.contributions.models import Idea, Support
from participation.ideas.constants import Stage
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_hide, idea_support, stage_change
from portal.accounts.models import TrustLevel
from portal.tickets.models import Ticket, TicketEvent
from tests.factories import DistrictFactory, UserFactory
from tests.participation.factories import field_of_action, project

from .factories import citizen, citizens, submitted_idea

pytestmark = pytest.mark.django_db

LIST = "/ideenpool/"
SUBMIT = "/ideenpool/neu/"
SIMILAR = "/ideenpool/aehnlich/"
START = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def schwerte_rule(settings):
    settings.IDEAS_QUORUM_SUPPORTS = 75
    settings.IDEAS_SUPPORT_WEEKS = 6


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def unconfirmed():
    return UserFactory(trust_level=TrustLevel.NEW, confirmed=False)


def html(response) -> str:
    return response.content.decode()


def titles(response) -> list[str]:
    return re.findall(r'class="card__title"[^>]*><a href="[^"]+">([^<]+)</a>', html(response))


def detail_url(idea) -> str:
    return f"/ideenpool/{idea.pk}/"


def set_supports(idea, count: int) -> None:
    Idea.objects.filter(pool_idea=idea).update(support_count=count)


# --- the list -------------------------------------------------------------------------------------
@pytest.fixture
def pool(mitmachbuero, clerk):
    """Ideas of every kind, submitted a day apart (oldest first)."""
    mobility = field_of_action("ZM 02", "Mobilität")
    green = field_of_action("ZM 05", "Grün in der Stadt")
    ergste = DistrictFactory(name="Ergste")
    ideas = {}
    with time_machine.travel(START, tick=False) as clock:
        for name, fields in [
            ("bank", {"title": "Mehr Bänke am Ruhrufer", "field_of_action": green}),
            ("radweg", {"title": "Radweg nach Ergste", "field_of_action": mobility,
                        "district": ergste}),
            ("laterne", {"title": "Laternen im Park", "field_of_action": green}),
            ("spam", {"title": "Kaufen Sie Uhren", "field_of_action": green}),
        ]:  # fmt: skip
            ideas[name] = submitted_idea(**fields)
            clock.shift(timedelta(days=1))
        stage_change(actor=clerk, idea=ideas["laterne"], stage=Stage.INADMISSIBLE,
                     public_text="Dafür ist der Kreis zuständig.")  # fmt: skip
        idea_hide(actor=mitmachbuero, idea=ideas["spam"], reason="Werbung")
    set_supports(ideas["bank"], 42)
    set_supports(ideas["radweg"], 80)
    PoolIdea.objects.filter(pk=ideas["radweg"].pk).update(quorum_reached_at=START)
    return {**ideas, "mobility": mobility, "green": green, "ergste": ergste}


def test_the_list_shows_visible_ideas_with_their_facts(client, pool):
    with time_machine.travel(START + timedelta(days=30), tick=False):
        response = client.get(LIST)
    assert response.status_code == 200
    page = html(response)
    # newest first; the hidden one is missing, the inadmissible one stays with its stage
    assert titles(response) == ["Laternen im Park", "Radweg nach Ergste", "Mehr Bänke am Ruhrufer"]
    assert "Kaufen Sie Uhren" not in page
    assert "3 Ideen" in page
    assert "Vorprüfung: unzulässig" in page
    assert "42 von 75 Unterstützungen" in page
    assert 'max="75" value="42"' in page
    assert "noch 12 Tage" in page  # submitted on 2 March, six weeks, looked at on 1 April
    assert "Quorum erreicht" in page
    assert "Erreicht eine Idee innerhalb von 6 Wochen 75 Unterstützungen, kommt sie auf die " \
           "Liste für den Rat." in page  # fmt: skip
    assert 'href="/ideenpool/neu/"' in page
    assert 'rel="alternate" type="application/atom+xml" href="/ideenpool/feed/"' in page


def test_the_list_filters_by_stage_field_of_action_district_and_quorum(client, pool):
    assert titles(client.get(LIST, {"stufe": "unzulaessig"})) == ["Laternen im Park"]
    assert titles(client.get(LIST, {"stufe": "eingereicht"})) == [
        "Radweg nach Ergste",
        "Mehr Bänke am Ruhrufer",
    ]
    assert titles(client.get(LIST, {"stufe": "quorum"})) == ["Radweg nach Ergste"]
    assert titles(client.get(LIST, {"handlungsfeld": pool["green"].pk})) == [
        "Laternen im Park",
        "Mehr Bänke am Ruhrufer",
    ]
    response = client.get(LIST, {"stadtteil": pool["ergste"].pk})
    assert titles(response) == ["Radweg nach Ergste"]
    assert "1 Idee gefunden" in html(response)
    # a value that does not fit is ignored, not an error
    assert len(titles(client.get(LIST, {"stufe": "erfunden", "stadtteil": "x"}))) == 3


def test_the_list_sorts_by_supports_and_by_the_end_of_the_window(client, pool):
    with time_machine.travel(START + timedelta(days=30), tick=False):
        assert titles(client.get(LIST, {"sortierung": "unterstuetzt"})) == [
            "Radweg nach Ergste",
            "Mehr Bänke am Ruhrufer",
            "Laternen im Park",
        ]
        # only ideas that can still be supported, the one that ends first first
        response = client.get(LIST, {"sortierung": "endet_bald"})
        assert titles(response) == ["Mehr Bänke am Ruhrufer", "Radweg nach Ergste"]
        assert "nur Ideen, die man noch unterstützen kann" in html(response)
    with time_machine.travel(START + timedelta(weeks=6, hours=12), tick=False):
        response = client.get(LIST, {"sortierung": "endet_bald"})
        assert titles(response) == ["Radweg nach Ergste"]
        assert "Frist beendet" not in html(response)
        assert "Frist beendet" in html(client.get(LIST))


def test_the_list_marks_the_ideas_i_support(pool):
    supporter = citizen()
    with time_machine.travel(START + timedelta(days=5), tick=False):
        idea_support(actor=supporter, idea=pool["bank"])
        response = client_for(supporter).get(LIST)
    cards = html(response).split('class="card pool-card"')[1:]
    marked = [card for card in cards if "Sie unterstützen diese Idee" in card]
    assert len(marked) == 1 and "Mehr Bänke am Ruhrufer" in marked[0]


def test_the_list_is_paginated(client):
    from .factories import many_ideas

    many_ideas(45)
    response = client.get(LIST)
    assert len(titles(response)) == 20
    assert "45 Ideen" in html(response)
    assert len(titles(client.get(LIST, {"seite": 3}))) == 5


# --- the idea page --------------------------------------------------------------------------------
@pytest.fixture
def idea(clerk):
    author = citizen(display_name="Ruhrfreundin")
    with time_machine.travel(START, tick=False) as clock:
        idea = submitted_idea(author=author, title="Mehr Bänke am Ruhrufer",
                              address="Ruhrpromenade")  # fmt: skip
        clock.shift(timedelta(days=2))
        answer = "Die Idee ist zulässig; das Grünflächenamt prüft sie."
        stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text=answer)
    set_supports(idea, 42)
    return PoolIdea.objects.get(pk=idea.pk)


def test_the_idea_page_shows_timeline_count_and_countdown(client, idea):
    with time_machine.travel(START + timedelta(days=30), tick=False):
        response = client.get(detail_url(idea))
    assert response.status_code == 200
    page = html(response)
    assert "Mehr Bänke am Ruhrufer" in page and "Zwischen Brücke und Freibad" in page
    assert "von Ruhrfreundin" in page and "Ruhrpromenade" in page
    assert "42 von 75 Unterstützungen" in page
    assert "noch 12 Tage – bis 13.04.2026, 09:00 Uhr" in page
    assert "Bis zum Quorum fehlen noch 33 Unterstützungen." in page
    timeline = page.split('id="timeline-title"')[1]
    # the idea's timeline is its ticket's, shown as every timeline of a case: newest first
    assert timeline.index("Vorprüfung: zulässig") < timeline.index("Idee eingereicht")
    assert "das Grünflächenamt prüft sie" in timeline
    assert "2. März 2026, 09:00 Uhr" in timeline
    assert idea.author.email not in page


def test_the_reason_of_an_inadmissible_idea_is_shown(client, idea, clerk):
    PoolIdea.objects.filter(pk=idea.pk).update(stage=Stage.SUBMITTED)
    stage_change(actor=clerk, idea=idea, stage=Stage.INADMISSIBLE,
                 public_text="Dafür ist der Kreis zuständig.")  # fmt: skip
    page = html(client.get(detail_url(idea)))
    assert "Begründung der Stadt: Vorprüfung: unzulässig" in page
    assert "Dafür ist der Kreis zuständig." in page
    assert "Keine Unterstützung mehr möglich" in page
    assert "Diese Idee wurde nicht aufgenommen" in page
    assert 'action="/ideenpool/' not in page


def test_the_right_button_for_each_person(idea):
    supporter, other = citizens(2)
    with time_machine.travel(START + timedelta(days=3), tick=False):
        idea_support(actor=supporter, idea=idea)
        anonymous = html(client_for().get(detail_url(idea)))
        mine = html(client_for(supporter).get(detail_url(idea)))
        author = html(client_for(idea.author).get(detail_url(idea)))
        new = html(client_for(unconfirmed()).get(detail_url(idea)))
        someone = html(client_for(other).get(detail_url(idea)))
    support_form = f'action="/ideenpool/{idea.pk}/unterstuetzen/"'
    withdraw_form = f'action="/ideenpool/{idea.pk}/zurueckziehen/"'

    assert f'href="/accounts/login/?next=/ideenpool/{idea.pk}/"' in anonymous
    assert support_form not in anonymous and withdraw_form not in anonymous

    assert "Sie unterstützen diese Idee." in mine
    assert withdraw_form in mine and "Unterstützung zurückziehen" in mine
    assert support_form not in mine

    assert "Ihre eigene Idee können Sie nicht unterstützen." in author
    assert support_form not in author

    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse." in new
    assert support_form not in new

    assert support_form in someone and withdraw_form not in someone


def test_links_to_vorhaben_only_when_they_are_public(client, idea, vorhabenliste):
    public = project(title="Ruhrufer neu gestalten", slug="ruhrufer")
    draft = project(title="Geheimer Entwurf", slug="entwurf", live=False)
    PoolIdea.objects.filter(pk=idea.pk).update(improves=public, became=draft)
    page = html(client.get(detail_url(idea)))
    assert "Verbessert das Vorhaben" in page
    assert f'href="{public.url}">Ruhrufer neu gestalten</a>' in page
    assert "Geheimer Entwurf" not in page and "Daraus wurde das Vorhaben" not in page


def test_offline_ideas_show_no_name(client, idea, mitmachbuero):
    from participation.ideas.services import idea_submit

    offline = idea_submit(
        actor=mitmachbuero, title="Trinkbrunnen am Markt", text="Im Sommer wäre das gut.",
        field_of_action=idea.field_of_action, channel="mitmachbuero", offline_name="Frau Meier",
    )  # fmt: skip
    page = html(client.get(detail_url(offline)))
    assert "im MitMachBüro eingegangen" in page
    assert "Frau Meier" not in page and mitmachbuero.public_name not in page


def test_a_hidden_idea_shows_a_placeholder_and_leaves_the_list(client, idea, mitmachbuero):
    idea_hide(actor=mitmachbuero, idea=idea, reason="Persönliche Daten Dritter")
    response = client.get(detail_url(idea))
    assert response.status_code == 200
    page = html(response)
    assert "Ausgeblendete Idee" in page
    assert "Von der Moderation ausgeblendet: Persönliche Daten Dritter" in page
    assert "Mehr Bänke am Ruhrufer" not in page and "Zwischen Brücke und Freibad" not in page
    assert titles(client.get(LIST)) == []
    assert client.get("/ideenpool/999999/").status_code == 404


# --- support and withdraw -------------------------------------------------------------------------
def test_support_and_withdraw_through_the_form(idea):
    person = citizen()
    client = client_for(person)
    with time_machine.travel(START + timedelta(days=3), tick=False):
        response = client.post(f"/ideenpool/{idea.pk}/unterstuetzen/", follow=True)
        assert response.redirect_chain == [(detail_url(idea), 302)]
        assert "Danke! Sie unterstützen jetzt diese Idee." in html(response)
        assert "43 von 75 Unterstützungen" in html(response)
        assert Support.objects.filter(idea__pool_idea=idea, user=person).exists()

        again = client.post(f"/ideenpool/{idea.pk}/unterstuetzen/")
        assert again.status_code == 409
        assert "Sie unterstützen diese Idee bereits." in html(again)
        assert PoolIdea.objects.get(pk=idea.pk).support_count == 43

        response = client.post(f"/ideenpool/{idea.pk}/zurueckziehen/", follow=True)
        assert "Ihre Unterstützung ist zurückgezogen." in html(response)
        assert "42 von 75 Unterstützungen" in html(response)
        assert not Support.objects.filter(idea__pool_idea=idea, user=person).exists()

        nothing = client.post(f"/ideenpool/{idea.pk}/zurueckziehen/")
        assert nothing.status_code == 409
        assert "Sie unterstützen diese Idee nicht." in html(nothing)


def test_after_the_window_a_403_with_the_reason(idea):
    early, late = citizens(2)
    with time_machine.travel(START + timedelta(days=3), tick=False):
        idea_support(actor=early, idea=idea)
    with time_machine.travel(START + timedelta(weeks=6), tick=False):
        refused = client_for(late).post(f"/ideenpool/{idea.pk}/unterstuetzen/")
        assert refused.status_code == 403
        assert "Die Frist für Unterstützungen ist abgelaufen." in html(refused)
        kept = client_for(early).post(f"/ideenpool/{idea.pk}/zurueckziehen/")
        assert kept.status_code == 403
        assert "Ihre Unterstützung bleibt gezählt" in html(kept)
        page = html(client_for(early).get(detail_url(idea)))
        assert "Frist beendet (am 13.04.2026, 09:00 Uhr)" in page
        assert "Sie unterstützen diese Idee." in page and "zurueckziehen" not in page
    assert PoolIdea.objects.get(pk=idea.pk).support_count == 43


def test_unconfirmed_and_anonymous_cannot_support(idea):
    refused = client_for(unconfirmed()).post(f"/ideenpool/{idea.pk}/unterstuetzen/")
    assert refused.status_code == 403
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse." in html(refused)
    anonymous = client_for().post(f"/ideenpool/{idea.pk}/unterstuetzen/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/accounts/login/?next=/ideenpool/{idea.pk}/"
    assert PoolIdea.objects.get(pk=idea.pk).support_count == 42
    assert client_for(citizen()).get(f"/ideenpool/{idea.pk}/unterstuetzen/").status_code == 405


# --- the idea form --------------------------------------------------------------------------------
def form_token(client) -> str:
    response = client.get(SUBMIT)
    assert response.status_code == 200
    return re.search(r'name="form_token" value="([^"]+)"', html(response)).group(1)


def idea_data(client, **fields) -> dict:
    data = {
        "form_token": form_token(client),
        "title": "Trinkbrunnen auf dem Marktplatz",
        "text": "Im Sommer wäre frisches Wasser für alle gut.",
        "field_of_action": field_of_action("ZM 03", "Gesundheit").pk,
        "district": "",
        "address": "Marktplatz",
        "improves": "",
    }
    data.update(fields)
    return data


def jpeg_with_gps() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "Testkamera"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 26.0, 40.0)
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(out, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(0x8825)
    return SimpleUploadedFile("brunnen.jpg", out.getvalue(), content_type="image/jpeg")


def pdf_named_jpg() -> SimpleUploadedFile:
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile("foto.jpg", pdf, content_type="image/jpeg")


def test_anonymous_people_learn_why_they_need_an_account(client):
    response = client.get(SUBMIT)
    assert response.status_code == 200
    page = html(response)
    assert "Dafür brauchen Sie ein Konto" in page
    assert 'href="/accounts/login/?next=/ideenpool/neu/"' in page
    assert 'href="/accounts/signup/?next=/ideenpool/neu/"' in page
    assert 'name="title"' not in page
    assert client.post(SUBMIT, {"title": "x"}).status_code == 403


def test_unconfirmed_accounts_see_the_refusal(db):
    client = client_for(unconfirmed())
    page = html(client.get(SUBMIT))
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse." in page
    assert 'name="title"' not in page
    response = client.post(SUBMIT, {"title": "Eine Idee", "text": "Text"})
    assert response.status_code == 403
    assert PoolIdea.objects.count() == 0


def test_errors_come_back_in_german_with_a_summary(db):
    client = client_for(citizen())
    response = client.post(SUBMIT, idea_data(client, title="", text="", field_of_action=""))
    assert response.status_code == 400
    page = html(response)
    assert 'id="error-summary"' in page
    assert 'href="#id_title">Titel Ihrer Idee: Bitte geben Sie Ihrer Idee einen Titel.' in page
    assert "Bitte beschreiben Sie Ihre Idee." in page
    assert "Bitte wählen Sie ein Handlungsfeld." in page
    title_input = re.search(r'<input[^>]+name="title"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in title_input
    assert "id_title_error" in title_input
    assert "<title>Fehler:" in page
    assert PoolIdea.objects.count() == 0


def test_a_submitted_idea_has_a_ticket_and_tells_the_next_step(department):
    author = citizen()
    client = client_for(author)
    district = DistrictFactory(name="Holzen")
    response = client.post(SUBMIT, idea_data(client, district=district.pk), follow=True)
    idea = PoolIdea.objects.get()
    assert response.redirect_chain == [(detail_url(idea), 302)]
    assert idea.title == "Trinkbrunnen auf dem Marktplatz"
    assert idea.author == author and idea.district == district and idea.address == "Marktplatz"
    assert Ticket.objects.filter(pk=idea.ticket_id).exists()
    assert (
        TicketEvent.objects.filter(ticket_id=idea.ticket_id, public_status="eingereicht").count()
        == 1
    )
    page = html(response)
    assert "Als Nächstes prüft die Stadt sie (Vorprüfung)" in page
    assert "Bei jedem Schritt bekommen Sie eine E-Mail." in page


def test_it_can_say_which_vorhaben_it_improves(db, vorhabenliste):
    public = project(title="Marktplatz neu gestalten", slug="markt")
    draft = project(title="Entwurf", slug="entwurf", live=False)
    client = client_for(citizen())
    form = html(client.get(SUBMIT))
    assert "Marktplatz neu gestalten" in form and "Entwurf" not in form
    refused = client.post(SUBMIT, idea_data(client, improves=draft.pk))
    assert refused.status_code == 400
    assert "Bitte wählen Sie eines der genannten Vorhaben." in html(refused)
    client.post(SUBMIT, idea_data(client, improves=public.pk))
    assert PoolIdea.objects.get().improves_id == public.pk


def test_a_double_post_of_the_same_form_makes_one_idea(db):
    client = client_for(citizen())
    data = idea_data(client)
    first = client.post(SUBMIT, data)
    second = client.post(SUBMIT, data)
    assert PoolIdea.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail_url(PoolIdea.objects.get())


def test_a_fake_photo_gets_the_german_error_and_nothing_is_stored(db):
    client = client_for(citizen())
    response = client.post(SUBMIT, {**idea_data(client), "photo": pdf_named_jpg()})
    assert response.status_code == 400
    assert "Diese Datei ist kein Foto im Format JPEG, PNG, WebP oder HEIC." in html(response)
    assert PoolIdea.objects.count() == 0


def test_a_photo_is_stored_smaller_and_without_exif(db):
    client = client_for(citizen())
    response = client.post(SUBMIT, {**idea_data(client), "photo": jpeg_with_gps()})
    assert response.status_code == 302
    idea = PoolIdea.objects.get()
    assert not idea.photo.name.endswith("brunnen.jpg")
    with idea.photo.open("rb") as stored:
        content = stored.read()
    image = Image.open(io.BytesIO(content))
    assert dict(image.getexif()) == {}
    assert b"Testkamera" not in content
    assert max(image.size) == 960
    page = html(client.get(detail_url(idea)))
    assert f'src="{idea.photo.url}"' in page
    assert 'alt="Foto zur Idee „Trinkbrunnen auf dem Marktplatz“"' in page


def test_too_many_ideas_a_day_get_a_429(db, settings):
    settings.IDEAS_SUBMIT_LIMIT_PER_USER_DAY = 2
    client = client_for(citizen())
    for n in range(2):
        assert client.post(SUBMIT, idea_data(client, title=f"Idee {n}")).status_code == 302
    response = client.post(SUBMIT, idea_data(client, title="Noch eine"))
    assert response.status_code == 429
    assert "Sie haben heute schon 2 Ideen eingereicht." in html(response)
    assert int(response["Retry-After"]) > 0
    assert PoolIdea.objects.count() == 2
    # someone else may still submit
    other = client_for(citizen())
    assert other.post(SUBMIT, idea_data(other, title="Andere Idee")).status_code == 302


# --- similar ideas --------------------------------------------------------------------------------
def test_similar_ideas_share_a_significant_word(client, mitmachbuero):
    bank = submitted_idea(route=False, title="Mehr Bänke am Ruhrufer")
    submitted_idea(route=False, title="Ruhrufer: Bänke und Mülleimer")
    submitted_idea(route=False, title="Radweg nach Ergste")
    hidden = submitted_idea(route=False, title="Bänke überall")
    idea_hide(actor=mitmachbuero, idea=hidden, reason="Doppelt")
    set_supports(bank, 7)

    data = client.get(SIMILAR, {"titel": "Neue bänke am Markt"}).json()
    assert [idea["title"] for idea in data["ideas"]] == [
        "Mehr Bänke am Ruhrufer",
        "Ruhrufer: Bänke und Mülleimer",
    ]
    first = data["ideas"][0]
    assert first == {
        "id": bank.pk,
        "title": "Mehr Bänke am Ruhrufer",
        "url": detail_url(bank),
        "stage": "eingereicht",
        "stage_label": "eingereicht",
        "support_count": 7,
    }
    # the idea sharing two words comes first
    both = client.get(SIMILAR, {"titel": "Bänke und Mülleimer am RUHRUFER"}).json()["ideas"]
    assert both[0]["title"] == "Ruhrufer: Bänke und Mülleimer"
    # short and common words alone find nothing
    assert client.get(SIMILAR, {"titel": "Mehr am und"}).json() == {"ideas": []}
    assert client.get(SIMILAR).json() == {"ideas": []}


def test_at_most_five_similar_ideas(client):
    for n in range(7):
        submitted_idea(route=False, title=f"Spielplatz Nummer {n}")
    assert len(client.get(SIMILAR, {"titel": "Spielplatz"}).json()["ideas"]) == 5


def test_the_form_loads_the_script_without_inline_code(db):
    page = html(client_for(citizen()).get(SUBMIT))
    assert 'data-pool-similar data-url="/ideenpool/aehnlich/" data-input="id_title"' in page
    assert 'aria-live="polite"' in page
    assert re.search(r'<script src="/static/js/ideas\.js[^"]*" defer></script>', page)
    assert "<script>" not in page and " style=" not in page
