"""The Löschprotokoll: one line per retention rule and run, with counts and never a person."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import AppendOnlyModel


class ErasureLog(AppendOnlyModel):
    ran_at = models.DateTimeField(_("Lauf am"), default=timezone.now, db_index=True)
    rule = models.CharField(_("Regel"), max_length=80)
    label = models.CharField(_("Daten"), max_length=200)
    days = models.PositiveIntegerField(_("Frist in Tagen"))
    count = models.PositiveIntegerField(_("gelöscht"))

    class Meta:
        app_label = "core"
        ordering = ["-ran_at", "rule"]
        verbose_name = _("Eintrag im Löschprotokoll")
        verbose_name_plural = _("Löschprotokoll")
        permissions = [("view_erasure_log", _("Löschprotokoll ansehen"))]

    def __str__(self):
        return f"{self.ran_at:%d.%m.%Y} {self.label}: {self.count}"
