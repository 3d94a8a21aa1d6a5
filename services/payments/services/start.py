"""Starting a payment: validate, close an earlier open payment of the same order, commit the row,
then ask the provider."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError

from ..constants import NON_FINAL_STATES, EventSource, PaymentState, format_euro
from ..models import DESCRIPTION_MAX, PURPOSE_MAX, Payment, PaymentEvent
from ..providers import get_provider
from ..providers.base import PaymentProvider
from ..selectors import payment_list_for_order
from .core import _create_at_provider, is_local_path
from .lifecycle import payment_cancel

MAX_LINE_ITEMS = 99


def _normalise_line_items(line_items, amount_minor: int) -> list[dict]:
    """Each item: description, quantity (default 1) and either unit_amount_minor or the line's
    amount_minor; anything else (tax rate, booking data) is kept as it is. They must add up."""
    if not line_items:
        return []
    if len(line_items) > MAX_LINE_ITEMS:
        raise ApplicationError(
            _("Höchstens %(n)s Positionen sind möglich.") % {"n": MAX_LINE_ITEMS},
            field="line_items",
        )
    items, total = [], 0
    for item in line_items:
        try:
            quantity = int(item.get("quantity", 1))
            if "unit_amount_minor" in item:
                line_total = int(item["unit_amount_minor"]) * quantity
            else:
                line_total = int(item["amount_minor"])
            description = str(item["description"]).strip()
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ApplicationError(
                _("Eine Position ist unvollständig."), field="line_items"
            ) from error
        if quantity < 1 or line_total < 0 or not description:
            raise ApplicationError(_("Eine Position ist unvollständig."), field="line_items")
        total += line_total
        items.append({**item, "quantity": quantity, "amount_minor": line_total})
    if total != amount_minor:
        raise ApplicationError(
            _(
                "Die Summe der Positionen (%(sum)s) stimmt nicht mit dem Betrag (%(amount)s) "
                "überein."
            )
            % {"sum": format_euro(total), "amount": format_euro(amount_minor)},
            field="line_items",
        )
    return items


def _validate_start(
    *,
    provider: PaymentProvider,
    order,
    amount_minor,
    purpose: str,
    description: str,
    continue_url: str,
    line_items,
) -> tuple[str, str, list[dict]]:
    if order is None or getattr(order, "pk", None) is None:
        raise ApplicationError(_("Der zu bezahlende Vorgang fehlt."), field="order")
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise ApplicationError(_("Der Betrag muss größer als 0 € sein."), field="amount_minor")
    capabilities = provider.capabilities
    if amount_minor < capabilities.min_amount_minor:
        raise ApplicationError(
            _("Der Betrag muss mindestens %(amount)s betragen.")
            % {"amount": format_euro(capabilities.min_amount_minor)},
            field="amount_minor",
        )
    if amount_minor > capabilities.max_amount_minor:
        raise ApplicationError(
            _("Der Betrag darf höchstens %(amount)s betragen.")
            % {"amount": format_euro(capabilities.max_amount_minor)},
            field="amount_minor",
        )
    purpose = (purpose or "").strip()
    if not purpose:
        raise ApplicationError(_("Der Verwendungszweck fehlt."), field="purpose")
    if len(purpose) > PURPOSE_MAX:
        raise ApplicationError(
            _("Der Verwendungszweck darf höchstens %(n)s Zeichen lang sein.") % {"n": PURPOSE_MAX},
            field="purpose",
        )
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ApplicationError(
            _("Die Beschreibung darf höchstens %(n)s Zeichen lang sein.") % {"n": DESCRIPTION_MAX},
            field="description",
        )
    if not is_local_path(continue_url):
        raise ApplicationError(
            _("Die Rücksprungadresse muss eine Seite dieses Portals sein."), field="continue_url"
        )
    return purpose, description, _normalise_line_items(line_items, amount_minor)


def _close_earlier_payments(order) -> None:
    """Before a new payment: an earlier one that is still open is cancelled, so that the payer
    cannot pay twice; one that succeeded (perhaps just now) forbids a new one."""
    earlier_payments = payment_list_for_order(order).filter(
        state__in=[*NON_FINAL_STATES, PaymentState.SUCCEEDED]
    )
    for earlier in earlier_payments:
        if earlier.state != PaymentState.SUCCEEDED:
            try:
                earlier = payment_cancel(payment_id=earlier.pk)
            except ApplicationError:
                earlier = Payment.objects.get(pk=earlier.pk)
        if earlier.state == PaymentState.SUCCEEDED:
            raise ApplicationError(_("Für diesen Vorgang ist bereits eine Zahlung eingegangen."))
        if not earlier.is_final:
            raise ApplicationError(
                _(
                    "Eine frühere Zahlung für diesen Vorgang ist noch offen. Bitte versuchen Sie "
                    "es in einigen Minuten noch einmal."
                )
            )


def payment_start(
    *,
    order,
    amount_minor: int,
    purpose: str,
    description: str,
    continue_url: str,
    line_items: list[dict] | None = None,
    scenario: str = "",
) -> Payment:
    """Start paying for `order` (any saved model instance, e.g. an application).

    Commits the Payment row first, then asks the provider (idempotency key = payment.id). When
    the returned payment is IN_PROGRESS, send the browser to `payment.redirect_url`; otherwise
    show `payment.status_message`. Provider trouble raises nothing: the state is ERROR (no money
    taken, `can_retry`) or UNKNOWN (no answer; reconciliation settles it). Invalid input, or an
    order that is already paid, raises ApplicationError with a German message.

    `purpose` (bank transfer text) and `description` go to the provider and are shown on its
    pay page: no personal data in them. `line_items`: see `_normalise_line_items`. `scenario`
    picks a deterministic behaviour of the demo provider (tests, demonstrations).

    An earlier unfinished payment of the same order is cancelled first. Call this outside a
    database transaction: the row must be committed before the provider hears of it.
    """
    provider = get_provider()
    purpose, description, items = _validate_start(
        provider=provider,
        order=order,
        amount_minor=amount_minor,
        purpose=purpose,
        description=description,
        continue_url=continue_url,
        line_items=line_items,
    )
    _close_earlier_payments(order)
    with transaction.atomic():
        # one payment at a time per order: the order row is locked while we check
        list(type(order)._default_manager.select_for_update().filter(pk=order.pk).values("pk"))
        busy = (
            payment_list_for_order(order)
            .filter(state__in=[*NON_FINAL_STATES, PaymentState.SUCCEEDED])
            .first()
        )
        if busy is not None and busy.state == PaymentState.SUCCEEDED:
            raise ApplicationError(_("Für diesen Vorgang ist bereits eine Zahlung eingegangen."))
        if busy is not None:
            raise ApplicationError(
                _(
                    "Für diesen Vorgang wird gerade eine Zahlung angelegt. Bitte warten Sie "
                    "einen Moment."
                )
            )
        payment = Payment.objects.create(
            order_content_type=ContentType.objects.get_for_model(order),
            order_object_id=str(order.pk),
            amount_minor=amount_minor,
            currency="EUR",
            purpose=purpose,
            description=description,
            line_items=items,
            provider=provider.key,
            continue_url=continue_url,
            scenario=scenario,
        )
        PaymentEvent.objects.create(
            payment=payment, to_state=PaymentState.CREATED, source=EventSource.CREATE
        )
    # committed: from here on the provider may know this payment; if its answer is lost, the
    # same idempotency key finds the original transaction again
    return _create_at_provider(payment, source=EventSource.CREATE)
