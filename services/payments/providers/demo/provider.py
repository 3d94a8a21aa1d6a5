"""The demo provider as the portal sees it: a client of the demo PSP's API (psp.py) that
translates its answers, errors and lost answers into the provider interface."""

import datetime
import hmac
import json
from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...constants import FailureReason, PaymentState, RefundState
from ..base import (
    Capabilities,
    CreateRequest,
    CreateResult,
    InvalidWebhook,
    PaymentProvider,
    ProviderBusy,
    ProviderConflict,
    ProviderError,
    ProviderStatus,
    ProviderTimeout,
    RefundRefused,
    RefundResult,
    WebhookEvent,
)
from . import psp
from .webhooks import SIGNATURE_HEADER, sign

# GOV.UK Pay's status and code → our state and reason (reference/payments.md §4.6). "created"
# at the provider means it waits for the payer: in progress for us. Our own CREATED means the
# provider has not confirmed the payment yet.
_STATES = {
    "created": (PaymentState.IN_PROGRESS, ""),
    "started": (PaymentState.IN_PROGRESS, ""),
    "submitted": (PaymentState.IN_PROGRESS, ""),
    "capturable": (PaymentState.AUTHORISED, ""),
    "success": (PaymentState.SUCCEEDED, ""),
    "cancelled": (PaymentState.CANCELLED, FailureReason.SERVICE_CANCELLED),
    "error": (PaymentState.ERROR, FailureReason.PROVIDER_ERROR),
}
_FAILURE_CODES = {
    "P0010": FailureReason.DECLINED,
    "P0020": FailureReason.EXPIRED,
    "P0030": FailureReason.USER_CANCELLED,
}


def _raise_for(error: psp.DemoApiError, *, refund: bool = False):
    if error.status == 409:
        raise ProviderConflict(error.description, code=error.code, status=409) from error
    if error.status == 429 or error.status == 503:
        raise ProviderBusy(error.description, code=error.code, status=error.status) from error
    if refund and error.status in (400, 412):
        raise RefundRefused(error.description, code=error.code, status=error.status) from error
    raise ProviderError(error.description, code=error.code, status=error.status) from error


def status_from_json(data: dict) -> ProviderStatus:
    raw = data["state"]["status"]
    if raw == "failed":
        state, reason = PaymentState.FAILED, _FAILURE_CODES.get(data["state"].get("code"), "")
    else:
        state, reason = _STATES[raw]
    raw_status = raw + (f" {data['state']['code']}" if data["state"].get("code") else "")
    return ProviderStatus(
        state=state,
        raw_status=raw_status,
        amount_minor=data["amount"],
        failure_reason=reason,
        refund_available_minor=data["refund_summary"]["amount_available"],
    )


class DemoProvider(PaymentProvider):
    key = "demo"
    label = _("Demo-Zahlungsanbieter")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            webhooks=settings.PAYMENTS_DEMO_WEBHOOKS,
            refunds=True,
            partial_refunds=True,
            delayed_capture=False,
            cancel=True,
            methods=("CREDITCARD", "PAYPAL", "GIROPAY"),
            min_amount_minor=psp.MIN_AMOUNT,
            max_amount_minor=psp.MAX_AMOUNT,
            expiry_seconds=settings.PAYMENTS_DEMO_TTL_SECONDS,
        )

    def create(self, request: CreateRequest) -> CreateResult:
        body = {
            "amount": request.amount_minor,
            "currency": request.currency,
            "reference": request.purpose,
            "description": request.description,
            "return_url": request.return_url,
            "metadata": request.metadata,
        }
        if request.scenario:
            body["scenario"] = request.scenario
        try:
            data = psp.api_create(idempotency_key=request.idempotency_key, body=body)
        except psp.DemoApiTimeout as error:
            raise ProviderTimeout("The demo provider did not answer") from error
        except psp.DemoApiError as error:
            _raise_for(error)
        next_url = data["_links"].get("next_url", {}).get("href", "")
        return CreateResult(
            provider_ref=data["payment_id"],
            redirect_url=next_url,
            status=status_from_json(data),
            expires_at=datetime.datetime.fromisoformat(data["expiry_date"]),
        )

    def get_status(self, provider_ref: str) -> ProviderStatus:
        try:
            return status_from_json(psp.api_get(provider_ref))
        except psp.DemoApiError as error:
            _raise_for(error)

    def cancel(self, provider_ref: str) -> None:
        try:
            psp.api_cancel(provider_ref)
        except psp.DemoApiError as error:
            _raise_for(error)

    def refund(
        self,
        provider_ref: str,
        *,
        amount_minor: int,
        expected_available_minor: int,
        idempotency_key: str,
    ) -> RefundResult:
        try:
            data = psp.api_refund(
                provider_ref,
                amount=amount_minor,
                refund_amount_available=expected_available_minor,
                idempotency_key=idempotency_key,
            )
        except psp.DemoApiError as error:
            _raise_for(error, refund=True)
        state = {
            "success": RefundState.SUCCEEDED,
            "submitted": RefundState.SUBMITTED,
        }.get(data["status"], RefundState.FAILED)
        return RefundResult(
            provider_refund_ref=data["refund_id"], state=state, raw_status=data["status"]
        )

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[WebhookEvent]:
        signature = headers.get(SIGNATURE_HEADER, "")
        if not signature or not hmac.compare_digest(signature.lower(), sign(body)):
            raise InvalidWebhook("signature mismatch")
        try:
            data = json.loads(body.decode("utf-8"))
            resource = data.get("resource") or {}
            return [
                WebhookEvent(
                    message_id=str(data["webhook_message_id"])[:100],
                    event_type=str(data["event_type"])[:60],
                    provider_ref=str(data["resource_id"])[:100],
                    raw_status=str((resource.get("state") or {}).get("status", ""))[:60],
                    payment_hint=str((resource.get("metadata") or {}).get("payment_id", "")),
                )
            ]
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise InvalidWebhook("malformed body") from error
