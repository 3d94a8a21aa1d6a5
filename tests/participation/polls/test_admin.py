"""Polls in the Wagtail admin: moderators edit them with questions and choices inline; department
staff see the polls of their projects with the links to enter paper questionnaires."""

import re

import pytest
from django.contrib.auth.models import Group

from participation.polls.models import Poll
from tests.factories import DepartmentFactory, StaffUserFactory
from tests.participation.factories import project

from .conftest import make_poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderation_client(client, login_with_second_factor):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get_or_create(name="Moderation")[0])
    login_with_second_factor(client, user)
    return client


def _management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_a_moderator_creates_a_poll_with_questions_and_choices(moderation_client, poll_project):
    assert moderation_client.get("/admin/snippets/polls/poll/add/").status_code == 200
    data = {
        "project": str(poll_project.pk),
        "title": "Bänke am Markt",
        "description": "",
        "is_published": "on",
        "sort_order": "0",
        **_management("questions", 2),
        "questions-0-text": "Wo sollen Bänke stehen?",
        "questions-0-help_text": "",
        "questions-0-kind": "mehrfach",
        "questions-0-allow_other": "on",
        "questions-0-ORDER": "1",
        **_management("questions-0-choices", 2),
        "questions-0-choices-0-text": "am Brunnen",
        "questions-0-choices-0-ORDER": "1",
        "questions-0-choices-1-text": "unter den Linden",
        "questions-0-choices-1-ORDER": "2",
        "questions-1-text": "Was noch?",
        "questions-1-help_text": "",
        "questions-1-kind": "freitext",
        "questions-1-ORDER": "2",
        **_management("questions-1-choices", 0),
    }
    response = moderation_client.post("/admin/snippets/polls/poll/add/", data)
    assert response.status_code == 302, re.findall(
        r"error-message[^<]*<[^>]*>([^<]+)", response.content.decode()
    )
    poll = Poll.objects.get(title="Bänke am Markt")
    questions = list(poll.questions.all())
    assert [q.text for q in questions] == ["Wo sollen Bänke stehen?", "Was noch?"]
    assert [c.text for c in questions[0].choices.all()] == ["am Brunnen", "unter den Linden"]
    assert questions[0].allow_other and questions[0].kind == "mehrfach"


def test_the_list_offers_results_and_paper_entry(moderation_client, poll):
    text = moderation_client.get("/admin/snippets/polls/poll/").content.decode()
    assert poll.title in text
    assert f"/admin/umfragen/{poll.pk}/ergebnisse/" in text
    assert f"/admin/umfragen/{poll.pk}/papierbogen/" in text


def test_department_staff_see_only_their_projects_polls(
    client, poll, office_staff, login_with_second_factor
):
    other = make_poll(project(department=DepartmentFactory()), title="Fremde Umfrage")
    login_with_second_factor(client, office_staff)
    response = client.get("/admin/snippets/polls/poll/")
    assert response.status_code == 200
    text = response.content.decode()
    assert poll.title in text and other.title not in text
    assert f"/admin/umfragen/{poll.pk}/papierbogen/" in text
    # staff enter answers but do not edit polls
    edit = client.get(f"/admin/snippets/polls/poll/edit/{poll.pk}/")
    assert edit.status_code == 302


def test_staff_without_a_department_see_no_polls(client, poll, login_with_second_factor):
    login_with_second_factor(client, StaffUserFactory())
    response = client.get("/admin/snippets/polls/poll/")
    assert response.status_code == 302  # no permission for the list at all
