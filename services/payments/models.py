"""Payment records: what is paid, how much, with which provider, and what became of it.

Amounts are integer cents. A payment's id is also the idempotency key we send to the provider, so
a replayed create finds the original transaction instead of charging twice.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import AppendOnlyModel

from .constants import (
    CITIZEN_MESSAGES,
    COUNTED_REFUND_STATES,
    FINAL_STATES,
    REFERENCE_PREFIX,
    EventSource,
    FailureReason,
    PaymentState,
    RefundState,
    format_euro,
)

__all__ = [
    "EventSource",
    "FailureReason",
    "Payment",
    "PaymentEvent",
    "PaymentState",
    "Refund",
    "RefundState",
    "WebhookMessage",
]

PURPOSE_MAX = 27  # the bank transfer text (XBezahldienste `purpose`)
DESCRIPTION_MAX = 250  # shown on the pay page


def new_return_token() -> str:
    return secrets.token_urlsafe(32)


class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # what is paid for: an application (eforms.Submission), a booking, ...
    order_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Art des Vorgangs")
    )
    # text, so that orders with integer and UUID keys fit alike
    order_object_id = models.CharField(_("Vorgang"), max_length=64)
    order = GenericForeignKey("order_content_type", "order_object_id")

    amount_minor = models.PositiveIntegerField(_("Betrag (Cent)"))
    currency = models.CharField(_("Währung"), max_length=3, default="EUR")
    purpose = models.CharField(_("Verwendungszweck"), max_length=PURPOSE_MAX)
    description = models.CharField(_("Beschreibung"), max_length=DESCRIPTION_MAX, blank=True)
    line_items = models.JSONField(_("Positionen"), default=list, blank=True)

    provider = models.CharField(_("Zahlungsdienst"), max_length=30)
    provider_ref = models.CharField(
        _("Kennung beim Zahlungsdienst"), max_length=100, blank=True, db_index=True
    )
    # the pay page; only ever given to the payer's browser
    redirect_url = models.CharField(max_length=2000, blank=True)
    return_token = models.CharField(
        max_length=64, unique=True, default=new_return_token, editable=False
    )
    continue_url = models.CharField(max_length=500)
    # a deterministic behaviour of the demo provider; ignored by real providers
    scenario = models.CharField(max_length=40, blank=True)

    state = models.CharField(
        _("Status"),
        max_length=20,
        choices=PaymentState.choices,
        default=PaymentState.CREATED,
        db_index=True,
    )
    failure_reason = models.CharField(
        _("Grund"), max_length=30, choices=FailureReason.choices, blank=True
    )
    raw_status = models.CharField(_("Status beim Zahlungsdienst"), max_length=60, blank=True)

    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("zuletzt abgefragt am"), null=True, blank=True)
    expires_at = models.DateTimeField(_("läuft ab am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["order_content_type", "order_object_id", "-created_at"]),
            models.Index(fields=["state", "last_checked_at"]),
            models.Index(fields=["provider", "provider_ref"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="payments_amount_positive"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """Short and human-readable, for receipts and the telephone: "ZB-7F3A9C21"."""
        return REFERENCE_PREFIX + self.id.hex[:8].upper()

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def can_retry(self) -> bool:
        """A new payment may be started: this one is over and took no money. Not after an amount
        mismatch, where money may have been taken and staff must look first."""
        return (
            self.is_final
            and self.state != PaymentState.SUCCEEDED
            and self.failure_reason != FailureReason.AMOUNT_MISMATCH
        )

    @property
    def can_resume(self) -> bool:
        """The payer may go back to the pay page (returned early, or opened it again)."""
        return self.state == PaymentState.IN_PROGRESS and bool(self.redirect_url)

    @property
    def amount_display(self) -> str:
        return format_euro(self.amount_minor)

    @property
    def refunded_minor(self) -> int:
        # selectors annotate `refunded_total`, so that a list does not query per row
        annotated = self.__dict__.get("refunded_total")
        if annotated is not None:
            return annotated
        total = self.refunds.filter(state__in=COUNTED_REFUND_STATES).aggregate(
            total=Sum("amount_minor")
        )["total"]
        return total or 0

    @property
    def refunded_display(self) -> str:
        return format_euro(self.refunded_minor)

    @property
    def refundable_minor(self) -> int:
        if self.state != PaymentState.SUCCEEDED:
            return 0
        return max(self.amount_minor - self.refunded_minor, 0)

    @property
    def status_message(self) -> str:
        """What the payer is told on the page they continue on (German, formal)."""
        return str(
            CITIZEN_MESSAGES.get((self.state, self.failure_reason))
            or CITIZEN_MESSAGES[(self.state, "")]
        )


class PaymentEvent(AppendOnlyModel):
    """The state history of a payment; rows are only ever added."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("von"), max_length=20, choices=PaymentState.choices, blank=True)
    to_state = models.CharField(_("nach"), max_length=20, choices=PaymentState.choices)
    source = models.CharField(_("Anlass"), max_length=20, choices=EventSource.choices)
    raw_status = models.CharField(_("Status beim Zahlungsdienst"), max_length=60, blank=True)
    failure_reason = models.CharField(
        _("Grund"), max_length=30, choices=FailureReason.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("durch"),
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("Zahlungsereignis")
        verbose_name_plural = _("Zahlungsereignisse")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.payment}: {self.from_state or '–'} → {self.to_state}"


class Refund(models.Model):
    """One refund of (part of) a payment. Together they are the refund ledger: a refund row is
    written before the provider is asked, so two refunds at once cannot both see the full
    amount as refundable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.PositiveIntegerField(_("Betrag (Cent)"))
    reason = models.CharField(_("Begründung"), max_length=500)
    state = models.CharField(
        _("Status"),
        max_length=20,
        choices=RefundState.choices,
        default=RefundState.SUBMITTED,
    )
    provider_refund_ref = models.CharField(max_length=100, blank=True)
    provider_message = models.CharField(
        _("Meldung des Zahlungsdienstes"), max_length=250, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veranlasst von"),
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    finished_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Erstattung")
        verbose_name_plural = _("Erstattungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="payments_refund_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.payment}: {format_euro(self.amount_minor)}"

    @property
    def amount_display(self) -> str:
        return format_euro(self.amount_minor)


class WebhookMessage(models.Model):
    """A notification received from a provider, kept once per message id: a duplicate delivery
    runs into the unique constraint and does nothing. The body is not kept."""

    provider = models.CharField(max_length=30)
    message_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=60, blank=True)
    provider_ref = models.CharField(max_length=100, blank=True)
    raw_status = models.CharField(max_length=60, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="webhooks"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "message_id"], name="payments_webhook_once"
            ),
        ]

    def __str__(self):
        return f"{self.provider}:{self.message_id}"


# the demo provider's own records (its "server side"), kept in this app's tables
from .providers.demo.models import (  # noqa: E402, F401
    DemoRefund,
    DemoTransaction,
    DemoWebhookDelivery,
)
