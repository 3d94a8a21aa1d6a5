"""Writes on tickets. Every change records an event; side effects run after commit."""

import logging
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import doorbell
from portal.core.errors import ApplicationError
from portal.core.sequences import next_yearly_number
from portal.departments.models import Department, DepartmentKind, DepartmentMembership
from portal.departments.selectors import district_for_location

from .constants import (
    CLOSED_STATUSES,
    REASON_REQUIRED,
    TRANSITIONS,
    Channel,
    EventKind,
    NotificationKind,
    RoutingState,
    TicketStatus,
)
from .models import (
    Category,
    FailedJob,
    Notification,
    RoutingRule,
    RoutingSettings,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from .selectors import routing_rule_list, ticket_pending_for_relay
from .sla import add_working_days

logger = logging.getLogger(__name__)

RELAY_AFTER = timezone.timedelta(minutes=2)
RELAY_BATCH = 500


class RoutingError(Exception):
    """No department can be found: retrying does not help, staff must look."""


# --- enqueueing: the broker is only the doorbell (portal.core.doorbell) ---------------------------
def _task(task_name: str):
    from . import tasks

    return getattr(tasks, task_name)


def _enqueue(task_name: str, object_id: int) -> None:
    doorbell.ring(_task(task_name), object_id)


def _enqueue_on_commit(task_name: str, object_id: int) -> None:
    doorbell.ring_on_commit(partial(_task, task_name), object_id)


# --- numbers and dates ----------------------------------------------------------------------------
def _next_number(year: int) -> str:
    """`2026-000123`: sequential per year, safe under concurrent submits (row lock)."""
    return f"{year}-{next_yearly_number(TicketSequence, year):06d}"


# --- notifications ------------------------------------------------------------------------------
def _notify(
    *,
    key: str,
    kind: str,
    ticket: Ticket | None = None,
    event: TicketEvent | None = None,
    department: Department | None = None,
) -> Notification | None:
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "ticket": ticket, "event": event, "department": department},
    )
    if created:
        _enqueue_on_commit("notification_send_task", notification.pk)
    return notification


def _citizen_reachable(ticket: Ticket) -> bool:
    return bool(ticket.contact_email or (ticket.citizen_id and ticket.citizen.email))


def _notify_citizen(ticket: Ticket, event: TicketEvent, kind=NotificationKind.STATUS) -> None:
    if _citizen_reachable(ticket):
        _notify(key=f"{kind}:{event.pk}", kind=kind, ticket=ticket, event=event)


# --- opening ------------------------------------------------------------------------------------
@transaction.atomic
def ticket_open(
    *,
    source=None,
    source_kind: str,
    category: Category,
    summary: str,
    channel: str = Channel.ONLINE,
    citizen=None,
    contact_email: str = "",
    latitude=None,
    longitude=None,
    address: str = "",
    district=None,
    actor=None,
) -> Ticket:
    """Open a ticket for a source object, in the caller's transaction. Routing happens after
    commit, in the worker; the receipt number comes from this commit, never from the broker."""
    if not summary.strip():
        raise ApplicationError(_("Bitte beschreiben Sie Ihr Anliegen."), field="summary")
    if (latitude is None) != (longitude is None):
        raise ApplicationError(_("Der Ort ist unvollständig."), field="location")
    if district is None and latitude is not None:
        district = district_for_location(latitude=float(latitude), longitude=float(longitude))
    received_at = timezone.now()
    ticket = Ticket(
        number=_next_number(timezone.localdate(received_at).year),
        source_kind=source_kind,
        category=category,
        summary=summary.strip(),
        channel=channel,
        citizen=citizen if citizen is not None and citizen.is_authenticated else None,
        contact_email=contact_email.strip().lower(),
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        district=district,
        received_at=received_at,
        due_date=add_working_days(timezone.localdate(received_at), category.sla_days),
    )
    if source is not None:
        ticket.source = source
    ticket.save()
    event = TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=EventKind.CREATED,
        to_status=TicketStatus.RECEIVED,
        public_message=_("Ihr Anliegen ist eingegangen."),
        created_at=received_at,
    )
    _notify_citizen(ticket, event, kind=NotificationKind.RECEIPT)
    _enqueue_on_commit("ticket_route_task", ticket.pk)
    return ticket


# --- routing ------------------------------------------------------------------------------------
def routing_resolve(
    *, source_kind: str, category: Category, district_id: int | None, text: str
) -> tuple[RoutingRule | None, Department | None]:
    """The department for a concern: the first matching rule, else the category's department,
    else the fallback department."""
    for rule in routing_rule_list().select_related("department"):
        if rule.matches(
            source_kind=source_kind, category_id=category.pk, district_id=district_id, text=text
        ):
            return rule, rule.department
    default = category.default_department
    if default is not None and default.is_active:
        return None, default
    return None, RoutingSettings.load().fallback_department


