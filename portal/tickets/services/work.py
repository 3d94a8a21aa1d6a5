"""The department's work on a ticket: status, steps of its source, hand-over, notes, duplicates,
the daily digest."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError
from portal.core.models import OutboxMessage
from portal.departments.models import Department, DepartmentKind, DepartmentMembership

from ..constants import (
    CLOSED_STATUSES,
    REASON_REQUIRED,
    TICKET_WORKFLOW,
    EventKind,
    NotificationKind,
    TicketStatus,
)
from ..models import (
    Ticket,
    TicketEvent,
)
from ..sla import add_working_days, working_days_between
from .base import (
    _notify,
    _notify_citizen,
    ticket_event_record,
)


# --- the department's work ------------------------------------------------------------------------
def _lock(ticket: Ticket) -> Ticket:
    # lock the ticket row only: PostgreSQL cannot lock the outer-joined (nullable) department
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("category", "department")
        .get(pk=ticket.pk)
    )


def _require_routed(ticket: Ticket) -> None:
    if ticket.department_id is None:
        raise ApplicationError(_("Das Anliegen ist noch keinem Fachbereich zugeordnet."))


def _set_status(ticket: Ticket, status: str) -> str:
    """Move the ticket (checked against the workflow). A question to the citizen stops the SLA
    clock; leaving it, however (the answer, a closing, a clerk's change), runs it again with the
    due date moved by the working days it stood."""
    old = ticket.status
    TICKET_WORKFLOW.check(old, status)
    ticket.status = status
    now = timezone.now()
    if status in CLOSED_STATUSES:
        ticket.closed_at = now
    else:
        ticket.closed_at = None
    if status == TicketStatus.WAITING and old != TicketStatus.WAITING:
        ticket.waiting_since = now
    elif old == TicketStatus.WAITING and status != TicketStatus.WAITING:
        _resume_clock(ticket, now)
    return old


def _resume_clock(ticket: Ticket, now) -> None:
    if ticket.waiting_since is None:
        return
    stood = working_days_between(timezone.localdate(ticket.waiting_since), timezone.localdate(now))
    if ticket.due_date is not None and stood:
        ticket.due_date = add_working_days(ticket.due_date, stood)
    ticket.paused_days += stood
    ticket.waiting_since = None


@transaction.atomic
def ticket_change_status(
    *,
    ticket: Ticket,
    actor,
    status: str,
    public_message: str = "",
    internal_note: str = "",
    notify_citizen: bool = True,
) -> Ticket:
    """Move the ticket and tell the citizen, unless the source tells them itself
    (`notify_citizen=False`, e.g. the Ideenpool, which writes to authors and supporters)."""
    ticket = _lock(ticket)
    _require_routed(ticket)
    public_message = public_message.strip()
    if status in REASON_REQUIRED and not public_message:
        raise ApplicationError(
            _("Bitte nennen Sie der Bürgerin oder dem Bürger den Grund."), field="public_message"
        )
    old = _set_status(ticket, status)
    if status in CLOSED_STATUSES:
        ticket.status_reason = public_message
    if status != TicketStatus.DUPLICATE:
        ticket.duplicate_of = None
    if ticket.acknowledged_at is None:
        ticket.acknowledged_at = timezone.now()
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.STATUS,
        from_status=old,
        to_status=status,
        public_message=public_message,
        internal_note=internal_note.strip(),
    )
    if notify_citizen:
        _notify_citizen(ticket, event)
    return ticket


@transaction.atomic
def ticket_record_step(
    *,
    ticket: Ticket,
    actor,
    public_status: str,
    public_message: str = "",
    status: str = "",
    internal_note: str = "",
) -> TicketEvent:
    """A public step of the ticket's source (an idea's stage, its quorum, …) as one line of the
    ticket's timeline, which is the source's public timeline too: there is no second one.

    With `status`, the ticket moves there as well when it is routed and its map allows the move
    (a department that closed the ticket itself keeps it closed; the step is recorded all the
    same). The source tells its own people; the ticket does not e-mail its citizen again."""
    ticket = _lock(ticket)
    public_message = public_message.strip()
    old = ticket.status
    moves = (
        bool(status)
        and status != old
        and ticket.department_id is not None
        and TICKET_WORKFLOW.can(old, status)
    )
    if moves:
        _set_status(ticket, status)
        if status in CLOSED_STATUSES:
            ticket.status_reason = public_message
        ticket.duplicate_of = None
        if ticket.acknowledged_at is None:
            ticket.acknowledged_at = timezone.now()
        ticket.save()
    return ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.STATUS if moves else EventKind.STEP,
        from_status=old if moves else "",
        to_status=status if moves else "",
        public_status=public_status,
        public_message=public_message,
        internal_note=internal_note.strip(),
    )


@transaction.atomic
def ticket_accept(*, ticket: Ticket, actor, public_message: str = "") -> Ticket:
    """The department takes responsibility; the citizen sees "in Prüfung"."""
    ticket = _lock(ticket)
    _require_routed(ticket)
    if ticket.acknowledged_at is not None:
        raise ApplicationError(_("Die Zuständigkeit wurde bereits übernommen."))
    ticket.acknowledged_at = timezone.now()
    if ticket.assignee_id is None:
        ticket.assignee = actor
    old = ticket.status
    if ticket.status == TicketStatus.RECEIVED:
        _set_status(ticket, TicketStatus.IN_REVIEW)
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.ACCEPTED,
        department=ticket.department,
        from_status=old if old != ticket.status else "",
        to_status=ticket.status if old != ticket.status else "",
        public_message=public_message.strip()
        or (_("Ihr Anliegen wird geprüft.") if old != ticket.status else ""),
    )
    if old != ticket.status:
        _notify_citizen(ticket, event)
    return ticket


@transaction.atomic
def ticket_hand_over(*, ticket: Ticket, actor, department: Department, reason: str) -> Ticket:
    """Give the ticket to another department, which is notified. Handing over to an external
    body (e.g. Straßen.NRW) tells the citizen where the concern went."""
    ticket = _lock(ticket)
    _require_routed(ticket)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Bitte geben Sie einen Grund für die Abgabe an."), field="reason")
    if department.pk == ticket.department_id:
        raise ApplicationError(
            _("Das Anliegen liegt bereits bei diesem Fachbereich."), field="department"
        )
    if not department.is_active:
        raise ApplicationError(_("Dieser Fachbereich ist nicht aktiv."), field="department")
    ticket.department = department
    ticket.assignee = None
    ticket.acknowledged_at = None
    old = ticket.status
    public_message = ""
    if department.kind == DepartmentKind.EXTERNAL and old != TicketStatus.FORWARDED:
        _set_status(ticket, TicketStatus.FORWARDED)
        public_message = _("Ihr Anliegen wurde an %(name)s weitergeleitet.") % {
            "name": department.name
        }
        ticket.status_reason = public_message
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.HANDED_OVER,
        department=department,
        from_status=old if old != ticket.status else "",
        to_status=ticket.status if old != ticket.status else "",
        public_message=public_message,
        internal_note=reason,
    )
    _notify(
        key=f"department_new:{ticket.pk}:{event.pk}",
        kind=NotificationKind.DEPARTMENT_NEW,
        ticket=ticket,
        event=event,
        department=department,
    )
    if public_message:
        _notify_citizen(ticket, event)
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor, assignee) -> Ticket:
    ticket = _lock(ticket)
    _require_routed(ticket)
    if not DepartmentMembership.objects.filter(
        department_id=ticket.department_id, user=assignee
    ).exists():
        raise ApplicationError(
            _("%(name)s gehört nicht zum Fachbereich dieses Anliegens.") % {"name": assignee},
            field="assignee",
        )
    ticket.assignee = assignee
    ticket.save(update_fields=["assignee", "updated_at"])
    ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.ASSIGNED,
        internal_note=_("Zugewiesen an %(name)s.") % {"name": assignee},
    )
    return ticket


@transaction.atomic
def ticket_add_note(*, ticket: Ticket, actor, note: str) -> TicketEvent:
    if not note.strip():
        raise ApplicationError(_("Die Notiz ist leer."), field="note")
    return ticket_event_record(
        ticket=ticket, actor=actor, kind=EventKind.NOTE, internal_note=note.strip()
    )


@transaction.atomic
def ticket_mark_duplicate(
    *, ticket: Ticket, actor, original: Ticket, public_message: str = ""
) -> Ticket:
    ticket = _lock(ticket)
    _require_routed(ticket)
    original = Ticket.objects.get(pk=original.pk)
    while original.duplicate_of_id is not None:  # always point at the first report
        original = original.duplicate_of
    if original.pk == ticket.pk:
        raise ApplicationError(
            _("Ein Anliegen kann kein Duplikat von sich selbst sein."), field="original"
        )
    old = _set_status(ticket, TicketStatus.DUPLICATE)
    ticket.duplicate_of = original
    message = public_message.strip() or _(
        "Dieses Anliegen wurde bereits gemeldet und wird unter der Nummer %(number)s bearbeitet."
    ) % {"number": original.number}
    ticket.status_reason = message
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.DUPLICATE,
        from_status=old,
        to_status=TicketStatus.DUPLICATE,
        public_message=message,
    )
    _notify_citizen(ticket, event)
    return ticket


def department_digest_create(*, department_id: int) -> OutboxMessage | None:
    """Record today's digest for a department if it has anything to report (once per day)."""
    today = timezone.localdate()
    department = Department.objects.get(pk=department_id)
    tickets = Ticket.objects.filter(department=department).exclude(status__in=CLOSED_STATUSES)
    has_news = (
        tickets.filter(due_date__lt=today).exists()
        or tickets.filter(received_at__gte=timezone.now() - timezone.timedelta(days=1)).exists()
    )
    key = f"{NotificationKind.DEPARTMENT_DIGEST}:{department.pk}:{today.isoformat()}"
    if (
        not has_news
        or not department.email
        or OutboxMessage.objects.filter(key=f"tickets.{key}").exists()
    ):
        return None
    return _notify(key=key, kind=NotificationKind.DEPARTMENT_DIGEST, department=department)
