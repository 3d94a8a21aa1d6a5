"""Celery tasks of payments. They take ids, reload, return early when the work is done, and leave
the work to the services. A rate limit (429) or a briefly unreachable database is retried with
exponential back-off and jitter."""

from celery import shared_task
from django.db import DatabaseError

from .constants import EventSource
from .models import Payment
from .providers.base import ProviderBusy
from .providers.demo.tasks import demo_webhook_deliver_task, demo_webhooks_relay_task
from .services import payment_refresh, payments_reconcile

__all__ = [
    "demo_webhook_deliver_task",
    "demo_webhooks_relay_task",
    "payment_refresh_task",
    "payments_reconcile_task",
]

RETRY = {
    "autoretry_for": (ProviderBusy, DatabaseError, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="payments.refresh", **RETRY)
def payment_refresh_task(payment_id: str, source: str = EventSource.WEBHOOK) -> str:
    payment = Payment.objects.filter(pk=payment_id).only("state").first()
    if payment is None:
        return ""
    if payment.is_final:
        return payment.state
    return payment_refresh(payment_id=payment_id, source=source, raise_busy=True).state


@shared_task(name="payments.reconcile")
def payments_reconcile_task() -> dict:
    return payments_reconcile()
