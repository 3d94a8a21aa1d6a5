"""The Ideenpool's back office: the department's Vorprüfung and the stages after it, the link to
a Vorhaben, moderation by the MitMachBüro, the lists per role (with constant queries), the
council list and its CSV, offline entry, and the panel on the idea's ticket."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.contributions.constants import ModerationAction, ModerationState
from participation.contributions.models import Idea, ModerationLog
from participation.ideas.constants import Stage, Step
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_support, stage_change
from portal.accounts.signals import SECOND_FACTOR_SESSION_KEY
from portal.core import doorbell
from portal.core.models import OutboxMessage
from portal.core.subscriptions.models import Subscription
from portal.core.tasks import outbox_send_task
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Ticket, TicketEvent
from tests.factories import DepartmentFactory, StaffUserFactory

from ..factories import field_of_action, project
from .factories import citizen, citizens, submitted_idea

pytestmark = pytest.mark.django_db

ADMIN_HOME = "/admin/"
REFUSED_IN_GERMAN = "Bitte begründen Sie die Entscheidung"


def admin_client(user) -> Client:
    """A staff client whose session has passed the second factor (as after allauth's TOTP step;
    the real flow is in test_clerk_prechecks_an_idea)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = user.pk
    session.save()
    return client


def detail_url(idea) -> str:
    return f"/admin/ideenpool/{idea.pk}/"


def reload(idea) -> PoolIdea:
    return PoolIdea.objects.select_related("input__ticket").get(pk=idea.pk)


@pytest.fixture
def idea(department):
    return submitted_idea(title="Mitfahrbänke für Lichtendorf")


@pytest.fixture
def foreign_clerk(db):
    """Staff of another department."""
    user = StaffUserFactory()
    user.department_memberships.create(department=DepartmentFactory(name="Bürgerbüro"))
    return user


@pytest.fixture
def enqueued(monkeypatch):
    """The outbox messages rung for after commit, as ids; nothing reaches a broker."""
    sent: list[int] = []
    doorbell.unpause()
    monkeypatch.setattr(
        outbox_send_task, "apply_async", lambda args, **kwargs: sent.append(args[0])
    )
    return sent


def notices():
    return OutboxMessage.objects.filter(kind="subscriptions.notice")


# --- the Vorprüfung -------------------------------------------------------------------------------
def test_clerk_prechecks_an_idea(
    idea, clerk, login_with_second_factor, enqueued, django_capture_on_commit_callbacks
):
    supporters = citizens(2)
    for supporter in supporters:
        idea_support(actor=supporter, idea=idea)
    client = Client()
    login_with_second_factor(client, clerk)

    page = client.get(detail_url(idea))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vorprüfung: zulässig / unzulässig" in html
    assert "Mitfahrbänke für Lichtendorf" in html
    assert "2 von 75 Unterstützungen" in html
    assert f'href="/ideenpool/{idea.pk}/"' in html
    assert f'href="/admin/anliegen/{idea.ticket_id}/"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{detail_url(idea)}stufe/",
            {"stage": Stage.ADMISSIBLE, "public_text": "Die Idee ist zulässig."},
        )
    assert response.status_code == 302
    assert response["Location"] == detail_url(idea)
    idea = reload(idea)
    assert idea.stage == Stage.ADMISSIBLE
    assert idea.first_answer_at is not None
    # the stage is one line of the idea's timeline, its ticket's
    event = TicketEvent.objects.get(ticket_id=idea.ticket_id, public_status=Stage.ADMISSIBLE)
    assert (event.public_message, event.actor) == ("Die Idee ist zulässig.", clerk)
    owed = notices().filter(context__event=event.pk)
    subscription_ids = [message.context["subscription"] for message in owed]
    recipients = set(
        Subscription.objects.filter(pk__in=subscription_ids).values_list("user_id", flat=True)
    )
    assert recipients == {idea.author_id, *(s.pk for s in supporters)}
    assert set(owed.values_list("pk", flat=True)) <= set(enqueued)
    assert Ticket.objects.get(pk=idea.ticket_id).status == TicketStatus.IN_REVIEW

    page = client.get(detail_url(idea)).content.decode()
    assert "Die Idee ist zulässig." in page
    assert "Vorprüfung: zulässig / unzulässig" not in page
    assert "Nächste Stufe" in page


