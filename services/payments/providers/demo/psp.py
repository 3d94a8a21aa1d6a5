"""The demo payment service provider's "server": an API shaped like GOV.UK Pay's
(reference/payments.md §4.1-4.4), answered in-process. It raises DemoApiError with an HTTP status
and a P-code where the real API would answer 4xx/5xx, and DemoApiTimeout where the answer is lost.

Deterministic behaviour for tests and demonstrations comes from a `scenario` in the request or,
like GOV.UK Pay's mock card numbers, from a magic amount:

| scenario            | amount  | behaviour                                                        |
| ------------------- | ------- | ---------------------------------------------------------------- |
| decline             | 66,01 € | "Bezahlen" on the pay page is declined (P0010)                   |
| create_error        | 66,02 € | create answers 500 P0999, nothing is stored                      |
| lost_response       | 66,03 € | create stores the transaction, then the answer is lost (timeout) |
| rate_limit          | 66,04 € | create answers 429 P0900                                         |
| refund_error        | 66,05 € | refunds end in status "error"                                    |
| status_rate_limit   | 66,06 € | the first two status requests answer 429 P0900                   |

Unfinished transactions expire after PAYMENTS_DEMO_TTL_SECONDS (P0020), checked whenever the
transaction is read and by the demo's relay job.
"""

import datetime
import hashlib
import json
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from .models import DemoRefund, DemoStatus, DemoTransaction

MIN_AMOUNT = 50
MAX_AMOUNT = 10_000_000
STATUS_RATE_LIMITED_CALLS = 2

MAGIC_AMOUNTS = {
    6601: "decline",
    6602: "create_error",
    6603: "lost_response",
    6604: "rate_limit",
    6605: "refund_error",
    6606: "status_rate_limit",
}
SCENARIOS = frozenset(MAGIC_AMOUNTS.values())

CODE_MESSAGES = {
    "P0010": "Payment method rejected",
    "P0020": "Payment expired",
    "P0030": "Payment was cancelled by the user",
    "P0040": "Payment was cancelled by the service",
    "P0050": "Payment provider returned an error",
}

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9-]{1,255}$")


class DemoApiError(Exception):
    def __init__(self, status: int, code: str, description: str):
        super().__init__(f"{status} {code}: {description}")
        self.status = status
        self.code = code
        self.description = description


class DemoApiTimeout(Exception):
    """The request reached the provider, the answer never reached the caller."""


def ttl() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.PAYMENTS_DEMO_TTL_SECONDS)


def scenario_of(body: dict) -> str:
    scenario = body.get("scenario") or ""
    if scenario in SCENARIOS:
        return scenario
    return MAGIC_AMOUNTS.get(body.get("amount"), "")


def pay_page_path(provider_ref: str) -> str:
    return reverse("payments:demo-pay", args=[provider_ref])


# --- the API ------------------------------------------------------------------------------------
def api_create(*, idempotency_key: str, body: dict) -> dict:
    """POST /v1/payments with an Idempotency-Key header."""
    if not isinstance(idempotency_key, str) or not _IDEMPOTENCY_KEY.match(idempotency_key):
        raise DemoApiError(422, "P0102", "Invalid Idempotency-Key")
    _validate(body)
    scenario = scenario_of(body)
    if scenario == "rate_limit":
        raise DemoApiError(429, "P0900", "Too many requests")
    if scenario == "create_error":
        raise DemoApiError(500, "P0999", "Demo provider is unavailable")
    request_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    created = False
    with transaction.atomic():
        existing = DemoTransaction.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            now = timezone.now()
            try:
                with transaction.atomic():
                    existing = DemoTransaction.objects.create(
                        provider_ref=secrets.token_hex(13),
                        idempotency_key=idempotency_key,
                        request_hash=request_hash,
                        amount=body["amount"],
                        currency=body["currency"],
                        reference=body["reference"],
                        description=body.get("description", ""),
                        return_url=body["return_url"],
                        metadata=body.get("metadata") or {},
                        scenario=scenario,
                        refuse_status_calls=(
                            STATUS_RATE_LIMITED_CALLS if scenario == "status_rate_limit" else 0
                        ),
                        created_at=now,
                        expires_at=now + ttl(),
                    )
                created = True
            except IntegrityError:  # the same key at the same moment
                existing = DemoTransaction.objects.get(idempotency_key=idempotency_key)
        if existing.request_hash != request_hash:
            raise DemoApiError(409, "P0191", "Idempotency-Key was used with a different request")
    if created and scenario == "lost_response":
        raise DemoApiTimeout()
    return payment_json(expire_if_due(existing))


