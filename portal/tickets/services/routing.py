"""Opening a ticket, routing it to a department, and the relay."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import outbox
from portal.core.errors import ApplicationError
from portal.core.pagecache import public_content_changed
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
    TicketEvent,
)
from ..selectors import events_unannounced, routing_rule_list, ticket_pending_for_relay
from ..signals import announce_all
from ..sla import add_working_days
from .base import (
    ANNOUNCE_WITHIN,
    RELAY_AFTER,
    RELAY_BATCH,
    ROUTE_BATCH,
    RoutingError,
    _enqueue,
    _enqueue_on_commit,
    _next_number,
    _notification,
    _notify_citizen,
    _route_after_commit,
    _route_answered,
    _route_soon,
    logger,
    ticket_event_record,
    ticket_events_record,
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
    _route_after_commit(ticket.pk)
    return ticket


# --- routing ------------------------------------------------------------------------------------
class RoutingTable:
    """The active rules (with their departments) and the fallback department, read once for all
    the tickets one transaction routes."""

    def __init__(self):
        self.rules = list(routing_rule_list().select_related("department"))
        self._fallback = None
        self._fallback_loaded = False

    @property
    def fallback_department(self) -> Department | None:
        if not self._fallback_loaded:
            self._fallback = RoutingSettings.load().fallback_department
            self._fallback_loaded = True
        return self._fallback


def routing_resolve(
    *,
    source_kind: str,
    category: Category,
    district_id: int | None,
    text: str,
    table: RoutingTable | None = None,
) -> tuple[RoutingRule | None, Department | None]:
    """The department for a concern: the first matching rule, else the category's department,
    else the fallback department. `table`: the rules already read (else they are read now)."""
    table = table if table is not None else RoutingTable()
    for rule in table.rules:
        if rule.matches(
            source_kind=source_kind, category_id=category.pk, district_id=district_id, text=text
        ):
            return rule, rule.department
    default = category.default_department
    if default is not None and default.is_active:
        return None, default
    return None, table.fallback_department


def _pending_tickets():
    return Ticket.objects.select_for_update(of=("self",)).select_related(
        "category__default_department"
    )


def _resolve(ticket: Ticket, table: RoutingTable) -> tuple[RoutingRule | None, Department | None]:
    # through the module's name, so that a test worker's wrapper of it (tests/worker_tasks.py) is
    # the one called
    return routing_resolve(
        source_kind=ticket.source_kind,
        category=ticket.category,
        district_id=ticket.district_id,
        text=ticket.summary,
        table=table,
    )


def _routes_record(routes: list[tuple[Ticket, RoutingRule | None, Department]]) -> None:
    """Write the routing of `routes` (ticket, rule, department), locked by the caller: one
    UPDATE per department, the timeline's lines in one INSERT, the department's e-mail once per
    ticket; the sources hear of the lines after commit."""
    now = timezone.now()
    by_department: dict[int, list[int]] = defaultdict(list)
    for ticket, _rule, department in routes:
        by_department[department.pk].append(ticket.pk)
    for department_id, ticket_ids in by_department.items():
        Ticket.objects.filter(pk__in=ticket_ids).update(
            department_id=department_id,
            routing_state=RoutingState.ROUTED,
            routed_at=now,
            routing_attempts=F("routing_attempts") + 1,
            updated_at=now,
        )
    events = []
    for ticket, rule, department in routes:
        ticket.department = department
        ticket.routing_state = RoutingState.ROUTED
        ticket.routed_at = ticket.updated_at = now
        if rule is not None:
            how = _("Regel „%(rule)s“") % {"rule": rule.name}
        elif department.pk == ticket.category.default_department_id:
            how = _("Fachbereich der Kategorie")
        else:
            how = _("Auffang-Fachbereich")
        events.append(
            TicketEvent(
                ticket=ticket,
                kind=EventKind.ROUTED,
                department=department,
                rule=rule,
                internal_note=_("Zugeordnet an %(department)s (%(how)s).")
                % {"department": department.name, "how": how},
                created_at=now,
            )
        )
    # written with update() and bulk_create(): no signal tells the page cache (the department
    # shows on public pages and in Open311)
    public_content_changed()
    outbox.owe_many(
        [
            _notification(
                key=f"department_new:{event.ticket.pk}:{event.pk}",
                kind=NotificationKind.DEPARTMENT_NEW,
                ticket=event.ticket,
                event=event,
                department=event.department,
            )
            for event in ticket_events_record(events)
        ]
    )


def ticket_route(*, ticket_id: int) -> Ticket:
    """Assign a pending ticket to its department. Safe to run twice: a routed ticket is left
    alone, and the department's e-mail is recorded under one key."""
    with transaction.atomic():
        ticket = _pending_tickets().get(pk=ticket_id)
        if ticket.routing_state == RoutingState.ROUTED:
            return ticket
        rule, department = _resolve(ticket, RoutingTable())
        if department is None:
            raise RoutingError("no rule, no category department and no fallback department")
        _routes_record([(ticket, rule, department)])
    ticket.refresh_from_db()
    return ticket


def ticket_route_due(*, ticket_id: int, batch: int = ROUTE_BATCH) -> int:
    """The routing task's work: whatever routing is due. Routes the ticket `ticket_id` (if it is
    pending) and, in the same transaction, up to `batch - 1` other pending tickets, oldest first,
    that no other worker holds. Returns how many it routed.

    A burst rings the task once (`_route_after_commit`: while a ring waits, a new ticket does not
    ring again, and the task clears that mark before it reads); a task that finds a full batch
    rings the next one at once, so that further workers route the following batches side by side
    (SKIP LOCKED on PostgreSQL; SQLite has one writer anyway). Safe to run twice and in
    parallel: a routed ticket is left alone; a ticket that another worker holds is routed by that
    one. Raises RoutingError, after the others are routed, when no department can be found for
    the ticket `ticket_id`; other tickets without one stay pending until the relay rings for
    each on its own, which fails them."""
    _route_answered()
    with transaction.atomic():
        unheld = _pending_tickets().select_for_update(of=("self",), skip_locked=True)
        table = RoutingTable()
        routes, lost = [], False
        # None: routed already (a second delivery), held by another worker, or erased
        ticket = unheld.filter(pk=ticket_id, routing_state=RoutingState.PENDING).first()
        if ticket is not None:
            rule, department = _resolve(ticket, table)
            if department is None:
                lost = True  # raised once the others are routed: the task fails this ticket
            else:
                routes.append((ticket, rule, department))
        limit = max(batch - 1, 0)
        others = list(
            unheld.filter(routing_state=RoutingState.PENDING)
            .exclude(pk=ticket_id)
            .order_by("received_at", "pk")[:limit]
        )
        for other in others:
            rule, department = _resolve(other, table)
            if department is not None:
                routes.append((other, rule, department))
        if limit and len(others) == limit and routes:
            _route_soon(ticket_id)  # more may be due: the next batch to the next free worker
        if routes:
            _routes_record(routes)
    if lost:
        raise RoutingError("no rule, no category department and no fallback department")
    return len(routes)


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
    announced = announce_all(events)
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
