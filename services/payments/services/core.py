"""The core of the payment services: the one place where a payment's state changes (`_apply`),
and the create call to the provider, which a start and a replay share.

The provider is called outside any database transaction (a network call must hold neither a row
lock nor SQLite's write lock). Every state change then happens in `_apply`: one short transaction,
the payment row locked with select_for_update, one move along the transition map, one event row,
and the signals inside that transaction.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from portal.core.links import absolute_url

from ..constants import PAYMENT_WORKFLOW, FailureReason, PaymentState
from ..models import Payment, PaymentEvent
from ..providers import get_provider
from ..providers.base import (
    CreateRequest,
    ProviderBusy,
    ProviderError,
    ProviderStatus,
    ProviderTimeout,
)
from ..signals import payment_finished, payment_succeeded

logger = logging.getLogger(__name__)


# --- helpers --------------------------------------------------------------------------------------
def is_local_path(url: str) -> bool:
    return (
        bool(url)
        and url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _raw(error: ProviderError) -> str:
    return " ".join(str(part) for part in (error.status, error.code) if part)[:60]


def _touch(payment: Payment) -> Payment:
    payment.last_checked_at = timezone.now()
    Payment.objects.filter(pk=payment.pk).update(last_checked_at=payment.last_checked_at)
    return payment


def _past_local_expiry(payment: Payment) -> bool:
    limit = datetime.timedelta(seconds=settings.PAYMENTS_EXPIRE_AFTER_SECONDS)
    return timezone.now() - payment.created_at > limit


# --- the one place where a payment's state changes ------------------------------------------------
@transaction.atomic
def _apply(
    payment_id,
    *,
    state: str,
    source: str,
    raw_status: str = "",
    failure_reason: str = "",
    actor=None,
    amount_minor: int | None = None,
    provider_ref: str = "",
    redirect_url: str = "",
    expires_at: datetime.datetime | None = None,
) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    now = timezone.now()
    payment.last_checked_at = now
    fields = {"last_checked_at"}
    if provider_ref and not payment.provider_ref:
        payment.provider_ref, payment.redirect_url, payment.expires_at = (
            provider_ref,
            redirect_url,
            expires_at,
        )
        fields |= {"provider_ref", "redirect_url", "expires_at"}
    if (
        amount_minor is not None
        and amount_minor != payment.amount_minor
        and state in (PaymentState.SUCCEEDED, PaymentState.AUTHORISED)
    ):
        # the provider took another amount than we asked for: never release, staff must look
        logger.error("Payment %s: the provider reports a different amount", payment.pk)
        state, failure_reason = PaymentState.ERROR, FailureReason.AMOUNT_MISMATCH
    if raw_status and raw_status != payment.raw_status:
        payment.raw_status = raw_status[:60]
        fields.add("raw_status")
    event = None
    # a provider's report of an undeclared move is stale or out of order: logged, not raised
    if state != payment.state and PAYMENT_WORKFLOW.can(payment.state, state):
        event = PaymentEvent(
            payment=payment,
            from_state=payment.state,
            to_state=state,
            source=source,
            raw_status=raw_status[:60],
            failure_reason=failure_reason,
            actor=actor,
            created_at=now,
        )
        payment.state, payment.failure_reason = state, failure_reason
        fields |= {"state", "failure_reason"}
        if payment.is_final:
            payment.finished_at = now
            fields.add("finished_at")
    elif state != payment.state:
        logger.info(
            "Payment %s: %s → %s not allowed, ignored (stale report)",
            payment.pk,
            payment.state,
            state,
        )
    payment.save(update_fields=sorted(fields))
    if event is not None:
        event.save()
        if payment.state == PaymentState.SUCCEEDED:
            payment_succeeded.send(sender=Payment, payment=payment)
        if payment.is_final:
            payment_finished.send(sender=Payment, payment=payment)
    return payment


def _apply_status(payment: Payment, status: ProviderStatus, *, source: str, actor=None) -> Payment:
    return _apply(
        payment.pk,
        state=status.state,
        source=source,
        raw_status=status.raw_status,
        failure_reason=status.failure_reason,
        amount_minor=status.amount_minor,
        actor=actor,
    )


# --- the create call (a start, or a replay after a lost answer) -----------------------------------
def _create_request(payment: Payment) -> CreateRequest:
    return CreateRequest(
        idempotency_key=str(payment.pk),
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        purpose=payment.purpose,
        description=payment.description,
        return_url=absolute_url(reverse("payments:return", args=[payment.return_token])),
        line_items=payment.line_items,
        metadata={"payment_id": str(payment.pk)},
        scenario=payment.scenario,
    )


def _create_at_provider(payment: Payment, *, source: str, raise_busy: bool = False) -> Payment:
    """Create, or replay the create of, a payment the provider has not confirmed yet."""
    provider = get_provider(payment.provider)
    # a replay follows a lost answer: an error now says nothing about the original request
    replay = payment.state == PaymentState.UNKNOWN
    try:
        result = provider.create(_create_request(payment))
    except ProviderTimeout:
        logger.warning("Payment %s: no answer from the provider to create", payment.pk)
        return _apply(
            payment.pk,
            state=PaymentState.UNKNOWN,
            source=source,
            raw_status="timeout",
            failure_reason=FailureReason.NO_ANSWER,
        )
    except ProviderBusy as error:
        if replay:
            if raise_busy:
                _touch(payment)
                raise
            return _touch(payment)
        return _apply(
            payment.pk,
            state=PaymentState.ERROR,
            source=source,
            raw_status=_raw(error),
            failure_reason=FailureReason.PROVIDER_BUSY,
        )
    except ProviderError as error:
        logger.warning("Payment %s: create refused (%s)", payment.pk, _raw(error))
        if replay:
            return _touch(payment)
        return _apply(
            payment.pk,
            state=PaymentState.ERROR,
            source=source,
            raw_status=_raw(error),
            failure_reason=FailureReason.PROVIDER_ERROR,
        )
    status = result.status
    return _apply(
        payment.pk,
        state=status.state,
        source=source,
        raw_status=status.raw_status,
        failure_reason=status.failure_reason,
        amount_minor=status.amount_minor,
        provider_ref=result.provider_ref,
        redirect_url=result.redirect_url,
        expires_at=result.expires_at,
    )
