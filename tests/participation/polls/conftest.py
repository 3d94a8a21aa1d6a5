"""Polls for the poll tests: a project with a running poll phase and one poll of each kind of
question."""

import pytest
from django.contrib.auth.models import Group

from participation.polls.models import Choice, Poll, Question, QuestionKind
from participation.projects.constants import Module, ResultsVisibility
from participation.projects.models import ParticipationBlock
from portal.departments.models import DepartmentMembership
from tests.factories import DepartmentFactory, UserFactory
from tests.participation.factories import phase, project


def make_poll(project_page, *, title="Wie soll der Platz aussehen?", published=True) -> Poll:
    """A poll with a single choice question (required, "Sonstiges" allowed), a multiple choice
    question and a free-text question."""
    poll = Poll.objects.create(project=project_page, title=title, is_published=published)
    single = Question.objects.create(
        poll=poll, sort_order=0, text="Was fehlt am meisten?", kind=QuestionKind.SINGLE,
        required=True, allow_other=True,
    )  # fmt: skip
    for position, text in enumerate(["Bänke", "Bäume", "Spielgeräte"]):
        Choice.objects.create(question=single, sort_order=position, text=text)
    multiple = Question.objects.create(
        poll=poll, sort_order=1, text="Wann sind Sie dort?", kind=QuestionKind.MULTIPLE
    )
    for position, text in enumerate(["morgens", "mittags", "abends"]):
        Choice.objects.create(question=multiple, sort_order=position, text=text)
    Question.objects.create(
        poll=poll, sort_order=2, text="Was möchten Sie uns noch sagen?", kind=QuestionKind.TEXT
    )
    return poll


class PollData:
    """The POST data of the poll form, by the questions' texts and choices."""

    def __init__(self, poll: Poll):
        self.poll = poll
        self.questions = list(poll.questions.order_by("sort_order"))

    def name(self, position: int, suffix: str = "") -> str:
        return f"umfrage{self.poll.pk}-q{self.questions[position].pk}{suffix}"

    def choice(self, position: int, text: str) -> str:
        return str(self.questions[position].choices.get(text=text).pk)

    def valid(self, **extra) -> dict:
        data = {
            self.name(0): self.choice(0, "Bäume"),
            self.name(1): [self.choice(1, "morgens"), self.choice(1, "abends")],
            self.name(2): "Mehr Schatten bitte.",
        }
        data.update(extra)
        return data


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Grünflächenamt")


@pytest.fixture
def poll_project(db, department):
    page = project(title="Neuer Marktplatz", department=department)
    phase(page, modules=[Module.POLLS], poll_results=ResultsVisibility.AFTER_PHASE)
    return page


@pytest.fixture
def poll(poll_project):
    return make_poll(poll_project)


@pytest.fixture
def data(poll):
    return PollData(poll)


@pytest.fixture
def blocked_user(db):
    user = UserFactory()
    ParticipationBlock.objects.create(user=user, reason="Beleidigungen")
    return user


@pytest.fixture
def moderator(db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="Moderation")[0])
    return user


@pytest.fixture
def office_staff(db, department):
    """A member of the project's department (MitMachBüro staff for this project)."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Sachbearbeitung"))
    DepartmentMembership.objects.create(department=department, user=user)
    return user
