from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .geo import area_contains, validate_area_geojson


class DepartmentKind(models.TextChoices):
    OFFICE = "amt", _("Amt / Fachbereich")
    MUNICIPAL_COMPANY = "unternehmen", _("kommunales Unternehmen")
    EXTERNAL = "extern", _("externe Stelle")


class Department(ClusterableModel):
    """A Fachbereich, Amt or other body that handles Anliegen."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=30, unique=True)
    email = models.EmailField(_("E-Mail-Adresse"), help_text=_("Funktionspostfach des Bereichs"))
    kind = models.CharField(
        _("Art"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.OFFICE
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Fachbereich")
        verbose_name_plural = _("Fachbereiche")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipRole(models.TextChoices):
    CLERK = "sachbearbeitung", _("Sachbearbeitung")
    HEAD = "leitung", _("Leitung")


class DepartmentMembership(models.Model):
    department = ParentalKey(Department, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_memberships",
        verbose_name=_("Mitarbeiter*in"),
    )
    role = models.CharField(
        _("Rolle"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.CLERK
    )

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "user"], name="departments_membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.department} ({self.get_role_display()})"


class DistrictKind(models.TextChoices):
    BOROUGH = "stadtbezirk", _("Stadtbezirk")
    QUARTER = "stadtteil", _("Stadtteil")


class District(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)
    kind = models.CharField(
        _("Art"), max_length=20, choices=DistrictKind.choices, default=DistrictKind.QUARTER
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("gehört zu"),
    )
    area = models.JSONField(
        _("Gebiet (GeoJSON)"),
        validators=[validate_area_geojson],
        help_text=_("Polygon oder MultiPolygon in WGS 84 (Längengrad, Breitengrad)."),
    )

    class Meta:
        verbose_name = _("Stadtteil/Stadtbezirk")
        verbose_name_plural = _("Stadtteile und Stadtbezirke")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def contains(self, *, latitude: float, longitude: float) -> bool:
        return area_contains(self.area, latitude=latitude, longitude=longitude)
