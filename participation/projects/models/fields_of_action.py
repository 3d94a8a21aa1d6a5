"""Handlungsfelder: the fields of action of the city's strategy that projects and ideas serve."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class FieldOfAction(models.Model):
    """Handlungsfeld of the city's strategy, e.g. "Mobilität" (code "ZM 02")."""

    code = models.CharField(_("Kürzel"), max_length=20, unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=150)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["code"]

    def __str__(self):
        # the code is the administration's filing key; citizens and editors read the name
        return self.name