def test_clerk_of_another_department_is_refused_and_nothing_changes(idea, foreign_clerk):
    client = admin_client(foreign_clerk)
    assert client.get(detail_url(idea))["Location"] == ADMIN_HOME
    response = client.post(
        f"{detail_url(idea)}stufe/", {"stage": Stage.ADMISSIBLE, "public_text": "Zulässig."}
    )
    assert response.status_code == 302
    assert response["Location"] == ADMIN_HOME
    assert reload(idea).stage == Stage.SUBMITTED
    assert not TicketEvent.objects.filter(public_status=Stage.ADMISSIBLE).exists()
    assert Ticket.objects.get(pk=idea.ticket_id).status == TicketStatus.RECEIVED


def test_citizen_does_not_reach_the_back_office(idea):
    client = Client()
    client.force_login(idea.author)
    response = client.get(detail_url(idea))
    assert response.status_code == 302
    assert reload(idea).stage == Stage.SUBMITTED


def test_inadmissible_without_a_reason_is_refused_on_the_field(idea, clerk):
    response = admin_client(clerk).post(
        f"{detail_url(idea)}stufe/", {"stage": Stage.INADMISSIBLE, "public_text": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert REFUSED_IN_GERMAN in html
    # the error summary links to the field, which is marked invalid
    assert 'href="#id_public_text">Öffentlicher Text: Bitte begründen' in html
    assert 'aria-invalid="true" id="id_public_text"' in html
    idea = reload(idea)
    assert idea.stage == Stage.SUBMITTED
    assert idea.first_answer_at is None
    assert not TicketEvent.objects.filter(public_status=Stage.INADMISSIBLE).exists()
    assert not notices().exists()


def test_a_stage_not_allowed_now_is_refused(idea, clerk):
    response = admin_client(clerk).post(
        f"{detail_url(idea)}stufe/", {"stage": Stage.IMPLEMENTATION, "public_text": "Los!"}
    )
    assert response.status_code == 400
    assert reload(idea).stage == Stage.SUBMITTED


def test_not_taken_up_with_a_reason_stores_the_public_reason(idea, clerk):
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text="")
    reason = "Die Fläche gehört dem Land; wir haben die Idee an Straßen.NRW weitergegeben."
    response = admin_client(clerk).post(
        f"{detail_url(idea)}stufe/", {"stage": Stage.REJECTED, "public_text": reason}
    )
    assert response.status_code == 302
    idea = reload(idea)
    assert (idea.stage, idea.stage_reason) == (Stage.REJECTED, reason)
    assert TicketEvent.objects.filter(
        ticket_id=idea.ticket_id, public_status=Stage.REJECTED, public_message=reason
    ).exists()
    assert Ticket.objects.get(pk=idea.ticket_id).status == TicketStatus.NOT_FEASIBLE
    # a final stage: no further step is offered
    page = admin_client(clerk).get(detail_url(idea)).content.decode()
    assert "Die Idee hat ihre letzte Stufe erreicht" in page


# --- the Vorhaben it became -----------------------------------------------------------------------
def test_link_to_a_project_and_remove_the_link(idea, clerk):
    vorhaben = project(title="Neugestaltung des Marktplatzes")
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text="")
    client = admin_client(clerk)
    assert "Neugestaltung des Marktplatzes" in client.get(detail_url(idea)).content.decode()

    response = client.post(f"{detail_url(idea)}vorhaben/", {"project": vorhaben.pk})
    assert response.status_code == 302
    assert reload(idea).became_id == vorhaben.pk
    event = TicketEvent.objects.get(ticket_id=idea.ticket_id, public_status=Step.PROJECT)
    assert "Neugestaltung des Marktplatzes" in event.public_message

    assert client.post(f"{detail_url(idea)}vorhaben/", {"project": ""}).status_code == 302
    assert reload(idea).became_id is None


