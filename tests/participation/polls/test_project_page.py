"""The polls on a Vorhaben's page as a public part (`{% public_part %}`): rendered once for all
viewers who stand alike towards them, each form with the viewer's own CSRF token; an answer is
seen by the one who gave it, not by the next."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.public_parts import form_token, second_viewer_reads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]

THANKS = "Vielen Dank: Sie haben an dieser Umfrage teilgenommen."


def signed_in() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    return client


def poll_token(html: str, poll) -> str:
    return form_token(html, f"/umfragen/{poll.pk}/antworten/")


def test_the_polls_are_shared_by_viewers_and_each_answers_with_their_own_token(poll, data):
    url = poll.project.get_url()
    first, second = signed_in(), signed_in()
    first_page, second_page, queries = second_viewer_reads(first, second, url)
    # the polls came from the cache: no question was read for the second viewer
    assert not any('FROM "polls_question"' in sql for sql in queries)
    assert "Was fehlt am meisten?" in second_page and "Antworten absenden" in second_page
    assert poll_token(first_page, poll) != poll_token(second_page, poll)

    response = second.post(
        f"/umfragen/{poll.pk}/antworten/",
        data.valid(csrfmiddlewaretoken=poll_token(second_page, poll)),
    )
    assert response.status_code == 302
    mine = second.get(url).content.decode()
    assert THANKS in mine and "Antworten absenden" not in mine
    theirs = first.get(url).content.decode()
    assert THANKS not in theirs and "Antworten absenden" in theirs
