import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.departments.models import Department, DepartmentMembership, MembershipRole

from .constants import OPEN_STATUSES, RoutingState
from .models import FailedJob, RoutingRule, Ticket, TicketEvent


def user_is_ticket_admin(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("tickets.view_all_tickets"))


def user_department_ids(user) -> frozenset[int]:
    """The departments a staff member works in, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_department_ids", None)
    if cached is None:
        cached = frozenset(
            DepartmentMembership.objects.filter(user=user, department__is_active=True).values_list(
                "department_id", flat=True
            )
        )
        user._portal_department_ids = cached
    return cached


def user_headed_department_ids(user) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_headed_department_ids", None)
    if cached is None:
        cached = frozenset(
            DepartmentMembership.objects.filter(
                user=user, role=MembershipRole.HEAD, department__is_active=True
            ).values_list("department_id", flat=True)
        )
        user._portal_headed_department_ids = cached
    return cached


def ticket_list_for_user(user) -> QuerySet[Ticket]:
    """Every ticket this user may see: all for admins, their departments' for clerks."""
    tickets = Ticket.objects.select_related("category", "department", "district", "assignee")
    if user_is_ticket_admin(user):
        return tickets
    return tickets.filter(department_id__in=user_department_ids(user))


def ticket_queue(
    *,
    user,
    status: str = "",
    category_id: int | None = None,
    district_id: int | None = None,
    department_id: int | None = None,
    overdue: bool = False,
    mine: bool = False,
    open_only: bool = False,
    query: str = "",
    ordering: str = "due_date",
) -> QuerySet[Ticket]:
    tickets = ticket_list_for_user(user)
    if status:
        tickets = tickets.filter(status=status)
    if open_only:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    if category_id:
        tickets = tickets.filter(category_id=category_id)
    if district_id:
        tickets = tickets.filter(district_id=district_id)
    if department_id:
        tickets = tickets.filter(department_id=department_id)
    if overdue:
        tickets = tickets.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    if mine:
        tickets = tickets.filter(assignee=user)
    if query:
        tickets = tickets.filter(Q(number__icontains=query) | Q(summary__icontains=query))
    allowed = {"due_date", "-due_date", "received_at", "-received_at", "number", "-number"}
    ordering = ordering if ordering in allowed else "due_date"
    return tickets.order_by(ordering, "pk")


def ticket_public_timeline(*, ticket: Ticket) -> list[TicketEvent]:
    """What the citizen sees: creation, status changes and public messages; never notes."""
    events = ticket.events.order_by("created_at", "pk")
    return [event for event in events if event.is_public]


def ticket_timeline(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.select_related("actor", "department", "rule").order_by("created_at", "pk")


def ticket_list_for_citizen(*, user) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(citizen=user)
        .select_related("category", "duplicate_of")
        .order_by("-received_at")
    )


def ticket_pending_for_relay(*, older_than: datetime.timedelta) -> QuerySet[Ticket]:
    cutoff = timezone.now() - older_than
    return Ticket.objects.filter(routing_state=RoutingState.PENDING, received_at__lt=cutoff)


def events_unannounced(
    *, older_than: datetime.timedelta, within: datetime.timedelta
) -> QuerySet[TicketEvent]:
    """Events of the last `within` whose announcement to the sources was lost or failed."""
    now = timezone.now()
    return (
        TicketEvent.objects.filter(
            created_at__lt=now - older_than,
            created_at__gte=now - within,
            announcement__isnull=True,
        )
        .select_related("ticket")
        .order_by("created_at", "pk")
    )


def routing_rule_list() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.filter(is_active=True, department__is_active=True).order_by(
        "position", "pk"
    )


def failed_job_list() -> QuerySet[FailedJob]:
    return FailedJob.objects.select_related("ticket").order_by("-created_at")


def department_statistics(*, department: Department) -> dict:
    from django.db.models import Count

    tickets = Ticket.objects.filter(department=department)
    today = timezone.localdate()
    by_status = dict(tickets.values_list("status").annotate(n=Count("pk")))
    return {
        "by_status": by_status,
        "open": tickets.filter(status__in=OPEN_STATUSES).count(),
        "overdue": tickets.filter(status__in=OPEN_STATUSES, due_date__lt=today).count(),
        "total": tickets.count(),
    }


def ticket_statistics_for_departments(
    *, department_ids, window: datetime.timedelta = datetime.timedelta(days=365)
) -> dict[int, dict]:
    """Per department: counts by status, open, overdue, and the median time from receipt to
    closing of the tickets closed within `window` (a bounded set, computed in Python). A fixed
    number of queries, however many departments."""
    import statistics
    from collections import defaultdict

    from django.db.models import Count

    ids = list(department_ids)
    today = timezone.localdate()
    tickets = Ticket.objects.filter(department_id__in=ids).order_by()
    result: dict[int, dict] = {
        pk: {"by_status": {}, "open": 0, "overdue": 0, "total": 0, "closed": 0, "median": None}
        for pk in ids
    }
    for department_id, status, count in tickets.values_list("department_id", "status").annotate(
        n=Count("pk")
    ):
        row = result[department_id]
        row["by_status"][status] = count
        row["total"] += count
        if status in OPEN_STATUSES:
            row["open"] += count
    overdue = (
        tickets.filter(status__in=OPEN_STATUSES, due_date__lt=today)
        .values_list("department_id")
        .annotate(n=Count("pk"))
    )
    for department_id, count in overdue:
        result[department_id]["overdue"] = count
    durations: dict[int, list[datetime.timedelta]] = defaultdict(list)
    closed = tickets.filter(
        closed_at__isnull=False, closed_at__gte=timezone.now() - window
    ).values_list("department_id", "received_at", "closed_at")
    for department_id, received_at, closed_at in closed.iterator(chunk_size=2000):
        durations[department_id].append(closed_at - received_at)
    for department_id, values in durations.items():
        result[department_id]["closed"] = len(values)
        result[department_id]["median"] = statistics.median(values)
    return result


def ticket_channel_counts(
    *, department_ids, window: datetime.timedelta = datetime.timedelta(days=365)
) -> dict[str, int]:
    """How many of the departments' tickets came in on each channel within `window`, every
    channel named (0 where none came)."""
    from django.db.models import Count

    from .constants import Channel

    counts = dict.fromkeys(Channel.values, 0)
    rows = (
        Ticket.objects.filter(
            department_id__in=list(department_ids), received_at__gte=timezone.now() - window
        )
        .order_by()
        .values_list("channel")
        .annotate(n=Count("pk"))
    )
    for channel, count in rows:
        counts[channel] = count
    return counts
