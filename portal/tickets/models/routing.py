"""Where a ticket goes: the routing rules and the fallback department."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.departments.models import Department, District

from ..sources import source_kind_choices
from .catalogue import Category


class RoutingRule(models.Model):
    """Source kind, category, district and keyword → department. The first match wins."""

    position = models.PositiveIntegerField(_("Reihenfolge"), default=100, db_index=True)
    name = models.CharField(_("Bezeichnung"), max_length=120)
    source_kind = models.CharField(
        _("Herkunft"), max_length=30, blank=True, choices=source_kind_choices
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("Kategorie")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("Stadtteil")
    )
    keyword = models.CharField(
        _("Stichwort im Text"),
        max_length=60,
        blank=True,
        help_text=_("Optional; Groß- und Kleinschreibung egal."),
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("Fachbereich")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Zuordnungsregel")
        verbose_name_plural = _("Zuordnungsregeln")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        if not (self.source_kind or self.category_id or self.district_id or self.keyword):
            raise ValidationError(
                _("Eine Regel braucht mindestens eine Bedingung (Herkunft, Kategorie, Stadtteil "
                  "oder Stichwort); für alles Übrige gibt es den Auffang-Fachbereich.")
            )  # fmt: skip

    def matches(self, *, source_kind: str, category_id, district_id, text: str) -> bool:
        if self.source_kind and self.source_kind != source_kind:
            return False
        if self.category_id and self.category_id != category_id:
            return False
        if self.district_id and self.district_id != district_id:
            return False
        if self.keyword and self.keyword.casefold() not in (text or "").casefold():
            return False
        return True


@register_setting(icon="resubmit")
class RoutingSettings(BaseGenericSetting):
    fallback_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Auffang-Fachbereich"),
        help_text=_(
            "Erhält alle Anliegen, für die weder eine Regel noch die Kategorie einen "
            "Fachbereich nennt."
        ),
    )

    class Meta:
        verbose_name = _("Zuordnung von Anliegen")
