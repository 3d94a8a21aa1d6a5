"""The e-mails of the ticket spine: German, plain text and HTML, sent by the worker."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.core.links import absolute_url

from .constants import OPEN_STATUSES, NotificationKind
from .models import Notification, Ticket


def status_page_url(ticket: Ticket) -> str:
    return absolute_url(reverse("tickets:status", args=[ticket.access_token]))


def admin_detail_url(ticket: Ticket) -> str:
    return absolute_url(reverse("tickets_admin:detail", args=[ticket.pk]))


def _citizen_address(ticket: Ticket) -> str:
    if ticket.citizen_id and ticket.citizen.email:
        return ticket.citizen.email
    return ticket.contact_email


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    """The e-mail for a notification, or None when there is nobody to write to."""
    ticket = notification.ticket
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "notification": notification}
    if notification.kind in (NotificationKind.RECEIPT, NotificationKind.STATUS):
        recipient = _citizen_address(ticket)
        context.update(ticket=ticket, event=notification.event, status_url=status_page_url(ticket))
    elif notification.kind == NotificationKind.DEPARTMENT_NEW:
        recipient = notification.department.email
        context.update(
            ticket=ticket,
            event=notification.event,
            department=notification.department,
            admin_url=admin_detail_url(ticket),
        )
    elif notification.kind == NotificationKind.DEPARTMENT_DIGEST:
        department = notification.department
        recipient = department.email
        today = timezone.localdate()
        open_tickets = Ticket.objects.filter(
            department=department, status__in=OPEN_STATUSES
        ).select_related("category")
        context.update(
            department=department,
            overdue=list(open_tickets.filter(due_date__lt=today).order_by("due_date")[:200]),
            new=list(
                open_tickets.filter(
                    received_at__gte=timezone.now() - timezone.timedelta(days=1)
                ).order_by("received_at")[:200]
            ),
            queue_url=absolute_url(reverse("tickets_admin:queue")),
            base_url=settings.BASE_URL,  # the templates add each ticket's path
        )
    else:  # pragma: no cover - every kind is handled above
        raise ValueError(notification.kind)
    if not recipient:
        return None
    template = f"emails/tickets/{notification.kind}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(f"{template}.txt", context),
        to=[recipient],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
