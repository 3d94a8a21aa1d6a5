"""Who may answer a poll, by role × phase: anyone (also without an account) while a phase with the
poll module runs, nobody outside it, and never a blocked person. Refused on the server: the POST
writes nothing, and the service refuses on its own."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participation.polls.models import Response
from participation.polls.services import poll_answer
from participation.projects.constants import Module
from participation.projects.models import ParticipationBlock, ProjectStatistics
from portal.core.errors import ApplicationError
from tests.factories import UserFactory
from tests.participation.factories import phase, project

from .conftest import PollData, make_poll

pytestmark = pytest.mark.django_db

PHASES = {
    "poll phase running": {"modules": [Module.POLLS], "running": True},
    "running phase without polls": {"modules": [Module.IDEAS, Module.COMMENTS], "running": True},
    "poll phase over": {"modules": [Module.POLLS], "running": "past"},
    "poll phase to come": {"modules": [Module.POLLS], "running": "future"},
    "no phase at all": None,
}


def _person(kind):
    if kind == "anonymous":
        return None
    if kind == "new account":
        return UserFactory(confirmed=False)
    user = UserFactory()
    if kind == "blocked":
        ParticipationBlock.objects.create(user=user, reason="Beleidigungen")
    if kind == "block expired":
        ParticipationBlock.objects.create(
            user=user, reason="Spam", until=timezone.now() - timedelta(days=1)
        )
    return user


PEOPLE = ["anonymous", "new account", "confirmed account", "blocked", "block expired"]


def _allowed(phase_name, person) -> bool:
    return phase_name == "poll phase running" and person != "blocked"


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("phase_name", list(PHASES))
def test_matrix_by_form(client, phase_name, person):
    page = project()
    if PHASES[phase_name] is not None:
        phase(page, **PHASES[phase_name])
    poll = make_poll(page)
    user = _person(person)
    if user is not None:
        client.force_login(user)

    response = client.post(f"/umfragen/{poll.pk}/antworten/", PollData(poll).valid())

    if _allowed(phase_name, person):
        assert response.status_code == 302
        assert Response.objects.filter(poll=poll).count() == 1
        assert ProjectStatistics.objects.get(project=page).contributions_online == 1
    else:
        assert response.status_code == 403
        text = response.content.decode()
        if person == "blocked":
            assert "Ihr Konto ist für die Beteiligung gesperrt" in text
        else:
            assert "Diese Umfrage kann zurzeit nicht beantwortet werden." in text
        assert not Response.objects.exists()
        assert not ProjectStatistics.objects.filter(project=page, contributions_online__gt=0)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("phase_name", list(PHASES))
def test_matrix_in_the_service(phase_name, person):
    """The service refuses on its own, whatever an edge forgets to check."""
    page = project()
    if PHASES[phase_name] is not None:
        phase(page, **PHASES[phase_name])
    poll = make_poll(page)
    user = _person(person)
    form_data = PollData(poll)
    from participation.polls.forms import PollForm

    form = PollForm(form_data.valid(), poll=poll)
    assert form.is_valid(), form.errors
    call = {"poll": poll, "answers": form.answers(), "user": user or AnonymousUser()}
    if _allowed(phase_name, person):
        poll_answer(**call, browser_key="b" * 32)
        assert Response.objects.count() == 1
    else:
        with pytest.raises(ApplicationError):
            poll_answer(**call, browser_key="b" * 32)
        assert not Response.objects.exists()


def test_the_project_page_shows_the_form_only_while_allowed(client, poll, blocked_user):
    url = poll.project.url
    text = client.get(url).content.decode()
    assert f'action="/umfragen/{poll.pk}/antworten/"' in text

    client.force_login(blocked_user)
    text = client.get(url).content.decode()
    assert f'action="/umfragen/{poll.pk}/antworten/"' not in text
    assert "Ihr Konto ist für die Beteiligung gesperrt" in text


def test_an_unpublished_poll_is_not_shown_and_cannot_be_answered(client, poll_project):
    draft = make_poll(poll_project, title="Entwurf", published=False)
    assert "Entwurf" not in client.get(poll_project.url).content.decode()
    assert client.get(f"/umfragen/{draft.pk}/").status_code == 404
    response = client.post(f"/umfragen/{draft.pk}/antworten/", PollData(draft).valid())
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_a_poll_of_an_unpublished_project_is_not_found(client):
    page = project(live=False)
    phase(page, modules=[Module.POLLS])
    poll = make_poll(page)
    assert client.get(f"/umfragen/{poll.pk}/").status_code == 404
    assert client.post(f"/umfragen/{poll.pk}/antworten/", PollData(poll).valid()).status_code == 404
