"""The demo provider's delivery of webhooks (registered through payments/tasks.py)."""

from celery import shared_task

from .webhooks import webhook_deliver, webhooks_relay


@shared_task(name="payments.demo_webhook_deliver")
def demo_webhook_deliver_task(delivery_id: int) -> str:
    delivery = webhook_deliver(delivery_id=delivery_id)
    return delivery.status if delivery is not None else ""


@shared_task(name="payments.demo_webhooks_relay")
def demo_webhooks_relay_task() -> dict:
    return webhooks_relay()
