"""The quorum with a frozen clock (Schwerte: 75 supports within 6 weeks; both are settings)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from participation.ideas.constants import Stage, Step
from participation.ideas.models import PoolIdea, PoolStatistics
from participation.ideas.services import (
    AlreadyDone,
    IdeaRefused,
    idea_support,
    idea_support_withdraw,
    stage_change,
)
from portal.tickets.models import TicketEvent
from tests.factories import UserFactory

from .factories import citizen, citizens, submitted_idea

pytestmark = pytest.mark.django_db

START = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def small_quorum(settings):
    settings.IDEAS_QUORUM_SUPPORTS = 5
    settings.IDEAS_SUPPORT_WEEKS = 6


@pytest.fixture
def idea():
    with time_machine.travel(START, tick=False):
        return submitted_idea(route=False)


def support_by(idea, count: int) -> list:
    users = citizens(count)
    for user in users:
        idea_support(actor=user, idea=idea)
    return users


def reload(idea) -> PoolIdea:
    return PoolIdea.objects.get(pk=idea.pk)


def quorum_events(idea) -> int:
    return TicketEvent.objects.filter(ticket_id=idea.ticket_id, public_status=Step.QUORUM).count()


def test_the_window_is_six_weeks_from_submission(idea):
    assert idea.support_ends_at == START + timedelta(weeks=6)


def test_reached_within_the_window_on_its_last_minute(idea):
    with time_machine.travel(START + timedelta(days=3), tick=False):
        support_by(idea, 4)
    assert reload(idea).quorum_reached_at is None
    last_minute = START + timedelta(weeks=6) - timedelta(minutes=1)
    with time_machine.travel(last_minute, tick=False):
        support_by(idea, 1)
    idea = reload(idea)
    assert idea.support_count == 5
    assert idea.quorum_reached_at == last_minute
    assert quorum_events(idea) == 1
    assert PoolStatistics.objects.get(pk=1).quorum_reached == 1


def test_missed_by_one_when_the_window_closes(idea):
    with time_machine.travel(START + timedelta(weeks=5), tick=False):
        support_by(idea, 4)
    with time_machine.travel(START + timedelta(weeks=6), tick=False):
        late = citizen()
        with pytest.raises(IdeaRefused, match="Frist für Unterstützungen ist abgelaufen"):
            idea_support(actor=late, idea=idea)
    idea = reload(idea)
    assert idea.support_count == 4
    assert idea.quorum_reached_at is None
    assert idea.quorum_missing == 1
    assert quorum_events(idea) == 0


def test_more_supports_after_reaching_it_do_not_mark_it_again(idea):
    with time_machine.travel(START + timedelta(days=1), tick=False):
        support_by(idea, 5)
    reached_at = reload(idea).quorum_reached_at
    with time_machine.travel(START + timedelta(days=2), tick=False):
        support_by(idea, 3)
    idea = reload(idea)
    assert idea.support_count == 8
    assert idea.quorum_reached_at == reached_at
    assert quorum_events(idea) == 1


def test_withdrawn_after_reaching_it_stays_reached_by_default(idea, settings):
    settings.IDEAS_QUORUM_KEPT_AFTER_WITHDRAWAL = True
    with time_machine.travel(START + timedelta(days=1), tick=False):
        users = support_by(idea, 5)
    with time_machine.travel(START + timedelta(days=2), tick=False):
        idea_support_withdraw(actor=users[0], idea=idea)
    idea = reload(idea)
    assert idea.support_count == 4
    assert idea.quorum_reached_at is not None
    assert PoolStatistics.objects.get(pk=1).quorum_reached == 1


def test_withdrawn_after_reaching_it_is_lost_when_the_setting_says_so(idea, settings):
    settings.IDEAS_QUORUM_KEPT_AFTER_WITHDRAWAL = False
    with time_machine.travel(START + timedelta(days=1), tick=False):
        users = support_by(idea, 5)
    with time_machine.travel(START + timedelta(days=2), tick=False):
        idea_support_withdraw(actor=users[0], idea=idea)
    idea = reload(idea)
    assert idea.support_count == 4
    assert idea.quorum_reached_at is None
    assert (
        TicketEvent.objects.filter(ticket_id=idea.ticket_id, public_status=Step.QUORUM_LOST).count()
        == 1
    )
    assert PoolStatistics.objects.get(pk=1).quorum_reached == 0
    # and one more support reaches it again
    with time_machine.travel(START + timedelta(days=3), tick=False):
        support_by(idea, 1)
    assert reload(idea).quorum_reached_at == START + timedelta(days=3)


def test_no_withdrawal_once_the_window_is_closed(idea):
    with time_machine.travel(START + timedelta(days=1), tick=False):
        users = support_by(idea, 2)
    with time_machine.travel(START + timedelta(weeks=6, seconds=1), tick=False):
        with pytest.raises(IdeaRefused, match="bleibt gezählt"):
            idea_support_withdraw(actor=users[0], idea=idea)
    assert reload(idea).support_count == 2


def test_once_per_person_and_withdraw_only_what_was_given(idea):
    user = citizen()
    with time_machine.travel(START + timedelta(days=1), tick=False):
        idea_support(actor=user, idea=idea)
        with pytest.raises(AlreadyDone):
            idea_support(actor=user, idea=idea)
        idea_support_withdraw(actor=user, idea=idea)
        with pytest.raises(AlreadyDone):
            idea_support_withdraw(actor=user, idea=idea)
        idea_support(actor=user, idea=idea)  # and support again, while the window is open
    assert reload(idea).support_count == 1


def test_who_may_not_support(idea, mitmachbuero, department):
    with time_machine.travel(START + timedelta(days=1), tick=False):
        with pytest.raises(IdeaRefused, match="bestätigen Sie zuerst"):
            idea_support(actor=UserFactory(confirmed=False), idea=idea)
        with pytest.raises(IdeaRefused, match="eigene Idee"):
            idea_support(actor=idea.author, idea=idea)
    # an idea the city did not take up takes no more supports
    from portal.tickets.services import ticket_route

    ticket_route(ticket_id=idea.ticket_id)
    with time_machine.travel(START + timedelta(days=2), tick=False):
        stage_change(
            actor=mitmachbuero,
            idea=idea,
            stage=Stage.INADMISSIBLE,
            public_text="Dafür ist der Kreis zuständig.",
        )
        with pytest.raises(IdeaRefused, match="nicht aufgenommen"):
            idea_support(actor=citizen(), idea=idea)