def test_linking_is_refused_for_another_department(idea, foreign_clerk):
    vorhaben = project()
    response = admin_client(foreign_clerk).post(
        f"{detail_url(idea)}vorhaben/", {"project": vorhaben.pk}
    )
    assert response["Location"] == ADMIN_HOME
    assert reload(idea).became_id is None


# --- moderation by the MitMachBüro ----------------------------------------------------------------
def test_mitmachbuero_hides_with_a_reason_and_shows_again(idea, mitmachbuero):
    client = admin_client(mitmachbuero)
    assert "Idee ausblenden" in client.get(detail_url(idea)).content.decode()

    missing = client.post(f"{detail_url(idea)}ausblenden/", {"reason": ""})
    assert missing.status_code == 400
    assert "Bitte nennen Sie einen Grund" in missing.content.decode()
    assert reload(idea).state == ModerationState.VISIBLE

    response = client.post(f"{detail_url(idea)}ausblenden/", {"reason": "Werbung"})
    assert response.status_code == 302
    idea = reload(idea)
    assert (idea.state, idea.moderation_reason) == (ModerationState.HIDDEN, "Werbung")
    assert "Idee wieder einblenden" in client.get(detail_url(idea)).content.decode()
    public = Client().get(idea.get_absolute_url()).content.decode()
    assert "Ausgeblendete Idee" in public and idea.title not in public

    # the shared moderation: a line in its log and the reason by e-mail to the author
    log = ModerationLog.objects.get(action=ModerationAction.HIDDEN)
    assert (log.target, log.actor, log.user, log.reason) == (
        idea,
        mitmachbuero,
        idea.author,
        "Werbung",
    )
    notice = OutboxMessage.objects.get(kind="contributions.moderation_notice")
    assert notice.recipient == idea.author.email
    assert outbox_send_task(notice.pk) is True
    (message,) = mail.outbox
    assert "Werbung" in message.body and idea.title in message.body
    assert idea.get_absolute_url() in message.body

    assert client.post(f"{detail_url(idea)}einblenden/").status_code == 302
    idea = reload(idea)
    assert (idea.state, idea.moderation_reason) == (ModerationState.VISIBLE, "")
    assert ModerationLog.objects.filter(action=ModerationAction.RESTORED, target_id=idea.pk)


def test_hiding_is_refused_for_the_department_clerk(idea, clerk):
    client = admin_client(clerk)
    assert "Idee ausblenden" not in client.get(detail_url(idea)).content.decode()
    response = client.post(f"{detail_url(idea)}ausblenden/", {"reason": "Werbung"})
    assert response["Location"] == ADMIN_HOME
    assert reload(idea).state == ModerationState.VISIBLE
    Idea.objects.filter(pool_idea=idea).update(state=ModerationState.HIDDEN)
    response = client.post(f"{detail_url(idea)}einblenden/")
    assert response["Location"] == ADMIN_HOME
    assert reload(idea).state == ModerationState.HIDDEN


# --- the list -------------------------------------------------------------------------------------
@pytest.fixture
def three_ideas(department):
    """Two ideas routed to the department, one to another department."""
    ours = [submitted_idea(title="Trinkbrunnen am Postplatz"), submitted_idea(title="Mehr Bänke")]
    other = submitted_idea(title="Hundewiese in Ergste")
    Ticket.objects.filter(pk=other.ticket_id).update(department=DepartmentFactory())
    return ours, other


def titles(response) -> set[str]:
    html = response.content.decode()
    names = {"Trinkbrunnen am Postplatz", "Mehr Bänke", "Hundewiese in Ergste"}
    return {name for name in names if name in html}


