"""Ideas, comments and supports as a citizen meets them: the forms without JavaScript, the errors,
the one-level replies, the 15-minute edit window and deletion with a placeholder."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone

from participation.contributions import services
from participation.contributions.constants import ModerationState
from participation.contributions.models import Comment, Idea, Support
from participation.contributions.selectors import project_context
from participation.projects.models import ProjectStatistics
from tests.factories import DistrictFactory, UserFactory, square
from tests.participation.factories import build_project

from .conftest import citizen, client_for, open_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def vorhaben(vorhabenliste):
    return open_project(title="Neuer Stadtpark", slug="stadtpark")


@pytest.fixture
def erika():
    return citizen(display_name="Erika aus Ergste", first_name="Erika", last_name="Echtname")


# --- ideas ----------------------------------------------------------------------------------------
def test_idea_submitted_and_shown_with_display_name_only(vorhaben, erika):
    client = client_for(erika)
    response = client.post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/idee/",
        {
            "idee-title": "Wasserspielplatz",
            "idee-text": "Ein Wasserspielplatz für heiße Tage.",
            "idee-address": "Am Rathaus",
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{vorhaben.get_url()}#idee-{idea.pk}"
    assert (idea.author, idea.phase, idea.channel) == (erika, vorhaben.phase_at(), "online")

    page = client.get(vorhaben.get_url()).content.decode()
    assert "Danke! Ihre Idee ist eingereicht" in page
    # what everybody else sees: the display name, never the name or the e-mail address
    page = client_for(citizen()).get(vorhaben.get_url()).content.decode()
    assert "Wasserspielplatz" in page and "Am Rathaus" in page
    assert "Erika aus Ergste" in page
    assert "Echtname" not in page and erika.email not in page


def test_without_display_name_the_author_is_anonymous(vorhaben):
    author = citizen(display_name="", first_name="Max", last_name="Privat")
    services.idea_create(actor=author, project=vorhaben, title="Bänke", text="Mehr Bänke.")
    page = client_for(None).get(vorhaben.get_url()).content.decode()
    assert "anonym" in page
    assert "Privat" not in page and author.email not in page


def test_invalid_idea_shows_the_page_again_with_the_error_summary(vorhaben, erika):
    response = client_for(erika).post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/idee/",
        {"idee-title": "", "idee-text": "Nur Text"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert "Bitte geben Sie Ihrer Idee einen Titel." in html
    assert 'href="#id_idee-title"' in html
    assert "Nur Text" in html  # what was typed is kept
    assert not Idea.objects.exists()


def test_idea_location_must_be_inside_the_city(vorhaben, erika):
    DistrictFactory(name="Mitte", area=square(7.55, 51.43, 0.05))
    outside = client_for(erika).post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/idee/",
        {
            "idee-title": "Bank",
            "idee-text": "Eine Bank.",
            "idee-latitude": "52.500000",
            "idee-longitude": "13.400000",
        },
    )
    assert outside.status_code == 400
    assert "außerhalb des Stadtgebiets" in outside.content.decode()
    assert not Idea.objects.exists()

    inside = client_for(erika).post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/idee/",
        {
            "idee-title": "Bank",
            "idee-text": "Eine Bank.",
            "idee-latitude": "51.440000",
            "idee-longitude": "7.560000",
        },
    )
    assert inside.status_code == 302
    idea = Idea.objects.get()
    assert idea.district.name == "Mitte"
    assert idea.latitude == Decimal("51.440000")


def test_unpublished_project_takes_no_ideas(vorhabenliste, erika):
    vorhaben = open_project(live=False)
    response = client_for(erika).post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/idee/", {"idee-title": "X", "idee-text": "Y"}
    )
    assert response.status_code == 404
    assert client_for(erika).get("/mitmachen/vorhaben/1/idee/").status_code in (404, 405)


# --- supports -------------------------------------------------------------------------------------
def test_support_once_per_person(vorhaben, erika):
    idea = services.idea_create(actor=citizen(), project=vorhaben, title="Bänke", text="Mehr.")
    client = client_for(erika)
    first = client.post(f"/mitmachen/idee/{idea.pk}/unterstuetzen/")
    assert first.status_code == 302
    second = client.post(f"/mitmachen/idee/{idea.pk}/unterstuetzen/")
    assert second.status_code == 409
    assert "Sie unterstützen diese Idee bereits." in second.content.decode()
    idea.refresh_from_db()
    assert Support.objects.filter(idea=idea).count() == 1
    assert idea.support_count == 1
    statistics = ProjectStatistics.objects.get(project=vorhaben)
    assert statistics.reactions == 1
    page = client.get(vorhaben.get_url()).content.decode()
    assert "1 Unterstützung" in page
    assert "Sie unterstützen diese Idee." in page


def test_support_goes_back_to_a_safe_page_only(vorhaben, erika):
    idea = services.idea_create(actor=citizen(), project=vorhaben, title="Bänke", text="Mehr.")
    response = client_for(erika).post(
        f"/mitmachen/idee/{idea.pk}/unterstuetzen/", {"next": "https://example.com/"}
    )
    assert response["Location"] == f"{vorhaben.get_url()}#idee-{idea.pk}"


# --- comments and replies -------------------------------------------------------------------------
def test_comment_on_an_idea_and_reply(vorhaben, erika):
    idea = services.idea_create(actor=citizen(), project=vorhaben, title="Bänke", text="Mehr.")
    client = client_for(erika)
    response = client.post(f"/mitmachen/idee/{idea.pk}/kommentar/", {"kommentar-text": "Ja!"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mitmachen/idee/{idea.pk}/#kommentar-{comment.pk}"
    assert comment.idea == idea

    other = client_for(citizen(display_name="Bodo"))
    form = other.get(f"/mitmachen/kommentar/{comment.pk}/antworten/")
    assert form.status_code == 200
    assert "Ja!" in form.content.decode()
    response = other.post(
        f"/mitmachen/kommentar/{comment.pk}/antworten/", {"antwort-text": "Sehe ich auch so."}
    )
    reply = Comment.objects.get(parent=comment)
    assert response.status_code == 302
    assert reply.idea == idea

    page = client.get(f"/mitmachen/idee/{idea.pk}/").content.decode()
    assert "Sehe ich auch so." in page and "Bodo" in page
    assert "2 Kommentare" in client.get(vorhaben.get_url()).content.decode()


def test_replies_have_no_replies(vorhaben, erika):
    comment = services.comment_create(actor=citizen(), target=vorhaben, text="Erster")
    reply = services.comment_create(actor=citizen(), target=vorhaben, text="Zweiter",
                                    parent=comment)  # fmt: skip
    client = client_for(erika)
    response = client.post(
        f"/mitmachen/kommentar/{reply.pk}/antworten/", {"antwort-text": "Dritter"}
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 2
    with pytest.raises(services.ContributionRefused):
        services.comment_create(actor=erika, target=vorhaben, text="Dritter", parent=reply)
    page = client.get(vorhaben.get_url()).content.decode()
    assert f"/mitmachen/kommentar/{comment.pk}/antworten/" in page
    assert f"/mitmachen/kommentar/{reply.pk}/antworten/" not in page


def test_empty_comment_is_refused_with_an_error(vorhaben, erika):
    response = client_for(erika).post(
        f"/mitmachen/vorhaben/{vorhaben.pk}/kommentar/", {"kommentar-text": "   "}
    )
    assert response.status_code == 400
    assert "Bitte schreiben Sie Ihren Kommentar." in response.content.decode()
    assert not Comment.objects.exists()


# --- the edit window ------------------------------------------------------------------------------
def test_author_edits_within_15_minutes_only(vorhaben, erika):
    comment = services.comment_create(actor=erika, target=vorhaben, text="Erste Fassung")
    client = client_for(erika)
    url = f"/mitmachen/kommentar/{comment.pk}/bearbeiten/"

    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert "Erste Fassung" in client.get(url).content.decode()
        response = client.post(url, {"kommentar-text": "Zweite Fassung"})
        assert response.status_code == 302
        page = client.get(vorhaben.get_url()).content.decode()
        assert "Zweite Fassung" in page and "bearbeitet" in page

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client.get(url).status_code == 403
        response = client.post(url, {"kommentar-text": "Dritte Fassung"})
        assert response.status_code == 403
        assert "ersten 15 Minuten" in response.content.decode()
        page = client.get(vorhaben.get_url()).content.decode()
        assert f"/mitmachen/kommentar/{comment.pk}/bearbeiten/" not in page
    comment.refresh_from_db()
    assert comment.text == "Zweite Fassung"
    with (
        pytest.raises(services.ContributionRefused),
        time_machine.travel(timezone.now() + timedelta(minutes=16)),
    ):
        services.contribution_edit(actor=erika, contribution=comment, text="Vierte")


def test_nobody_else_edits_or_deletes(vorhaben, erika):
    comment = services.comment_create(actor=erika, target=vorhaben, text="Meins")
    other = client_for(citizen())
    assert (
        other.post(
            f"/mitmachen/kommentar/{comment.pk}/bearbeiten/", {"kommentar-text": "Fremd"}
        ).status_code
        == 403
    )
    assert other.post(f"/mitmachen/kommentar/{comment.pk}/loeschen/").status_code == 403
    comment.refresh_from_db()
    assert (comment.text, comment.state) == ("Meins", ModerationState.VISIBLE)


def test_idea_title_and_text_can_be_edited(vorhaben, erika):
    idea = services.idea_create(actor=erika, project=vorhaben, title="Bank", text="Eine.")
    response = client_for(erika).post(
        f"/mitmachen/idee/{idea.pk}/bearbeiten/", {"idee-title": "Zwei Bänke", "idee-text": "Zwei."}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.title, idea.text) == ("Zwei Bänke", "Zwei.")


# --- deleting -------------------------------------------------------------------------------------
def test_deleting_leaves_a_placeholder_and_keeps_the_replies(vorhaben, erika):
    comment = services.comment_create(actor=erika, target=vorhaben, text="Peinlicher Text")
    services.comment_create(actor=citizen(), target=vorhaben, text="Die Antwort bleibt",
                            parent=comment)  # fmt: skip
    client = client_for(erika)
    confirm = client.get(f"/mitmachen/kommentar/{comment.pk}/loeschen/")
    assert "Endgültig löschen" in confirm.content.decode()
    response = client.post(f"/mitmachen/kommentar/{comment.pk}/loeschen/")
    assert response.status_code == 302

    comment.refresh_from_db()
    assert comment.state == ModerationState.DELETED
    assert comment.text == ""
    page = client_for(None).get(vorhaben.get_url()).content.decode()
    assert "Dieser Beitrag wurde gelöscht." in page
    assert "Die Antwort bleibt" in page
    assert "Peinlicher Text" not in page
    # deleted means deleted: no second time, nothing to report, no new replies
    assert client.post(f"/mitmachen/kommentar/{comment.pk}/loeschen/").status_code == 403
    assert (
        client.post(
            f"/mitmachen/kommentar/{comment.pk}/antworten/", {"antwort-text": "Hallo?"}
        ).status_code
        == 403
    )


def test_deleted_idea_loses_title_and_place(vorhaben, erika):
    idea = services.idea_create(actor=erika, project=vorhaben, title="Geheimer Ort",
                                text="Text", address="Meine Straße 1")  # fmt: skip
    services.contribution_delete(actor=erika, contribution=idea)
    idea.refresh_from_db()
    assert (idea.title, idea.text, idea.address) == ("", "", "")
    page = client_for(None).get(vorhaben.get_url()).content.decode()
    assert "Gelöschte Idee" in page and "Meine Straße" not in page


def test_new_account_sees_how_to_confirm(vorhaben):
    user = UserFactory(confirmed=False)
    page = client_for(user).get(vorhaben.get_url()).content.decode()
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse." in page
    assert "/accounts/email/" in page


def test_preview_of_an_unsaved_project_has_no_section(rf, vorhabenliste):
    request = rf.get("/")
    request.user = AnonymousUser()
    context = project_context(project=build_project(), request=request)
    assert context == {"contributions": None}
    assert render_to_string("contributions/_project_section.html", context).strip() == ""
