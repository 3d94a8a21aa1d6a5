"""States, reasons and the one transition map of a payment.

The canonical states follow reference/payments.md §4.6: the provider's own vocabulary (GOV.UK Pay,
XBezahldienste, the demo) is translated into these by each provider. Only services.py changes a
payment's state, and only along PAYMENT_WORKFLOW.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import Workflow


class PaymentState(models.TextChoices):
    # ours only: the row exists, the provider has not (knowingly) seen it yet
    CREATED = "created", _("angelegt")
    # the provider knows it and waits for the payer (GOV.UK created/started/submitted, INITIAL)
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    # money reserved, to be captured later (delayed capture)
    AUTHORISED = "authorised", _("autorisiert")
    SUCCEEDED = "succeeded", _("bezahlt")
    FAILED = "failed", _("fehlgeschlagen")
    # cancelled by us (the city), not by the payer
    CANCELLED = "cancelled", _("abgebrochen")
    # the provider reported an error: no money has been taken
    ERROR = "error", _("Fehler")
    # ours only: the provider did not answer; reconciliation settles it
    UNKNOWN = "unknown", _("unbekannt (wird geprüft)")


class FailureReason(models.TextChoices):
    DECLINED = "declined", _("abgelehnt")
    EXPIRED = "expired", _("abgelaufen")
    USER_CANCELLED = "user_cancelled", _("von der zahlenden Person abgebrochen")
    SERVICE_CANCELLED = "service_cancelled", _("von der Stadt abgebrochen")
    PROVIDER_ERROR = "provider_error", _("technischer Fehler beim Zahlungsdienst")
    PROVIDER_BUSY = "provider_busy", _("Zahlungsdienst überlastet")
    NO_ANSWER = "no_answer", _("keine Antwort vom Zahlungsdienst")
    AMOUNT_MISMATCH = "amount_mismatch", _("Betrag beim Zahlungsdienst weicht ab")


class EventSource(models.TextChoices):
    """What made us look at the provider when a state changed."""

    CREATE = "create", _("Anlage")
    RETURN = "return", _("Rückkehr vom Zahlungsdienst")
    WEBHOOK = "webhook", _("Benachrichtigung des Zahlungsdienstes")
    RECONCILE = "reconcile", _("Abgleich")
    ADMIN = "admin", _("Verwaltung")
    SERVICE = "service", _("Portal")


class RefundState(models.TextChoices):
    SUBMITTED = "submitted", _("eingereicht")
    SUCCEEDED = "succeeded", _("erstattet")
    FAILED = "failed", _("fehlgeschlagen")


FINAL_STATES = frozenset(
    {PaymentState.SUCCEEDED, PaymentState.FAILED, PaymentState.CANCELLED, PaymentState.ERROR}
)
NON_FINAL_STATES = frozenset(set(PaymentState) - FINAL_STATES)

_SETTLED = {
    PaymentState.SUCCEEDED,
    PaymentState.FAILED,
    PaymentState.CANCELLED,
    PaymentState.ERROR,
}

# The only allowed moves. Nothing leaves a final state; nothing goes back to CREATED; UNKNOWN
# (no answer to our create call) can only follow CREATED. A stale or out-of-order report from
# the provider that asks for any other move is ignored.
PAYMENT_WORKFLOW = Workflow(
    "payment",
    {
        PaymentState.CREATED: frozenset(
            {PaymentState.IN_PROGRESS, PaymentState.AUTHORISED, PaymentState.UNKNOWN, *_SETTLED}
        ),
        PaymentState.UNKNOWN: frozenset(
            {PaymentState.IN_PROGRESS, PaymentState.AUTHORISED, *_SETTLED}
        ),
        PaymentState.IN_PROGRESS: frozenset({PaymentState.AUTHORISED, *_SETTLED}),
        PaymentState.AUTHORISED: frozenset(_SETTLED),
        PaymentState.SUCCEEDED: frozenset(),
        PaymentState.FAILED: frozenset(),
        PaymentState.CANCELLED: frozenset(),
        PaymentState.ERROR: frozenset(),
    },
    states=PaymentState,
    message=_("Diese Zahlung ist „%(old)s“ und kann nicht mehr „%(new)s“ werden."),
)

# Refunds that count against the refundable amount (a failed one does not).
COUNTED_REFUND_STATES = (RefundState.SUBMITTED, RefundState.SUCCEEDED)

REFERENCE_PREFIX = "ZB-"

# What the payer is told about a payment, by state (and reason). For the page the payer
# continues on after paying: German, formal, and honest about whether money was taken.
CITIZEN_MESSAGES = {
    (PaymentState.CREATED, ""): _(
        "Wir warten noch auf die Antwort des Zahlungsdienstes. Bitte laden Sie die Seite in "
        "einigen Minuten neu."
    ),
    (PaymentState.UNKNOWN, ""): _(
        "Wir warten noch auf die Antwort des Zahlungsdienstes. Bitte laden Sie die Seite in "
        "einigen Minuten neu."
    ),
    (PaymentState.IN_PROGRESS, ""): _(
        "Ihre Zahlung ist noch nicht abgeschlossen. Sie können sie jetzt fortsetzen."
    ),
    (PaymentState.AUTHORISED, ""): _(
        "Ihre Zahlung ist vorgemerkt. Der Betrag wird abgebucht, sobald die Stadt Ihren Antrag "
        "geprüft hat."
    ),
    (PaymentState.SUCCEEDED, ""): _("Vielen Dank, Ihre Zahlung ist eingegangen."),
    (PaymentState.FAILED, FailureReason.DECLINED): _(
        "Die Zahlung wurde abgelehnt. Es wurde kein Geld abgebucht. Sie können es mit einer "
        "neuen Zahlung noch einmal versuchen."
    ),
    (PaymentState.FAILED, FailureReason.USER_CANCELLED): _(
        "Sie haben die Zahlung abgebrochen. Es wurde kein Geld abgebucht. Sie können jederzeit "
        "eine neue Zahlung beginnen."
    ),
    (PaymentState.FAILED, FailureReason.EXPIRED): _(
        "Die Zeit für die Zahlung ist abgelaufen. Es wurde kein Geld abgebucht. Sie können eine "
        "neue Zahlung beginnen."
    ),
    (PaymentState.FAILED, ""): _(
        "Die Zahlung ist fehlgeschlagen. Es wurde kein Geld abgebucht. Sie können es mit einer "
        "neuen Zahlung noch einmal versuchen."
    ),
    (PaymentState.CANCELLED, ""): _("Die Zahlung wurde abgebrochen. Es wurde kein Geld abgebucht."),
    (PaymentState.ERROR, FailureReason.PROVIDER_BUSY): _(
        "Der Zahlungsdienst ist gerade überlastet. Es wurde kein Geld abgebucht. Bitte "
        "versuchen Sie es in einer Minute noch einmal."
    ),
    (PaymentState.ERROR, FailureReason.AMOUNT_MISMATCH): _(
        "Bei Ihrer Zahlung ist ein Fehler aufgetreten. Die Stadt prüft den Vorgang und meldet "
        "sich bei Ihnen. Bitte zahlen Sie nicht noch einmal."
    ),
    (PaymentState.ERROR, ""): _(
        "Beim Zahlungsdienst ist ein technischer Fehler aufgetreten. Es wurde kein Geld "
        "abgebucht. Bitte versuchen Sie es später noch einmal."
    ),
}


def format_euro(amount_minor: int) -> str:
    """12345 → "123,45 €" (German separators, no-break space before the sign)."""
    sign = "-" if amount_minor < 0 else ""
    euros, cents = divmod(abs(int(amount_minor)), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{cents:02d}\u00a0€"
