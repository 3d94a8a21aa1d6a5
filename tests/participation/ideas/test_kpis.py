"""The Ideenpool's KPIs: the counters after a sequence of stage changes, ideas per stage, and the
median time from submission to the first answer (odd and even counts, none), with a frozen
clock."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from participation.ideas import kpis
from participation.ideas.constants import Stage
from participation.ideas.services import idea_support, stage_change

from .factories import citizens, submitted_idea

pytestmark = pytest.mark.django_db

START = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())


def counters() -> dict[str, int]:
    return {counter.label: counter.value for counter in kpis.pool_counters()}


def per_stage() -> dict[str, int]:
    return {row.stage: row.count for row in kpis.ideas_per_stage() if row.count}


def walk(idea, actor, *stages) -> None:
    for stage in stages:
        stage_change(actor=actor, idea=idea, stage=stage, public_text="Begründung")


def test_counters_and_stages_after_a_sequence_of_changes(settings, department, clerk):
    settings.IDEAS_QUORUM_SUPPORTS = 2
    implemented, rejected, inadmissible, waiting = (submitted_idea() for _ in range(4))
    walk(
        implemented,
        clerk,
        Stage.ADMISSIBLE,
        Stage.REVIEW,
        Stage.PRIORITISED,
        Stage.PLANNING,
        Stage.IMPLEMENTATION,
        Stage.EVALUATED,
        Stage.ESTABLISHED,
    )
    walk(rejected, clerk, Stage.ADMISSIBLE, Stage.REJECTED)
    walk(inadmissible, clerk, Stage.INADMISSIBLE)
    for user in citizens(2):
        idea_support(actor=user, idea=waiting)

    assert counters() == {
        "eingereicht": 4,
        "zulässig": 2,
        "umgesetzt": 1,
        "verstetigt": 1,
        "abgelehnt (unzulässig oder nicht aufgenommen)": 2,
        "Quorum erreicht": 1,
    }
    assert per_stage() == {
        Stage.ESTABLISHED: 1,
        Stage.REJECTED: 1,
        Stage.INADMISSIBLE: 1,
        Stage.SUBMITTED: 1,
    }
    # every stage is listed, in the lifecycle's order, even with no idea in it
    assert [row.stage for row in kpis.ideas_per_stage()][:3] == [
        Stage.SUBMITTED,
        Stage.ADMISSIBLE,
        Stage.ELABORATION,
    ]


def test_ideas_per_stage_is_one_query(department, django_assert_num_queries):
    for _ in range(3):
        submitted_idea(route=False)
    with django_assert_num_queries(1):
        kpis.ideas_per_stage()


def answered_after(clerk, *waits: timedelta) -> None:
    """One idea per wait, submitted at START and answered (pre-checked) after that wait."""
    for wait in waits:
        with time_machine.travel(START, tick=False):
            idea = submitted_idea()
        with time_machine.travel(START + wait, tick=False):
            stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text="")


def test_median_with_no_answer_yet(department):
    with time_machine.travel(START, tick=False):
        submitted_idea()
    assert kpis.median_first_answer() is None
    assert kpis.median_first_answer_days() is None


def test_median_of_an_odd_count(department, clerk):
    answered_after(clerk, timedelta(days=10), timedelta(days=1), timedelta(days=2, hours=6))
    with time_machine.travel(START, tick=False):
        submitted_idea()  # not answered yet: not counted
    assert kpis.median_first_answer() == timedelta(days=2, hours=6)
    assert kpis.median_first_answer_days() == Decimal("2.3")  # 2.25 days, half up


def test_median_of_an_even_count(department, clerk):
    answered_after(
        clerk,
        timedelta(days=1),
        timedelta(days=20),
        timedelta(days=2, hours=12),
        timedelta(hours=12),
    )
    # the middle two: 1 day and 2.5 days
    assert kpis.median_first_answer() == timedelta(days=1, hours=18)
    assert kpis.median_first_answer_days() == Decimal("1.8")


def test_a_department_answer_on_the_ticket_counts_as_first_answer(
    department, clerk, django_capture_on_commit_callbacks
):
    from portal.tickets.services import ticket_accept

    with time_machine.travel(START, tick=False):
        idea = submitted_idea()
    # the idea hears of the answer through the spine's signal, after commit
    with (
        time_machine.travel(START + timedelta(days=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket_accept(ticket=idea.ticket, actor=clerk, public_message="Wir schauen uns das an.")
    assert kpis.median_first_answer_days() == Decimal("3.0")
