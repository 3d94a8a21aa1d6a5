"""The one table of owed e-mails (app label `core`, see portal/core/models.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An e-mail owed to someone, recorded once under its idempotency key in the transaction that
    decided it. The worker sends it (portal.core.outbox); the relay rings again for rows whose
    doorbell was not heard."""

    key = models.CharField(_("Schlüssel"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=60, db_index=True)
    recipient = models.CharField(_("Empfänger"), max_length=254)
    template = models.CharField(_("Vorlage"), max_length=200)
    # ids and plain values only: the context builder of the kind reloads the objects
    context = models.JSONField(_("Kontext"), default=dict, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    failed_at = models.DateTimeField(_("fehlgeschlagen am"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    # the error's type (and SMTP code), never its text: that may hold an address
    last_error = models.TextField(_("letzter Fehler"), blank=True)

    class Meta:
        verbose_name = _("Ausgehende E-Mail")
        verbose_name_plural = _("Ausgehende E-Mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
                name="core_outbox_pending_idx",
            )
        ]

    def __str__(self):
        return self.key
