"""Opening a ticket, routing it to a department, and the relay."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError
from portal.departments.models import Department
from portal.departments.selectors import district_for_location

from ..constants import (
    Channel,
    EventKind,
    NotificationKind,
    RoutingState,
    TicketStatus,
)
from ..models import (
    Category,
    FailedJob,
    RoutingRule,
    RoutingSettings,
    Ticket,
)
from ..selectors import events_unannounced, routing_rule_list, ticket_pending_for_relay
from ..signals import announce
from ..sla import add_working_days
from .base import (
    ANNOUNCE_WITHIN,
    RELAY_AFTER,
    RELAY_BATCH,
    RoutingError,
    _enqueue,
    _enqueue_on_commit,
    _next_number,
    _notify,
    _notify_citizen,
    logger,
    ticket_event_record,
)


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
    public_status: str = "",
    public_message: str = "",
) -> Ticket:
    """Open a ticket for a source object, in the caller's transaction. Routing happens after
    commit, in the worker; the receipt number comes from this commit, never from the broker.
    `public_status`/`public_message` name the first line of the timeline in the source's words
    (an idea: "eingereicht")."""
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
    event = ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.CREATED,
        to_status=TicketStatus.RECEIVED,
        public_status=public_status,
        public_message=public_message or _("Ihr Anliegen ist eingegangen."),
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
        event = ticket_event_record(
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
    """Ring the doorbell again for tickets not yet routed (Redis was down, or a message got
    lost), and announce events whose announcement was lost (signals.py). Unsent e-mails are the
    kernel outbox's relay's ("outbox.relay")."""
    ticket_ids = list(
        ticket_pending_for_relay(older_than=RELAY_AFTER).values_list("pk", flat=True)[:RELAY_BATCH]
    )
    for ticket_id in ticket_ids:
        _enqueue("ticket_route_task", ticket_id)
    events = list(events_unannounced(older_than=RELAY_AFTER, within=ANNOUNCE_WITHIN)[:RELAY_BATCH])
    announced = sum(announce(event) for event in events)
    return {"tickets": len(ticket_ids), "events": announced}


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
