from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """The public figures as the nightly job computed them (portal.core.figures): the page at
    /zahlen/ shows the newest one and computes nothing."""

    computed_at = models.DateTimeField(_("berechnet am"), default=timezone.now, db_index=True)
    period_start = models.DateField(_("Zeitraum ab"))
    period_end = models.DateField(_("Zeitraum bis"))
    sections = models.JSONField(_("Abschnitte"), default=list)

    class Meta:
        verbose_name = _("Auswertung der öffentlichen Zahlen")
        verbose_name_plural = _("Auswertungen der öffentlichen Zahlen")
        ordering = ["-computed_at"]

    def __str__(self):
        return f"{self.computed_at:%Y-%m-%d %H:%M}"
