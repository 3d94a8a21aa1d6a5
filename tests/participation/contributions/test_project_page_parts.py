"""The ideas of a Vorhaben's page as a public part (`{% public_part %}`): rendered once for all
viewers who may do the same with them, each with their own CSRF token in the forms; rendered for
a viewer who wrote or supports one of them; a support is seen at once."""

import pytest
from django.test import Client

from participation.contributions import services
from tests.participation.factories import phase
from tests.public_parts import form_token, second_viewer_reads

from .conftest import citizen, open_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]

SUPPORTED = "Sie unterstützen diese Idee."


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def support_token(html: str, idea) -> str:
    return form_token(html, f"/mitmachen/idee/{idea.pk}/unterstuetzen/")


def test_the_ideas_are_shared_by_viewers_and_each_supports_with_their_own_token():
    vorhaben = open_project()
    author = citizen()
    idea = services.idea_create(
        actor=author, project=vorhaben, title="Trinkbrunnen am Markt", text="Bitte im Schatten."
    )
    url = vorhaben.get_url()
    first, second = signed_in(citizen()), signed_in(citizen())
    first_page, second_page, queries = second_viewer_reads(first, second, url)
    # the list came from the cache: no idea's text was read for the second viewer
    assert not any('"contributions_idea"."text"' in sql for sql in queries)
    assert "Trinkbrunnen am Markt" in second_page and "0 Unterstützungen" in second_page
    assert support_token(first_page, idea) != support_token(second_page, idea)

    response = second.post(
        f"/mitmachen/idee/{idea.pk}/unterstuetzen/",
        {"csrfmiddlewaretoken": support_token(second_page, idea), "next": url},
    )
    assert response.status_code == 302
    mine = second.get(url).content.decode()
    assert SUPPORTED in mine and "1 Unterstützung" in mine
    theirs = first.get(url).content.decode()
    assert SUPPORTED not in theirs and "1 Unterstützung" in theirs
    assert support_token(theirs, idea)
    # the author's own idea has their buttons, nobody else's page has them
    assert f"/mitmachen/idee/{idea.pk}/bearbeiten/" in signed_in(author).get(url).content.decode()
    assert f"/mitmachen/idee/{idea.pk}/bearbeiten/" not in first.get(url).content.decode()


def test_a_visitor_without_an_account_is_asked_to_sign_in_not_shown_a_button():
    vorhaben = open_project()
    services.idea_create(actor=citizen(), project=vorhaben, title="Trinkbrunnen", text="Bitte.")
    signed_in(citizen()).get(vorhaben.get_url())  # kept for citizens who may support
    page = Client().get(vorhaben.get_url()).content.decode()
    assert "Trinkbrunnen" in page
    assert "Unterstützen</button>" not in page.replace("\n", "")
    assert "Bitte melden Sie sich an, um mitzumachen." in page


def test_the_page_is_shared_but_the_follow_panel_is_each_viewers_own():
    vorhaben = open_project()
    first, second = citizen(email="anna@example.org"), citizen(email="ben@example.org")
    _first, page, queries = second_viewer_reads(
        signed_in(first), signed_in(second), vorhaben.get_url()
    )
    # the page came from the cache: not even the project's progress was read again
    assert not any('FROM "projects_projectupdate"' in sql for sql in queries)
    assert vorhaben.title in page
    assert "Die E-Mails gehen an die Adresse Ihres Kontos: ben@example.org" in page
    assert "anna@example.org" not in page


def test_a_viewer_who_wrote_in_the_discussion_gets_their_own_buttons():
    vorhaben = open_project()
    author, reader = citizen(), citizen()
    comment = services.comment_create(actor=author, target=vorhaben, text="Mehr Bänke bitte")
    edit = f"/mitmachen/kommentar/{comment.pk}/bearbeiten/"
    readers = signed_in(reader)
    readers.get(vorhaben.get_url())
    assert edit not in readers.get(vorhaben.get_url()).content.decode()
    assert edit in signed_in(author).get(vorhaben.get_url()).content.decode()
    assert edit not in readers.get(vorhaben.get_url()).content.decode()


def test_a_new_phase_is_on_a_signed_in_persons_project_page_at_once():
    vorhaben = open_project()
    client = signed_in(citizen())
    client.get(vorhaben.get_url())
    assert "Werkstatt im Rathaus" not in client.get(vorhaben.get_url()).content.decode()
    phase(vorhaben, running="future", name="Werkstatt im Rathaus")
    assert "Werkstatt im Rathaus" in client.get(vorhaben.get_url()).content.decode()
