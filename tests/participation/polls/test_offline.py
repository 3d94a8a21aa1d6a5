"""Paper questionnaires entered in the admin by the project's MitMachBüro staff: saved with their
channel, counted offline in the project's statistics and marked in the results."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from participation.polls.models import Response
from participation.projects.models import ProjectParticipant, ProjectStatistics
from tests.factories import StaffUserFactory

from .test_results import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, office_staff, login_with_second_factor):
    login_with_second_factor(client, office_staff)
    return client


def entry_url(poll) -> str:
    return f"/admin/umfragen/{poll.pk}/papierbogen/"


def paper(data, **values) -> dict:
    """The entry form's POST data (prefix "bogen")."""
    result = {"bogen-channel": values.pop("channel", "brief")}
    for name, value in values.items():
        result[name.replace(f"umfrage{data.poll.pk}-", "bogen-")] = value
    return result


def test_staff_enter_a_paper_questionnaire(staff_client, poll, data, office_staff):
    page = staff_client.get(entry_url(poll)).content.decode()
    assert "Papierbogen erfassen" in page and "Was fehlt am meisten?" in page

    response = staff_client.post(
        entry_url(poll), paper(data, **{data.name(0): data.choice(0, "Bänke")}, channel="telefon")
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.channel == "telefon" and saved.entered_by == office_staff
    assert saved.user is None and saved.browser_key == ""
    statistics = ProjectStatistics.objects.get(project=poll.project)
    assert (statistics.participants_offline, statistics.contributions_offline) == (1, 1)
    assert (statistics.participants_online, statistics.contributions_online) == (0, 0)
    participant = ProjectParticipant.objects.get()
    assert participant.key == f"offline:polls.response:{saved.pk}" and participant.offline
    assert "Der Antwortbogen ist erfasst" in staff_client.get(response["Location"]).content.decode()


def test_every_paper_questionnaire_is_a_participant_of_its_own(staff_client, poll, data):
    for _ in range(3):
        staff_client.post(entry_url(poll), paper(data, **{data.name(2): "Mehr Licht"}))
    statistics = ProjectStatistics.objects.get(project=poll.project)
    assert (statistics.participants_offline, statistics.contributions_offline) == (3, 3)


def test_online_and_offline_are_counted_apart_and_offline_is_marked(staff_client, poll, data):
    fill(poll, 2, choice="Bänke")
    staff_client.post(entry_url(poll), paper(data, **{data.name(0): data.choice(0, "Bänke")}))
    statistics = ProjectStatistics.objects.get(project=poll.project)
    assert (statistics.participants_online, statistics.participants_offline) == (2, 1)
    assert (statistics.contributions_online, statistics.contributions_offline) == (2, 1)

    with time_machine.travel(timezone.now() + timedelta(days=40)):
        text = Client().get(f"/umfragen/{poll.pk}/").content.decode()
    assert "3 Personen haben teilgenommen (davon offline: 1)" in text
    assert re.search(r'<th scope="row">Bänke</th>\s*<td class="align-right">3</td>', text)


def test_required_questions_may_stay_empty_on_paper(staff_client, poll, data):
    response = staff_client.post(entry_url(poll), paper(data, **{data.name(2): "Nur ein Satz"}))
    assert response.status_code == 302
    assert Response.objects.get().answers.count() == 1


def test_the_channel_is_required_and_must_be_offline(staff_client, poll, data):
    values = paper(data, **{data.name(2): "Text"}, channel="online")
    response = staff_client.post(entry_url(poll), values)
    assert response.status_code == 200
    assert "Bitte wählen Sie einen der genannten Wege." in response.content.decode()
    values["bogen-channel"] = ""
    response = staff_client.post(entry_url(poll), values)
    assert "Bitte wählen Sie, auf welchem Weg die Antworten kamen." in response.content.decode()
    assert not Response.objects.exists()


def test_offline_entry_works_outside_the_poll_phase(
    client, poll, data, office_staff, login_with_second_factor
):
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        login_with_second_factor(client, office_staff)
        response = client.post(entry_url(poll), paper(data, **{data.name(2): "Spät"}))
    assert response.status_code == 302
    assert Response.objects.get().channel == "brief"


def test_staff_of_another_department_may_not_enter(client, poll, data, login_with_second_factor):
    login_with_second_factor(client, StaffUserFactory())
    # Wagtail turns a refusal in its admin into a redirect to the dashboard
    for response in (
        client.get(entry_url(poll)),
        client.post(entry_url(poll), paper(data, **{data.name(2): "x"})),
        client.get(f"/admin/umfragen/{poll.pk}/ergebnisse/"),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Response.objects.exists()


def test_the_service_refuses_people_without_the_permission(poll, data):
    from participation.polls.services import AnswerInput, poll_answer_offline
    from portal.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="keine Antworten erfassen"):
        poll_answer_offline(
            poll=poll,
            answers=[AnswerInput(question_id=data.questions[2].pk, text="x")],
            channel="brief",
            entered_by=StaffUserFactory(),
        )
    assert not Response.objects.exists()


def test_moderation_group_may_enter_for_every_project(client, poll, data, login_with_second_factor):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get_or_create(name="Moderation")[0])
    login_with_second_factor(client, user)
    assert client.post(entry_url(poll), paper(data, **{data.name(2): "x"})).status_code == 302