def test_list_per_role(three_ideas, clerk, foreign_clerk, mitmachbuero):
    (fountain, benches), other = three_ideas
    page = admin_client(clerk).get("/admin/ideenpool/")
    assert page.status_code == 200
    assert titles(page) == {"Trinkbrunnen am Postplatz", "Mehr Bänke"}
    html = page.content.decode()
    assert f'href="/admin/ideenpool/{fountain.pk}/"' in html
    assert f'href="/admin/anliegen/{fountain.ticket_id}/"' in html
    assert "Stabsstelle Smart City" in html
    assert "wartet auf Vorprüfung" in html

    assert titles(admin_client(foreign_clerk).get("/admin/ideenpool/")) == set()
    everything = admin_client(mitmachbuero).get("/admin/ideenpool/")
    assert titles(everything) == {"Trinkbrunnen am Postplatz", "Mehr Bänke", "Hundewiese in Ergste"}
    # the MitMachBüro may not open the departments' tickets: the number shows without a link
    assert f'href="/admin/anliegen/{other.ticket_id}/"' not in everything.content.decode()
    assert other.ticket.number in everything.content.decode()

    citizen_client = Client()
    citizen_client.force_login(citizen())
    assert citizen_client.get("/admin/ideenpool/").status_code == 302


def test_list_filters_by_stage_and_searches_titles(three_ideas, clerk):
    (fountain, _benches), _other = three_ideas
    stage_change(actor=clerk, idea=fountain, stage=Stage.ADMISSIBLE, public_text="")
    client = admin_client(clerk)
    assert titles(client.get("/admin/ideenpool/?stufe=zulaessig")) == {"Trinkbrunnen am Postplatz"}
    assert titles(client.get("/admin/ideenpool/?stufe=eingereicht")) == {"Mehr Bänke"}
    assert titles(client.get("/admin/ideenpool/?q=brunnen")) == {"Trinkbrunnen am Postplatz"}
    assert titles(client.get("/admin/ideenpool/?stufe=unsinn")) == {
        "Trinkbrunnen am Postplatz",
        "Mehr Bänke",
    }


@pytest.mark.parametrize("role", ["clerk", "mitmachbuero"])
def test_list_query_count_does_not_grow_with_rows(role, request, department):
    """The same number of queries for 3 and for 40 ideas (the admin menus of other apps add a
    constant few, so the test compares instead of pinning a number)."""
    user = request.getfixturevalue(role)
    field = field_of_action()
    for number in range(3):
        submitted_idea(title=f"Idee {number}", field_of_action=field)
    client = admin_client(user)
    client.get("/admin/ideenpool/")  # warm up: site settings and the like are created on first use
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/ideenpool/").status_code == 200
    for number in range(3, 40):
        submitted_idea(title=f"Idee {number}", field_of_action=field)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/admin/ideenpool/")
    assert response.content.decode().count('href="/admin/ideenpool/') >= 40
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


# --- the council list -----------------------------------------------------------------------------
START = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def quorum_ideas(settings, department):
    """Two ideas that reached a quorum of 2 (the later one first submitted), one that did not."""
    settings.IDEAS_QUORUM_SUPPORTS = 2
    with time_machine.travel(START, tick=False):
        late = submitted_idea(title="=Freies WLAN im Freibad")
        early = submitted_idea(title="Trinkbrunnen am Postplatz")
        missing = submitted_idea(title="Hundewiese in Ergste")
    with time_machine.travel(START + timedelta(days=2), tick=False):
        for user in citizens(2):
            idea_support(actor=user, idea=early)
        idea_support(actor=citizen(), idea=missing)
    with time_machine.travel(START + timedelta(days=5), tick=False):
        for user in citizens(3):
            idea_support(actor=user, idea=late)
    return early, late, missing


