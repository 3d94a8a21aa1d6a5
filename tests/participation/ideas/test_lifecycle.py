"""The idea's lifecycle: the pre-check and the stages after it, the ticket that follows them, the
public timeline (the ticket's: one timeline), the e-mails to author and supporters, department
answers given on the ticket, and the KPI counters."""

import pytest
from django.core import mail

from participation.ideas.constants import STAGE_WORKFLOW, Stage, Step
from participation.ideas.models import PoolIdea, PoolStatistics
from participation.ideas.services import (
    IdeaRefused,
    idea_link_project,
    idea_submit,
    idea_support,
    stage_change,
)
from portal.core.errors import ApplicationError
from portal.core.models import OutboxMessage
from portal.core.subscriptions.models import Subscription
from portal.core.tasks import outbox_send_task
from portal.tickets.constants import EventKind, TicketStatus
from portal.tickets.models import Ticket, TicketEvent
from portal.tickets.services import ticket_accept, ticket_change_status
from tests.factories import DepartmentFactory, StaffUserFactory

from ..factories import field_of_action, project, project_index
from .factories import citizen, citizens, submitted_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(department):
    return submitted_idea()


def notices():
    """The e-mails of the idea's timeline owed in the outbox."""
    return OutboxMessage.objects.filter(kind="subscriptions.notice")


def notice_recipients(event) -> list[int]:
    """The accounts owed an e-mail about the line `event`."""
    ids = [m.context["subscription"] for m in notices().filter(context__event=event.pk)]
    return sorted(Subscription.objects.filter(pk__in=ids).values_list("user_id", flat=True))


def send_all() -> int:
    """What the worker does for every unsent e-mail (each send task again: nothing twice)."""
    before = len(mail.outbox)
    for message_id in notices().values_list("pk", flat=True):
        outbox_send_task.apply(args=[message_id])
    return len(mail.outbox) - before


def lines(idea, **filters):
    """The lines of the idea's timeline, its ticket's, oldest first."""
    return TicketEvent.objects.filter(ticket_id=idea.ticket_id, **filters).order_by(
        "created_at", "pk"
    )


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
    # the ticket's first line is the idea's first step
    assert [(e.kind, e.public_status) for e in lines(idea)] == [(EventKind.CREATED, "eingereicht")]
    assert stats().submitted == 1
    # the author receives the ticket's receipt, nobody an idea step e-mail yet
    assert (
        OutboxMessage.objects.filter(context__ticket=ticket.pk, kind="tickets.receipt").count() == 1
    )
    assert not notices().exists()


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
    # one line: the stage is the ticket's public status in the Ideenpool's words
    step = lines(idea).get(public_status=Stage.ADMISSIBLE)
    assert step.actor == clerk and step.kind == EventKind.STATUS
    assert step.public_message.startswith("Die Idee ist machbar")
    assert step.to_status == TicketStatus.IN_REVIEW
    # the ticket follows, and does not write to the author itself
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    assert ticket.status == TicketStatus.IN_REVIEW
    assert not OutboxMessage.objects.filter(
        context__ticket=ticket.pk, kind="tickets.status"
    ).exists()
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
    steps = list(lines(idea).exclude(public_status="").values_list("public_status", flat=True))
    assert steps == ["eingereicht", *path]
    assert Ticket.objects.get(pk=idea.ticket_id).status == TicketStatus.DONE
    counters = stats()
    assert (counters.submitted, counters.admissible, counters.implemented) == (1, 1, 1)
    assert (counters.established, counters.rejected) == (1, 0)
    assert STAGE_WORKFLOW.allowed(Stage.ESTABLISHED) == frozenset()


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


def test_an_answer_given_on_the_ticket_is_a_line_of_the_idea_timeline(
    idea, clerk, django_capture_on_commit_callbacks
):
    supporter = citizen()
    idea_support(actor=supporter, idea=idea)
    ticket = Ticket.objects.get(pk=idea.ticket_id)
    # the idea hears of the ticket's events through the spine's signal, after commit
    with django_capture_on_commit_callbacks(execute=True):
        ticket_accept(
            ticket=ticket, actor=clerk, public_message="Wir sehen uns den Ort nächste Woche an."
        )
    answer = lines(idea).get(kind=EventKind.ACCEPTED)
    assert answer.public_message == "Wir sehen uns den Ort nächste Woche an."
    idea.refresh_from_db()
    assert idea.first_answer_at == answer.created_at
    # the ticket told the author; the supporter hears it from the idea
    assert notice_recipients(answer) == [supporter.pk]
    # a status change without public text owes nobody an e-mail from the idea
    with django_capture_on_commit_callbacks(execute=True):
        ticket_change_status(ticket=ticket, actor=clerk, status=TicketStatus.IN_PROGRESS)
    assert notices().count() == 1
    # a stage change is one line, not a line and an answer (nothing is mirrored): its e-mails
    # are owed once, to the author and the supporter
    before = lines(idea).count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE, public_text="Zulässig.")
    assert callbacks  # the signal was sent for the ticket's event
    assert lines(idea).count() == before + 1
    step = lines(idea).get(public_status=Stage.ADMISSIBLE)
    assert notice_recipients(step) == sorted([idea.author_id, supporter.pk])


def test_linking_the_vorhaben_it_became(idea, clerk):
    project_index()
    vorhaben = project(title="Trinkbrunnen-Programm 2027")
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE)
    idea_link_project(actor=clerk, idea=idea, project=vorhaben)
    idea.refresh_from_db()
    assert idea.became_id == vorhaben.pk
    link = lines(idea).get(public_status=Step.PROJECT)
    assert "Trinkbrunnen-Programm 2027" in link.public_message
    idea_link_project(actor=clerk, idea=idea, project=vorhaben)  # again: no second step
    assert lines(idea).filter(public_status=Step.PROJECT).count() == 1


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

    from portal.core.outbox.services import outbox_relay

    rung = []
    monkeypatch.setattr(
        outbox_send_task, "apply_async", lambda args, **options: rung.append(args[0])
    )
    idea_support(actor=citizen(), idea=idea)
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE)  # the doorbell is not heard
    owed = set(notices().values_list("pk", flat=True))
    assert len(owed) == 2  # the author and the supporter
    outbox_relay()
    assert not owed & set(rung)  # too fresh: the doorbell may still be heard
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=6)):
        outbox_relay()
    assert owed <= set(rung)


def test_an_unsubscribed_supporter_gets_no_more_e_mails(idea, clerk, client):
    supporter = citizen()
    idea_support(actor=supporter, idea=idea)
    stage_change(actor=clerk, idea=idea, stage=Stage.ADMISSIBLE)
    mail.outbox.clear()
    send_all()
    message = next(m for m in mail.outbox if m.to == [supporter.email])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    assert path in message.body
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Sie sind abgemeldet" in response.content.decode()
    mail.outbox.clear()
    stage_change(actor=clerk, idea=idea, stage=Stage.ELABORATION)
    send_all()
    assert [m.to for m in mail.outbox] == [[idea.author.email]]
