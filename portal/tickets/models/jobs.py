"""Background jobs that gave up, kept for staff to start again."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ticket import Ticket


class FailedJob(models.Model):
    """A background job that gave up after its retries; staff can start it again."""

    task_name = models.CharField(_("Auftrag"), max_length=150)
    object_id = models.PositiveBigIntegerField(_("Objekt"))
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="failed_jobs"
    )
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("fehlgeschlagen am"), default=timezone.now)
    retried_at = models.DateTimeField(_("erneut gestartet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Fehlgeschlagener Auftrag")
        verbose_name_plural = _("Fehlgeschlagene Aufträge")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.task_name}({self.object_id})"
