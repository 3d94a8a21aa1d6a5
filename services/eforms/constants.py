from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import Workflow


class SubmissionStatus(models.TextChoices):
    DRAFT = "entwurf", _("Entwurf")
    AWAITING_PAYMENT = "zahlung_offen", _("Zahlung offen")
    RELEASED = "eingereicht", _("eingereicht")
    WITHDRAWN = "zurueckgezogen", _("zurückgezogen")


# The one map of allowed status changes; only services.py changes a submission's status.
SUBMISSION_WORKFLOW = Workflow(
    "submission",
    {
        SubmissionStatus.DRAFT: {
            SubmissionStatus.AWAITING_PAYMENT,
            SubmissionStatus.RELEASED,
            SubmissionStatus.WITHDRAWN,
        },
        SubmissionStatus.AWAITING_PAYMENT: {
            SubmissionStatus.RELEASED,
            SubmissionStatus.WITHDRAWN,
        },
        SubmissionStatus.RELEASED: set(),
        SubmissionStatus.WITHDRAWN: set(),
    },
    states=SubmissionStatus,
    message=_("Dieser Antrag ist „%(old)s“ und kann nicht mehr „%(new)s“ werden."),
)

SOURCE_KIND = "antrag"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Editor-built forms are addressed as "seite-<page id>" wherever a form key is expected.
PAGE_FORM_PREFIX = "seite-"

# Applications to a service without a category of its own become Anliegen of this category; the
# routing rules (or the fallback department) send them on. Created by migration 0002.
DEFAULT_CATEGORY_SLUG = "antrag-sonstiges"
DEFAULT_CATEGORY_NAME = "Sonstiger Antrag"