def ticket_route(*, ticket_id: int) -> Ticket:
    """Assign a pending ticket to its department. Safe to run twice: a routed ticket is left
    alone, and the department's e-mail is recorded under one key."""
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=ticket_id)
        )
        if ticket.routing_state == RoutingState.ROUTED:
            return ticket
        rule, department = routing_resolve(
            source_kind=ticket.source_kind,
            category=ticket.category,
            district_id=ticket.district_id,
            text=ticket.summary,
        )
        if department is None:
            raise RoutingError("no rule, no category department and no fallback department")
        ticket.department = department
        ticket.routing_state = RoutingState.ROUTED
        ticket.routed_at = timezone.now()
        ticket.routing_attempts = F("routing_attempts") + 1
        ticket.save(
            update_fields=[
                "department",
                "routing_state",
                "routed_at",
                "routing_attempts",
                "updated_at",
            ]
        )
        if rule is not None:
            how = _("Regel „%(rule)s“") % {"rule": rule.name}
        elif department == ticket.category.default_department:
            how = _("Fachbereich der Kategorie")
        else:
            how = _("Auffang-Fachbereich")
        event = TicketEvent.objects.create(
            ticket=ticket,
            kind=EventKind.ROUTED,
            department=department,
            rule=rule,
            internal_note=_("Zugeordnet an %(department)s (%(how)s).")
            % {"department": department.name, "how": how},
        )
        _notify(
            key=f"department_new:{ticket.pk}:{event.pk}",
            kind=NotificationKind.DEPARTMENT_NEW,
            ticket=ticket,
            event=event,
            department=department,
        )
    ticket.refresh_from_db()
    return ticket


@transaction.atomic
def ticket_routing_failed(*, ticket_id: int, error: str) -> None:
    updated = Ticket.objects.filter(pk=ticket_id).exclude(routing_state=RoutingState.ROUTED)
    if updated.update(routing_state=RoutingState.FAILED):
        FailedJob.objects.create(
            task_name="tickets.route", object_id=ticket_id, ticket_id=ticket_id, error=error[:2000]
        )
        logger.error("Routing of ticket %s failed for good: %s", ticket_id, error)


def ticket_relay() -> dict[str, int]:
    """Ring the doorbell again for everything still waiting: tickets not yet routed and
    e-mails not yet sent (Redis was down, or a message got lost)."""
    ticket_ids = list(
        ticket_pending_for_relay(older_than=RELAY_AFTER).values_list("pk", flat=True)[:RELAY_BATCH]
    )
    for ticket_id in ticket_ids:
        _enqueue("ticket_route_task", ticket_id)
    cutoff = timezone.now() - RELAY_AFTER
    notification_ids = list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
        .exclude(pk__in=FailedJob.objects.filter(
            task_name="tickets.notify", retried_at__isnull=True
        ).values("object_id"))
        .values_list("pk", flat=True)[:RELAY_BATCH]
    )  # fmt: skip
    for notification_id in notification_ids:
        _enqueue("notification_send_task", notification_id)
    return {"tickets": len(ticket_ids), "notifications": len(notification_ids)}


@transaction.atomic
def failed_job_retry(*, job: FailedJob) -> None:
    if job.retried_at is not None:
        raise ApplicationError(_("Dieser Auftrag wurde bereits erneut gestartet."))
    job.retried_at = timezone.now()
    job.save(update_fields=["retried_at"])
    if job.task_name == "tickets.route":
        Ticket.objects.filter(pk=job.object_id, routing_state=RoutingState.FAILED).update(
            routing_state=RoutingState.PENDING
        )
        _enqueue_on_commit("ticket_route_task", job.object_id)
    elif job.task_name == "tickets.notify":
        _enqueue_on_commit("notification_send_task", job.object_id)


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
    old = ticket.status
    if status not in TRANSITIONS[old]:
        raise ApplicationError(
            _("Von „%(old)s“ kann nicht zu „%(new)s“ gewechselt werden.")
            % {"old": TicketStatus(old).label, "new": TicketStatus(status).label},
            field="status",
        )
    ticket.status = status
    if status in CLOSED_STATUSES:
        ticket.closed_at = timezone.now()
    else:
        ticket.closed_at = None
    return old


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
    event = TicketEvent.objects.create(
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
    event = TicketEvent.objects.create(
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
    event = TicketEvent.objects.create(
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
    TicketEvent.objects.create(
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
    return TicketEvent.objects.create(
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
    event = TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=EventKind.DUPLICATE,
        from_status=old,
        to_status=TicketStatus.DUPLICATE,
        public_message=message,
    )
    _notify_citizen(ticket, event)
    return ticket


def department_digest_create(*, department_id: int) -> Notification | None:
    """Record today's digest for a department if it has anything to report (once per day)."""
    today = timezone.localdate()
    department = Department.objects.get(pk=department_id)
    tickets = Ticket.objects.filter(department=department).exclude(status__in=CLOSED_STATUSES)
    has_news = (
        tickets.filter(due_date__lt=today).exists()
        or tickets.filter(received_at__gte=timezone.now() - timezone.timedelta(days=1)).exists()
    )
    key = f"{NotificationKind.DEPARTMENT_DIGEST}:{department.pk}:{today.isoformat()}"
    if not has_news or not department.email or Notification.objects.filter(key=key).exists():
        return None
    return _notify(key=key, kind=NotificationKind.DEPARTMENT_DIGEST, department=department)
