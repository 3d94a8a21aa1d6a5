"""Helpers of the payments tests: start a payment, press a button on the demo pay page, come
back to the portal, deliver the demo provider's webhooks by hand."""

from urllib.parse import urlsplit

from services.payments.models import DemoWebhookDelivery, Payment
from services.payments.providers.demo.webhooks import SIGNATURE_HEADER, sign
from services.payments.services import payment_start

WEBHOOK_URL = "/bezahlen/webhook/demo/"
CONTINUE_URL = "/antraege/bewohnerparken/fertig/"


def start(order, **kwargs) -> Payment:
    values = {
        "order": order,
        "amount_minor": 3050,
        "purpose": "Bewohnerparkausweis",
        "description": "Bewohnerparkausweis für ein Jahr, Zone Innenstadt",
        "continue_url": CONTINUE_URL,
    }
    values.update(kwargs)
    return payment_start(**values)


def press(client, payment: Payment, action: str, **extra):
    """A button on the demo pay page, as the payer's browser sends it."""
    return client.post(payment.redirect_url, {"action": action, **extra})


def return_to_portal(client, payment: Payment):
    return client.get(f"/bezahlen/zurueck/{payment.return_token}/")


def deliveries(payment: Payment, event_type: str | None = None) -> list[DemoWebhookDelivery]:
    rows = DemoWebhookDelivery.objects.filter(transaction__provider_ref=payment.provider_ref)
    if event_type:
        rows = rows.filter(event_type=event_type)
    return list(rows.order_by("pk"))


def post_webhook(client, body: str | bytes, *, signature: str | None = None):
    raw = body.encode() if isinstance(body, str) else body
    headers = {SIGNATURE_HEADER: sign(raw) if signature is None else signature}
    return client.post(WEBHOOK_URL, data=raw, content_type="application/json", headers=headers)


def client_transport(client):
    """The demo provider's webhook transport through the Django test client instead of HTTP."""

    def send(url: str, body: bytes, headers: dict[str, str]) -> int:
        extra = {name: value for name, value in headers.items() if name != "Content-Type"}
        path = urlsplit(url).path
        return client.post(
            path, data=body, content_type=headers["Content-Type"], headers=extra
        ).status_code

    return send
