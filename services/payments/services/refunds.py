"""Refunds: a ledger of Refund rows, each written before the provider is asked."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError

from ..constants import COUNTED_REFUND_STATES, PaymentState, RefundState, format_euro
from ..models import Payment, Refund
from ..providers import get_provider
from ..providers.base import ProviderError, ProviderTimeout, RefundRefused
from .core import _raw


def _refund_finish(
    refund: Refund, *, state: str, message: str = "", provider_ref: str = ""
) -> Refund:
    refund.state = state
    refund.provider_message = message[:250]
    refund.provider_refund_ref = provider_ref or refund.provider_refund_ref
    refund.finished_at = timezone.now() if state != RefundState.SUBMITTED else None
    refund.save(update_fields=["state", "provider_message", "provider_refund_ref", "finished_at"])
    return refund


def refund_create(*, payment_id, amount_minor: int, reason: str, actor) -> Refund:
    """Refund all or part of a succeeded payment. The ledger row is written (and counted)
    before the provider is asked, under the payment's row lock, so two refunds at once cannot
    both spend the same amount; the provider's refund_amount_available guard catches a ledger
    that is out of date. Every refusal raises ApplicationError with a German message."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Bitte begründen Sie die Erstattung."), field="reason")
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise ApplicationError(_("Der Betrag muss größer als 0 € sein."), field="amount")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state != PaymentState.SUCCEEDED:
            raise ApplicationError(_("Nur bezahlte Zahlungen können erstattet werden."))
        capabilities = get_provider(payment.provider).capabilities
        if not capabilities.refunds:
            raise ApplicationError(_("Dieser Zahlungsdienst erlaubt keine Erstattungen."))
        refunded = sum(
            payment.refunds.filter(state__in=COUNTED_REFUND_STATES).values_list(
                "amount_minor", flat=True
            )
        )
        available = payment.amount_minor - refunded
        if amount_minor > available:
            raise ApplicationError(
                _("Es können höchstens %(amount)s erstattet werden.")
                % {"amount": format_euro(available)},
                field="amount",
            )
        if amount_minor < available and not capabilities.partial_refunds:
            raise ApplicationError(
                _("Dieser Zahlungsdienst erlaubt nur die Erstattung des ganzen Betrags."),
                field="amount",
            )
        refund = Refund.objects.create(
            payment=payment, amount_minor=amount_minor, reason=reason[:500], actor=actor
        )
    provider = get_provider(payment.provider)
    try:
        result = provider.refund(
            payment.provider_ref,
            amount_minor=amount_minor,
            expected_available_minor=available,
            idempotency_key=str(refund.pk),
        )
    except RefundRefused as error:
        _refund_finish(refund, state=RefundState.FAILED, message=_raw(error))
        raise ApplicationError(
            _(
                "Der Zahlungsdienst hat die Erstattung abgelehnt: Der dort erstattbare Betrag "
                "stimmt nicht mit unseren Unterlagen überein. Bitte prüfen Sie die Erstattungen "
                "beim Zahlungsdienst."
            )
        ) from error
    except ProviderTimeout as error:
        # if it did go through, the provider's guard refuses a second attempt
        _refund_finish(refund, state=RefundState.FAILED, message="timeout")
        raise ApplicationError(
            _(
                "Der Zahlungsdienst hat nicht geantwortet. Bitte prüfen Sie dort, ob erstattet "
                "wurde, bevor Sie es noch einmal versuchen."
            )
        ) from error
    except ProviderError as error:
        _refund_finish(refund, state=RefundState.FAILED, message=_raw(error))
        raise ApplicationError(
            _("Die Erstattung ist fehlgeschlagen. Bitte versuchen Sie es später noch einmal.")
        ) from error
    if result.state == RefundState.FAILED:
        _refund_finish(
            refund,
            state=RefundState.FAILED,
            message=result.raw_status,
            provider_ref=result.provider_refund_ref,
        )
        raise ApplicationError(
            _(
                "Der Zahlungsdienst meldet einen Fehler bei der Erstattung. Es wurde nichts "
                "erstattet."
            )
        )
    return _refund_finish(
        refund,
        state=result.state,
        message=result.raw_status,
        provider_ref=result.provider_refund_ref,
    )
