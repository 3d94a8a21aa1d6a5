"""The demo provider's notifications to the portal: signed like GOV.UK Pay's (`Pay-Signature`, hex
HMAC-SHA256 of the raw body), delivered at least once, retried after 60 s, 5 min, 1 h, 1 day and
2 days (PAYMENTS_DEMO_WEBHOOK_RETRY_DELAYS compresses this), then given up.

Delivery is a Celery task rung after the state change commits, plus a relay job for the retries.
`webhook_deliver(transport=...)` lets a test deliver through the Django test client instead of
HTTP, duplicated or in any order it likes.
"""

import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.core import doorbell
from portal.core.links import absolute_url

from .models import DemoTransaction, DemoWebhookDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Pay-Signature"
HTTP_TIMEOUT_SECONDS = 5
# a delivery being sent is not picked up again by the relay for this long
LEASE = datetime.timedelta(seconds=60)
RELAY_BATCH = 50

# (url, body, headers) → HTTP status code; raises OSError when the endpoint cannot be reached
Transport = Callable[[str, bytes, dict[str, str]], int]


def sign(body: bytes, secret: str | None = None) -> str:
    key = (secret if secret is not None else settings.PAYMENTS_DEMO_WEBHOOK_SECRET).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def webhook_url() -> str:
    return absolute_url(reverse("payments:webhook", args=["demo"]))


def webhook_enqueue(*, tx: DemoTransaction, event_type: str) -> DemoWebhookDelivery | None:
    """Called inside the demo's state change; nothing is queued in poll-only mode."""
    if not settings.PAYMENTS_DEMO_WEBHOOKS:
        return None
    from .psp import payment_json

    message_id = uuid.uuid4()
    body = {
        "webhook_message_id": str(message_id),
        "api_version": 1,
        "created_date": timezone.now().isoformat(),
        "resource_id": tx.provider_ref,
        "resource_type": "payment",
        "event_type": event_type,
        "resource": payment_json(tx),
    }
    delivery = DemoWebhookDelivery.objects.create(
        message_id=message_id,
        transaction=tx,
        event_type=event_type,
        body=json.dumps(body, separators=(",", ":")),
    )
    doorbell.ring_on_commit(_deliver_task, delivery.pk)
    return delivery


def _deliver_task():
    from .tasks import demo_webhook_deliver_task

    return demo_webhook_deliver_task


def http_transport(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def webhook_deliver(*, delivery_id: int, transport: Transport | None = None) -> DemoWebhookDelivery:
    """One attempt. No database transaction is held while the portal is called: its webhook
    endpoint writes to the same database."""
    now = timezone.now()
    delivery = DemoWebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DemoWebhookDelivery.Status.PENDING:
        return delivery
    # claim it: a relay and a task that see it at once send it once
    claimed = DemoWebhookDelivery.objects.filter(
        pk=delivery.pk,
        status=DemoWebhookDelivery.Status.PENDING,
        next_attempt_at=delivery.next_attempt_at,
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return delivery
    body = delivery.body.encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)}
    try:
        code = (transport or http_transport)(webhook_url(), body, headers)
    except OSError as error:
        logger.info("Demo webhook %s not delivered: %s", delivery.message_id, error)
        code = None
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.last_response_code = code
    delays = list(settings.PAYMENTS_DEMO_WEBHOOK_RETRY_DELAYS)
    if code is not None and 200 <= code < 300:
        delivery.status = DemoWebhookDelivery.Status.SUCCESSFUL
    elif delivery.attempts > len(delays):
        delivery.status = DemoWebhookDelivery.Status.FAILED
    else:
        delay = datetime.timedelta(seconds=delays[delivery.attempts - 1])
        delivery.next_attempt_at = delivery.last_attempt_at + delay
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_response_code",
            "status",
            "next_attempt_at",
        ]
    )
    return delivery


def webhooks_relay(*, transport: Transport | None = None) -> dict[str, int]:
    """The demo's beat job: expire what is due, then send what is due (first tries whose
    doorbell was not heard, and retries)."""
    from .psp import expire_due

    expired = expire_due()
    due = list(
        DemoWebhookDelivery.objects.filter(
            status=DemoWebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:RELAY_BATCH]
    )
    sent = 0
    for delivery_id in due:
        delivery = webhook_deliver(delivery_id=delivery_id, transport=transport)
        sent += delivery.status == DemoWebhookDelivery.Status.SUCCESSFUL
    return {"expired": expired, "attempted": len(due), "delivered": sent}
