"""The idea's lifecycle: the pre-check and the stages after it, the ticket that follows them, the
public timeline, the e-mails to author and supporters, department answers given on the ticket,
and the KPI counters."""

import pytest
from django.core import mail

from participation.ideas.constants import TRANSITIONS, EventKind, Stage
from participation.ideas.models import IdeaEvent, IdeaNotice, PoolIdea, PoolStatistics
from participation.ideas.services import (
    IdeaRefused,
    event_notices_send,
    idea_link_project,
    idea_submit,
    idea_support,
    notice_relay,
    stage_change,
)
from portal.core.errors import ApplicationError
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Notification, Ticket
from portal.tickets.services import ticket_accept, ticket_change_status
from tests.factories import DepartmentFactory, StaffUserFactory

from ..factories import field_of_action, project, project_index
from .factories import citizen, citizens, submitted_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(department):
    return submitted_idea()


def send_all() -> int:
    """What the worker does for every step with unsent e-mails."""
    event_ids = set(
        IdeaNotice.objects.filter(sent_at__isnull=True).values_list("event_id", flat=True)
    )
    return sum(event_notices_send(event_id=event_id) for event_id in event_ids)


def stats() -> PoolStatistics:
    return PoolStatistics.objects.get(pk=1)


def test_submitting_writes_idea_ticket_first_step_and_counter(department):
    author = citizen()
    idea = idea_submit(
        actor=author,
        title="Trinkbrunnen am Bahnhof",
        text="Im Sommer gibt es dort kein Wasser.",
        field_of_action=field_of_action(),
    )
    assert idea.stage == Stage.SUBMITTED
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    assert ticket.source == idea
    assert ticket.source_kind == "ideenpool"
    assert ticket.citizen == author
    assert ticket.category.kind == "idee"
    assert "Trinkbrunnen am Bahnhof" in ticket.summary
    assert [e.kind for e in IdeaEvent.objects.filter(idea=idea)] == [EventKind.SUBMITTED]
    assert stats().submitted == 1
    # the author receives the ticket's receipt, nobody an idea step e-mail yet
    assert Notification.objects.filter(ticket=ticket, kind="receipt").count() == 1
    assert not IdeaNotice.objects.exists()


def test_missing_fields_are_refused_in_german_and_nothing_is_written(department):
    with pytest.raises(ApplicationError, match="Titel") as error:
        idea_submit(actor=citizen(), title=" ", text="x", field_of_action=field_of_action())
    assert error.value.field == "title"
    with pytest.raises(ApplicationError, match="Handlungsfeld"):
        idea_submit(actor=citizen(), title="Titel", text="Text", field_of_action=None)
    with pytest.raises(ApplicationError, match="Koordinaten"):
        idea_submit(
            actor=citizen(),
            title="Titel",
            text="Text",
            field_of_action=field_of_action(),
            latitude=123,
            longitude=7,
        )
    assert not PoolIdea.objects.exists()
    assert not Ticket.objects.exists()


def test_precheck_by_the_department_reaches_author_and_supporters(idea, clerk):
    supporters = citizens(3)
    for supporter in supporters:
        idea_support(actor=supporter, idea=idea)
    mail.outbox.clear()

    stage_change(
        actor=clerk,
        idea=idea,
        stage=Stage.ADMISSIBLE,
        public_text="Die Idee ist machbar; das Grünflächenamt prüft sie weiter.",
    )

    idea.refresh_from_db()
    assert idea.stage == Stage.ADMISSIBLE
    assert idea.first_answer_at is not None
    step = IdeaEvent.objects.get(idea=idea, kind=EventKind.STAGE)
    assert step.to_stage == Stage.ADMISSIBLE and step.actor == clerk
    # the ticket follows, with the same public text, and does not write to the author itself
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    assert ticket.status == TicketStatus.IN_REVIEW
    assert ticket.events.filter(public_message__startswith="Die Idee ist machbar").exists()
    assert not Notification.objects.filter(ticket=ticket, kind="status").exists()
    # one e-mail each, to the author and the three supporters, none naming the others
    assert send_all() == 4
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([idea.author.email] + [s.email for s in supporters])
    for message in mail.outbox:
        assert "Vorprüfung: zulässig" in message.subject
        assert "Die Idee ist machbar" in message.body
        assert f"/ideenpool/{idea.pk}/" in message.body
        assert len(message.to) == 1
        for supporter in supporters:
            if supporter.email not in message.to:
                assert supporter.email not in message.body
    author_mail = next(m for m in mail.outbox if idea.author.email in m.to)
    assert "Ihre Idee" in author_mail.subject
    # sending again (a redelivered task) sends nothing
    assert send_all() == 0
    assert len(mail.outbox) == 4


def test_a_rejection_needs_a_public_reason_and_the_idea_stays_visible(idea, clerk):
    with pytest.raises(ApplicationError, match="begründen") as error:
        stage_change(actor=clerk, idea=idea, stage=Stage.INADMISSIBLE, public_text="  ")
    assert error.value.field == "public_text"
    assert PoolIdea.objects.get(pk=idea.pk).stage == Stage.SUBMITTED

    stage_change(
        actor=clerk,
        idea=idea,
        stage=Stage.INADMISSIBLE,
        public_text="Für Landesstraßen ist Straßen.NRW zuständig.",
    )
    idea.refresh_from_db()
    assert idea.stage_reason == "Für Landesstraßen ist Straßen.NRW zuständig."
    assert idea.is_visible
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    assert ticket.status == TicketStatus.NOT_FEASIBLE
    assert ticket.status_reason == "Für Landesstraßen ist Straßen.NRW zuständig."
    assert stats().rejected == 1
    # nothing follows a rejection
    with pytest.raises(ApplicationError, match="kann die Idee nicht"):
        stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE)


