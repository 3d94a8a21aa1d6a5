"""Reads on the outbox."""

from django.db.models import QuerySet

from .models import OutboxMessage


def message_failed_list() -> QuerySet[OutboxMessage]:
    """E-mails whose send task gave up, newest first (staff may start them again)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True, failed_at__isnull=False).order_by(
        "-failed_at", "-pk"
    )