def api_get(provider_ref: str) -> dict:
    """GET /v1/payments/{id}: strongly consistent."""
    tx = _find(provider_ref)
    refused = DemoTransaction.objects.filter(pk=tx.pk, refuse_status_calls__gt=0).update(
        refuse_status_calls=F("refuse_status_calls") - 1
    )
    if refused:
        raise DemoApiError(429, "P0900", "Too many requests")
    return payment_json(expire_if_due(tx))


def api_cancel(provider_ref: str) -> None:
    """POST /v1/payments/{id}/cancel → 204; 400 when already finished."""
    tx = expire_if_due(_find(provider_ref))
    if not change_status(tx, DemoStatus.CANCELLED, "P0040", "card_payment_cancelled"):
        raise DemoApiError(400, "P0502", "Cancellation of payment failed: payment is finished")


def api_refund(
    provider_ref: str, *, amount: int, refund_amount_available: int, idempotency_key: str = ""
) -> dict:
    """POST /v1/payments/{id}/refunds → 202. The refund_amount_available guard (412 P0604)
    stops a double refund by a caller whose ledger is out of date."""
    tx = _find(provider_ref)
    with transaction.atomic():
        tx = DemoTransaction.objects.select_for_update().get(pk=tx.pk)
        if idempotency_key:
            earlier = tx.refunds.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                return _refund_json(earlier)
        if tx.status != DemoStatus.SUCCESS:
            raise DemoApiError(400, "P0603", "The payment is not available for refund")
        available = refund_available(tx)
        if refund_amount_available != available:
            raise DemoApiError(412, "P0604", "Refund amount available mismatch")
        if not isinstance(amount, int) or amount <= 0 or amount > available:
            raise DemoApiError(400, "P0603", "The refund amount exceeds the amount available")
        status = (
            DemoRefund.Status.ERROR if tx.scenario == "refund_error" else DemoRefund.Status.SUCCESS
        )
        refund = DemoRefund.objects.create(
            refund_id=secrets.token_hex(13),
            transaction=tx,
            amount=amount,
            status=status,
            idempotency_key=idempotency_key,
        )
        if status == DemoRefund.Status.SUCCESS:
            _notify(tx, "card_payment_refunded")
    return _refund_json(refund)


# --- the payer on the pay page ------------------------------------------------------------------
PAYER_ACTIONS = ("pay", "decline", "cancel", "error")


def payer_opened(tx: DemoTransaction) -> DemoTransaction:
    """The payer's browser arrived on the pay page."""
    tx = expire_if_due(tx)
    if tx.status == DemoStatus.CREATED:
        with transaction.atomic():
            if DemoTransaction.objects.filter(pk=tx.pk, status=DemoStatus.CREATED).update(
                status=DemoStatus.STARTED
            ):
                tx.status = DemoStatus.STARTED
                _notify(tx, "card_payment_started")
    return tx


def payer_acted(tx: DemoTransaction, action: str) -> DemoTransaction:
    """A button on the pay page. The amount is the transaction's own; nothing from the form."""
    tx = expire_if_due(tx)
    if action == "pay" and tx.scenario != "decline":
        change_status(tx, DemoStatus.SUCCESS, "", "card_payment_succeeded")
    elif action in ("pay", "decline"):
        change_status(tx, DemoStatus.FAILED, "P0010", "card_payment_failed")
    elif action == "cancel":
        change_status(tx, DemoStatus.FAILED, "P0030", "card_payment_failed")
    elif action == "error":
        change_status(tx, DemoStatus.ERROR, "P0050", "card_payment_failed")
    else:
        raise ValueError(action)
    tx.refresh_from_db()
    return tx