def test_the_whole_way_to_verstetigt_with_counters_and_ticket(idea, clerk):
    path = [
        Stage.ADMISSIBLE,
        Stage.ELABORATION,
        Stage.REVIEW,
        Stage.PRIORITISED,
        Stage.PLANNING,
        Stage.IMPLEMENTATION,
        Stage.EVALUATED,
        Stage.ESTABLISHED,
    ]
    for stage in path:
        stage_change(actor=clerk, idea=idea, stage=stage, public_text=f"Schritt {stage}")
    idea.refresh_from_db()
    assert idea.stage == Stage.ESTABLISHED
    steps = list(
        IdeaEvent.objects.filter(idea=idea, kind=EventKind.STAGE).values_list("to_stage", flat=True)
    )
    assert steps == path
    assert Ticket.objects.get(pk=idea.ticket_id).status == TicketStatus.DONE
    counters = stats()
    assert (counters.submitted, counters.admissible, counters.implemented) == (1, 1, 1)
    assert (counters.established, counters.rejected) == (1, 0)
    assert TRANSITIONS[Stage.ESTABLISHED] == ()


def test_skipping_a_stage_is_refused(idea, clerk):
    with pytest.raises(ApplicationError, match="nicht zu „in Planung“"):
        stage_change(actor=clerk, idea=idea, stage=Stage.PLANNING)


def test_only_the_routed_department_and_the_mitmachbuero_handle_an_idea(idea, mitmachbuero):
    other = StaffUserFactory()
    other.department_memberships.create(department=DepartmentFactory())
    for stranger in (other, citizen(), idea.author):
        with pytest.raises(IdeaRefused):
            stage_change(actor=stranger, idea=idea, stage=Stage.ADMISSIBLE)
    assert PoolIdea.objects.get(pk=idea.pk).stage == Stage.SUBMITTED
    stage_change(actor=mitmachbuero, idea=idea, stage=Stage.ADMISSIBLE)
    assert PoolIdea.objects.get(pk=idea.pk).stage == Stage.ADMISSIBLE


def test_an_answer_given_on_the_ticket_joins_the_idea_timeline(idea, clerk):
    supporter = citizen()
    idea_support(actor=supporter, idea=idea)
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    ticket_accept(
        ticket=ticket, actor=clerk, public_message="Wir sehen uns den Ort nächste Woche an."
    )
    answer = IdeaEvent.objects.get(idea=idea, kind=EventKind.ANSWER)
    assert answer.public_text == "Wir sehen uns den Ort nächste Woche an."
    idea.refresh_from_db()
    assert idea.first_answer_at == answer.created_at
    # the ticket told the author; the supporter hears it from the idea
    assert list(IdeaNotice.objects.filter(event=answer).values_list("recipient", flat=True)) == [
        supporter.pk
    ]
    # a status change without public text adds nothing
    ticket_change_status(ticket=ticket, actor=clerk, status=TicketStatus.IN_PROGRESS)
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.ANSWER).count() == 1
    # a stage change is one step, not a step and an answer
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text="Zulässig.")
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.ANSWER).count() == 1
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.STAGE).count() == 1


def test_linking_the_vorhaben_it_became(idea, clerk):
    project_index()
    vorhaben = project(title="Trinkbrunnen-Programm 2027")
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE)
    idea_link_project(actor=clerk, idea=idea, project=vorhaben)
    idea.refresh_from_db()
    assert idea.became_id == vorhaben.pk
    link = IdeaEvent.objects.get(idea=idea, kind=EventKind.PROJECT)
    assert "Trinkbrunnen-Programm 2027" in link.public_text
    idea_link_project(actor=clerk, idea=idea, project=vorhaben)  # again: no second step
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.PROJECT).count() == 1


def test_offline_entry_by_the_mitmachbuero(department, mitmachbuero):
    idea = idea_submit(
        actor=mitmachbuero,
        title="Bücherschrank im Park",
        text="Am Telefon vorgeschlagen.",
        field_of_action=field_of_action(),
        channel="telefon",
        offline_name="Frau Beispiel",
    )
    assert idea.author is None and idea.entered_by == mitmachbuero
    assert idea.offline_name == "Frau Beispiel"
    assert idea.author_name == "anonym"
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    assert ticket.channel == "telefon" and ticket.citizen is None
    with pytest.raises(IdeaRefused):
        idea_submit(
            actor=citizen(),
            title="x",
            text="y",
            field_of_action=field_of_action(),
            channel="telefon",
        )


def test_unsent_notices_are_rung_again_by_the_relay(idea, clerk, monkeypatch):
    import time_machine
    from django.utils import timezone

    rung = []
    from participation.ideas import tasks

    monkeypatch.setattr(
        tasks.event_notices_send_task, "apply_async", lambda args, **options: rung.append(args)
    )
    idea_support(actor=citizen(), idea=idea)
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE)
    assert notice_relay() == 0  # too fresh: the doorbell may still be heard
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=6)):
        assert notice_relay() == 1
    event = IdeaEvent.objects.get(idea=idea, kind=EventKind.STAGE)
    assert [event.pk] in rung
