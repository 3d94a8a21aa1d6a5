"""Learning what became of a payment (the return, webhooks and the beat job all end here), and
cancelling one. Only what the provider reports on get_status moves a payment."""

import datetime
import logging
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError

from ..constants import PAYMENT_WORKFLOW, EventSource, FailureReason, PaymentState
from ..models import Payment
from ..providers import get_provider
from ..providers.base import (
    PaymentProvider,
    ProviderBusy,
    ProviderError,
    ProviderStatus,
    ProviderTimeout,
)
from ..selectors import payment_ids_due_for_reconcile
from .core import _apply, _apply_status, _create_at_provider, _past_local_expiry, _touch

logger = logging.getLogger(__name__)

# a payment whose create call may still be under way is not replayed yet
CREATE_GRACE = datetime.timedelta(seconds=30)
RECONCILE_BATCH = 100
# the beat job stops early rather than run into Celery's time limit
RECONCILE_TIME_BUDGET_SECONDS = 120


def payment_refresh(
    *,
    payment_id,
    source: str = EventSource.RECONCILE,
    actor=None,
    raise_busy: bool = False,
) -> Payment:
    """Ask the provider (get_status) and move the payment accordingly. Provider trouble leaves
    the state as it is; with `raise_busy`, a rate limit is raised for the caller to back off."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.is_final:
        return payment
    if not payment.provider_ref:
        if (
            payment.state == PaymentState.CREATED
            and timezone.now() - payment.created_at < CREATE_GRACE
        ):
            return payment
        payment = _create_at_provider(payment, source=source, raise_busy=raise_busy)
        if not payment.is_final and not payment.provider_ref and _past_local_expiry(payment):
            # the provider never confirmed it, so nobody ever saw a pay page: no money moved
            payment = _apply(
                payment.pk,
                state=PaymentState.ERROR,
                source=source,
                raw_status="timeout",
                failure_reason=FailureReason.NO_ANSWER,
            )
        return payment
    provider = get_provider(payment.provider)
    try:
        status = provider.get_status(payment.provider_ref)
    except ProviderBusy:
        _touch(payment)
        if raise_busy:
            raise
        return payment
    except (ProviderError, ProviderTimeout) as error:
        logger.warning("Payment %s: status request failed (%s)", payment.pk, type(error).__name__)
        return _touch(payment)
    payment = _apply_status(payment, status, source=source, actor=actor)
    if not payment.is_final and _past_local_expiry(payment):
        payment = _expire_overdue(payment, provider, source=source)
    return payment


def _expire_overdue(payment: Payment, provider: PaymentProvider, *, source: str) -> Payment:
    """Our own time limit, for providers that never end a payment themselves: cancel it at the
    provider, then believe only what the provider reports afterwards (it may have succeeded)."""
    if not provider.capabilities.cancel:
        return payment
    try:
        provider.cancel(payment.provider_ref)
        status = provider.get_status(payment.provider_ref)
    except (ProviderError, ProviderTimeout):
        return payment
    if status.state == PaymentState.CANCELLED:
        status = ProviderStatus(
            state=PaymentState.FAILED,
            raw_status=status.raw_status,
            amount_minor=status.amount_minor,
            failure_reason=FailureReason.EXPIRED,
        )
    return _apply_status(payment, status, source=source)


def payment_cancel(*, payment_id, actor=None, source: str = EventSource.SERVICE) -> Payment:
    """Cancel an unfinished payment (by the city, not by the payer). Raises ApplicationError when
    it is already finished; it may turn out to have succeeded meanwhile, which wins."""
    payment = payment_refresh(payment_id=payment_id, source=source, actor=actor)
    PAYMENT_WORKFLOW.check(
        payment.state,
        PaymentState.CANCELLED,
        message=_("Diese Zahlung ist bereits abgeschlossen (%(old)s)."),
    )
    if not payment.provider_ref:
        # the provider never confirmed it: nobody has seen its pay page
        return _apply(
            payment.pk,
            state=PaymentState.CANCELLED,
            source=source,
            failure_reason=FailureReason.SERVICE_CANCELLED,
            actor=actor,
        )
    provider = get_provider(payment.provider)
    if not provider.capabilities.cancel:
        raise ApplicationError(_("Dieser Zahlungsdienst erlaubt keinen Abbruch."))
    try:
        provider.cancel(payment.provider_ref)
    except (ProviderError, ProviderTimeout) as error:
        logger.info("Payment %s: cancel refused (%s)", payment.pk, type(error).__name__)
    try:
        status = provider.get_status(payment.provider_ref)
    except (ProviderError, ProviderTimeout) as error:
        raise ApplicationError(
            _("Der Zahlungsdienst ist nicht erreichbar. Bitte versuchen Sie es später noch einmal.")
        ) from error
    return _apply_status(payment, status, source=source, actor=actor)


# --- the beat job ---------------------------------------------------------------------------------
def payments_reconcile() -> dict[str, int]:
    """Ask the provider about every unfinished payment nobody has checked for a while: the user
    who never came back, the webhook that never came, the create whose answer was lost, the
    payment that expired. A rate limit ends the round: the next one comes in a minute."""
    older_than = datetime.timedelta(seconds=settings.PAYMENTS_RECONCILE_AFTER_SECONDS)
    payment_ids = payment_ids_due_for_reconcile(older_than=older_than, limit=RECONCILE_BATCH)
    deadline = time.monotonic() + RECONCILE_TIME_BUDGET_SECONDS
    counts = {"checked": 0, "finished": 0, "failed": 0}
    for payment_id in payment_ids:
        if time.monotonic() > deadline:
            break
        try:
            payment = payment_refresh(
                payment_id=payment_id, source=EventSource.RECONCILE, raise_busy=True
            )
        except ProviderBusy:
            break
        except Exception:  # one payment (or a receiver of its signal) must not stop the rest
            logger.exception("Reconciling payment %s failed", payment_id)
            counts["failed"] += 1
            continue
        counts["checked"] += 1
        counts["finished"] += payment.is_final
    return counts
