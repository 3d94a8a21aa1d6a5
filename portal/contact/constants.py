from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    GENERAL = "anliegen", _("Anliegen an die Stadt")
    ACCESSIBILITY = "barrierefreiheit", _("Rückmeldung zur Barrierefreiheit")


# The law gives a month for an answer to accessibility feedback (§ 12b BGG, BITV 2.0).
ACCESSIBILITY_CATEGORY_SLUG = "barrierefreiheit"
ACCESSIBILITY_SLA_DAYS = 20
