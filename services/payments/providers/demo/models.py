"""The demo provider's own records: what an external PSP keeps on its side. They are separate
from our Payment on purpose; the demo's pay page reads only these (amount and description come
from here, never from a form)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoStatus(models.TextChoices):
    """GOV.UK Pay's vocabulary (reference/payments.md §4.2)."""

    CREATED = "created", _("angelegt")
    STARTED = "started", _("Zahlseite geöffnet")
    SUCCESS = "success", _("bezahlt")
    FAILED = "failed", _("fehlgeschlagen")
    CANCELLED = "cancelled", _("abgebrochen")
    ERROR = "error", _("Fehler")


DEMO_FINAL = frozenset(
    {DemoStatus.SUCCESS, DemoStatus.FAILED, DemoStatus.CANCELLED, DemoStatus.ERROR}
)


class DemoTransaction(models.Model):
    provider_ref = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=255, unique=True)
    request_hash = models.CharField(max_length=64)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="EUR")
    reference = models.CharField(max_length=255)
    description = models.CharField(max_length=255, blank=True)
    return_url = models.CharField(max_length=2000)
    metadata = models.JSONField(default=dict, blank=True)
    scenario = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=DemoStatus.choices, default=DemoStatus.CREATED)
    # P0010 declined, P0020 expired, P0030 cancelled by the payer, P0040 cancelled by the
    # service, P0050 error
    code = models.CharField(max_length=10, blank=True)
    # scenario "status_rate_limit": this many status requests are answered with 429 first
    refuse_status_calls = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Demo-Transaktion")
        verbose_name_plural = _("Demo-Transaktionen")

    def __str__(self):
        return self.provider_ref

    @property
    def is_finished(self) -> bool:
        return self.status in DEMO_FINAL


class DemoRefund(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("eingereicht")
        SUCCESS = "success", _("erstattet")
        ERROR = "error", _("Fehler")

    refund_id = models.CharField(max_length=40, unique=True)
    transaction = models.ForeignKey(
        DemoTransaction, on_delete=models.CASCADE, related_name="refunds"
    )
    amount = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    idempotency_key = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Demo-Erstattung")
        verbose_name_plural = _("Demo-Erstattungen")

    def __str__(self):
        return self.refund_id


class DemoWebhookDelivery(models.Model):
    """One signed notification to the portal, with GOV.UK Pay's delivery states and retries."""

    class Status(models.TextChoices):
        PENDING = "PENDING"
        SUCCESSFUL = "SUCCESSFUL"
        FAILED = "FAILED"
        WILL_NOT_SEND = "WILL_NOT_SEND"

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    transaction = models.ForeignKey(
        DemoTransaction, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=60)
    # the exact bytes that are signed and sent
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Demo-Benachrichtigung")
        verbose_name_plural = _("Demo-Benachrichtigungen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.event_type} {self.message_id}"