def test_council_list_oldest_reach_first(quorum_ideas, clerk):
    early, late, _missing = quorum_ideas
    page = admin_client(clerk).get("/admin/ideenpool/ratsliste/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hundewiese in Ergste" not in html
    assert html.index("Trinkbrunnen am Postplatz") < html.index("Freies WLAN im Freibad")
    assert "04.03.2026, 09:00" in html


def test_council_list_as_csv(quorum_ideas, clerk):
    early, late, _missing = quorum_ideas
    response = admin_client(clerk).get("/admin/ideenpool/ratsliste/csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, first, second = rows
    assert header[:6] == [
        "Titel", "Handlungsfeld", "Stadtteil", "Stufe", "Unterstützungen", "Quorum erreicht am",
    ]  # fmt: skip
    assert first[0] == "Trinkbrunnen am Postplatz"
    assert (first[4], first[5], first[6]) == ("2", "04.03.2026", "02.03.2026")
    assert first[-1] == f"http://testserver/ideenpool/{early.pk}/"
    # a title that a spreadsheet would run as a formula stays text
    assert second[0] == "'=Freies WLAN im Freibad"
    assert second[4] == "3"
    assert early.ticket.number in first


# --- the KPIs -------------------------------------------------------------------------------------
def test_kpi_page(idea, clerk):
    client = admin_client(clerk)
    html = client.get("/admin/ideenpool/kennzahlen/").content.decode()
    assert "noch keine Antwort" in html
    with time_machine.travel(idea.submitted_at + timedelta(days=1, hours=19), tick=False):
        stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text="")
    html = client.get("/admin/ideenpool/kennzahlen/").content.decode()
    assert "1,8 Tage" in html
    assert "?stufe=zulaessig" in html


# --- offline entry --------------------------------------------------------------------------------
def test_mitmachbuero_enters_an_idea_received_by_letter(department, mitmachbuero):
    field = field_of_action(name="Mobilität")
    client = admin_client(mitmachbuero)
    assert client.get("/admin/ideenpool/erfassen/").status_code == 200
    response = client.post(
        "/admin/ideenpool/erfassen/",
        {
            "channel": "brief",
            "offline_name": "Frau Ilse Beispiel, Hagener Straße 5",
            "title": "Bus nach Villigst auch sonntags",
            "text": "Sonntags fährt kein Bus nach Villigst.",
            "field_of_action": field.pk,
            "district": "",
            "address": "Villigst",
        },
    )
    idea = PoolIdea.objects.get(input__title="Bus nach Villigst auch sonntags")
    assert response.status_code == 302
    assert response["Location"] == detail_url(idea)
    assert (idea.channel, idea.author, idea.entered_by) == ("brief", None, mitmachbuero)
    assert idea.offline_name == "Frau Ilse Beispiel, Hagener Straße 5"
    assert idea.ticket.citizen is None
    assert idea.author_name == "anonym"
    # the admin detail shows the internal name; the public page never does
    assert "Frau Ilse Beispiel" in client.get(detail_url(idea)).content.decode()
    public = Client().get(f"/ideenpool/{idea.pk}/")
    assert public.status_code == 200
    assert "Bus nach Villigst auch sonntags" in public.content.decode()
    assert "Ilse Beispiel" not in public.content.decode()


def test_offline_entry_refuses_missing_fields_and_department_staff(department, mitmachbuero, clerk):
    response = admin_client(mitmachbuero).post(
        "/admin/ideenpool/erfassen/", {"channel": "telefon", "title": "", "text": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte geben Sie der Idee einen Titel." in html
    assert "Bitte wählen Sie ein Handlungsfeld." in html
    assert not PoolIdea.objects.exists()

    refused = admin_client(clerk).get("/admin/ideenpool/erfassen/")
    assert refused["Location"] == ADMIN_HOME


# --- the menu and the ticket ----------------------------------------------------------------------
def test_menu_per_role(department, clerk, mitmachbuero):
    clerk_home = admin_client(clerk).get(ADMIN_HOME).content.decode()
    office_home = admin_client(mitmachbuero).get(ADMIN_HOME).content.decode()
    assert "ideenpool-ideen" in clerk_home
    assert "ideenpool-ratsliste" in clerk_home
    assert "ideenpool-kennzahlen" in clerk_home
    assert "ideenpool-erfassen" not in clerk_home
    assert "ideenpool-erfassen" in office_home


def test_ticket_page_links_to_the_pool(idea, clerk):
    page = admin_client(clerk).get(f"/admin/anliegen/{idea.ticket_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Im Ideenpool bearbeiten (Vorprüfung, Stufen)" in html
    assert f'href="/admin/ideenpool/{idea.pk}/"' in html
    assert "Mitfahrbänke für Lichtendorf" in html
