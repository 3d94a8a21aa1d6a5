"""The e-mails of the ticket spine: German, plain text and HTML. Who gets which one is decided in
services.py (`outbox.owe`); here the kernel's worker turns the stored ids back into the context of
the templates (portal.core.outbox)."""

from django.urls import reverse
from django.utils import timezone

from portal.core import outbox
from portal.core.links import absolute_url
from portal.departments.models import Department

from .constants import OPEN_STATUSES
from .models import Ticket, TicketEvent


def status_page_url(ticket: Ticket) -> str:
    return absolute_url(reverse("tickets:status", args=[ticket.access_token]))


def admin_detail_url(ticket: Ticket) -> str:
    return absolute_url(reverse("tickets_admin:detail", args=[ticket.pk]))


def citizen_address(ticket: Ticket) -> str:
    if ticket.citizen_id and ticket.citizen.email:
        return ticket.citizen.email
    return ticket.contact_email


def _ticket_and_event(message) -> tuple[Ticket | None, TicketEvent | None]:
    ticket = (
        Ticket.objects.select_related("citizen", "category")
        .filter(pk=message.context.get("ticket"))
        .first()
    )
    event = TicketEvent.objects.filter(pk=message.context.get("event")).first()
    return ticket, event


@outbox.context_builder("tickets.receipt")
@outbox.context_builder("tickets.status")
def citizen_context(message) -> dict | None:
    ticket, event = _ticket_and_event(message)
    if ticket is None or event is None:
        return None  # deleted since: nothing to tell any more
    return {"ticket": ticket, "event": event, "status_url": status_page_url(ticket)}


@outbox.context_builder("tickets.question_reminder")
def question_reminder_context(message) -> dict | None:
    from django.conf import settings

    context = citizen_context(message)
    if context is not None:
        context["close_after"] = settings.TICKETS_QUESTION_CLOSE_DAYS
    return context


@outbox.context_builder("tickets.department_citizen")
@outbox.context_builder("tickets.department_new")
def department_new_context(message) -> dict | None:
    ticket, event = _ticket_and_event(message)
    department = Department.objects.filter(pk=message.context.get("department")).first()
    if ticket is None or event is None or department is None:
        return None
    return {
        "ticket": ticket,
        "event": event,
        "department": department,
        "admin_url": admin_detail_url(ticket),
    }


@outbox.context_builder("tickets.department_digest")
def department_digest_context(message) -> dict | None:
    """The department's overdue and new tickets as they are when the e-mail is sent."""
    department = Department.objects.filter(pk=message.context.get("department")).first()
    if department is None:
        return None
    today = timezone.localdate()
    open_tickets = Ticket.objects.filter(
        department=department, status__in=OPEN_STATUSES
    ).select_related("category")
    return {
        "department": department,
        "overdue": list(open_tickets.filter(due_date__lt=today).order_by("due_date")[:200]),
        "new": list(
            open_tickets.filter(
                received_at__gte=timezone.now() - timezone.timedelta(days=1)
            ).order_by("received_at")[:200]
        ),
        "queue_url": absolute_url(reverse("tickets_admin:queue")),
    }
