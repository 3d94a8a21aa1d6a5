from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ContactKind


class ContactRequest(models.Model):
    """What a citizen wrote through the general contact form or the accessibility feedback
    form, as they wrote it. The ticket that handles it points here."""

    kind = models.CharField(_("Art"), max_length=20, choices=ContactKind.choices)
    message = models.TextField(_("Nachricht"))
    page_url = models.CharField(
        _("betroffene Seite"),
        max_length=300,
        blank=True,
        help_text=_("Bei Rückmeldungen zur Barrierefreiheit: wo die Barriere auftrat."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Anfrage")
        verbose_name_plural = _("Anfragen")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%d.%m.%Y})"