# --- state ---------------------------------------------------------------------------------------
def change_status(tx: DemoTransaction, status: str, code: str, event_type: str) -> bool:
    """Finish an unfinished transaction; False when it was already finished."""
    with transaction.atomic():
        now = timezone.now()
        changed = DemoTransaction.objects.filter(
            pk=tx.pk, status__in=(DemoStatus.CREATED, DemoStatus.STARTED)
        ).update(status=status, code=code, finished_at=now)
        if changed:
            tx.status, tx.code, tx.finished_at = status, code, now
            _notify(tx, event_type)
    return bool(changed)


def expire_if_due(tx: DemoTransaction) -> DemoTransaction:
    if not tx.is_finished and timezone.now() >= tx.expires_at:
        change_status(tx, DemoStatus.FAILED, "P0020", "card_payment_expired")
        tx.refresh_from_db()
    return tx


def expire_due() -> int:
    """What GOV.UK Pay's own expiry job does: end what nobody finished in time."""
    due = DemoTransaction.objects.filter(
        status__in=(DemoStatus.CREATED, DemoStatus.STARTED), expires_at__lte=timezone.now()
    )
    return sum(
        change_status(tx, DemoStatus.FAILED, "P0020", "card_payment_expired") for tx in due[:200]
    )


def refund_available(tx: DemoTransaction) -> int:
    if tx.status != DemoStatus.SUCCESS:
        return 0
    refunded = tx.refunds.exclude(status=DemoRefund.Status.ERROR).aggregate(s=Sum("amount"))["s"]
    return tx.amount - (refunded or 0)


# --- JSON ---------------------------------------------------------------------------------------
def payment_json(tx: DemoTransaction) -> dict:
    state = {"status": tx.status, "finished": tx.is_finished}
    if tx.code:
        state.update(code=tx.code, message=CODE_MESSAGES.get(tx.code, ""))
    refunded = tx.refunds.exclude(status=DemoRefund.Status.ERROR).aggregate(s=Sum("amount"))["s"]
    if tx.status == DemoStatus.SUCCESS:
        available = refund_available(tx)
        summary_status = "available" if available else "full"
    else:
        available = 0
        summary_status = "pending" if not tx.is_finished else "unavailable"
    data = {
        "payment_id": tx.provider_ref,
        "amount": tx.amount,
        "currency": tx.currency,
        "reference": tx.reference,
        "description": tx.description,
        "metadata": tx.metadata,
        "state": state,
        "created_date": tx.created_at.isoformat(),
        "expiry_date": tx.expires_at.isoformat(),
        "refund_summary": {
            "status": summary_status,
            "amount_available": available,
            "amount_submitted": refunded or 0,
        },
        "_links": {},
    }
    if not tx.is_finished:
        data["_links"]["next_url"] = {"href": pay_page_path(tx.provider_ref), "method": "GET"}
    return data


def _refund_json(refund: DemoRefund) -> dict:
    return {
        "refund_id": refund.refund_id,
        "amount": refund.amount,
        "status": refund.status,
        "created_date": refund.created_at.isoformat(),
    }


def _find(provider_ref: str) -> DemoTransaction:
    tx = DemoTransaction.objects.filter(provider_ref=provider_ref).first()
    if tx is None:
        raise DemoApiError(404, "P0200", "Payment not found")
    return tx


def _validate(body: dict) -> None:
    amount = body.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise DemoApiError(422, "P0102", "Invalid attribute value: amount")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise DemoApiError(422, "P0102", "Invalid attribute value: amount")
    if body.get("currency") != "EUR":
        raise DemoApiError(422, "P0102", "Invalid attribute value: currency")
    if not 1 <= len(body.get("reference") or "") <= 255:
        raise DemoApiError(422, "P0102", "Invalid attribute value: reference")
    if len(body.get("description") or "") > 255:
        raise DemoApiError(422, "P0102", "Invalid attribute value: description")
    if not body.get("return_url") or len(body["return_url"]) > 2000:
        raise DemoApiError(422, "P0102", "Invalid attribute value: return_url")


def _notify(tx: DemoTransaction, event_type: str) -> None:
    from .webhooks import webhook_enqueue

    webhook_enqueue(tx=tx, event_type=event_type)
