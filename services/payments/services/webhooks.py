"""Notifications from providers: kept once, then a status check is rung for after the commit."""

import logging
import uuid

from django.db import IntegrityError, transaction

from portal.core import doorbell

from ..models import Payment, WebhookMessage
from ..providers.base import WebhookEvent

logger = logging.getLogger(__name__)


def _payment_for_event(provider_key: str, event: WebhookEvent) -> Payment | None:
    if event.provider_ref:
        payment = Payment.objects.filter(
            provider=provider_key, provider_ref=event.provider_ref
        ).first()
        if payment is not None:
            return payment
    if event.payment_hint:
        try:
            payment_id = uuid.UUID(event.payment_hint)
        except ValueError:
            return None
        return Payment.objects.filter(provider=provider_key, pk=payment_id).first()
    return None


def _refresh_task():
    from ..tasks import payment_refresh_task

    return payment_refresh_task


@transaction.atomic
def webhook_receive(*, provider_key: str, events: list[WebhookEvent]) -> int:
    """Keep each (already verified) notification once and ring for a status check after
    commit. Returns how many were new. Duplicates, stale and out-of-order notifications do no
    harm: only get_status and the transition map move a payment."""
    new = 0
    for event in events:
        payment = _payment_for_event(provider_key, event)
        try:
            with transaction.atomic():
                WebhookMessage.objects.create(
                    provider=provider_key,
                    message_id=event.message_id,
                    event_type=event.event_type,
                    provider_ref=event.provider_ref,
                    raw_status=event.raw_status,
                    payment=payment,
                )
        except IntegrityError:
            continue  # delivered before
        new += 1
        if payment is None:
            logger.info("Webhook %s:%s for an unknown payment", provider_key, event.message_id)
        elif not payment.is_final:
            doorbell.ring_on_commit(_refresh_task, str(payment.pk))
    return new
