"""The applicant's confirmation e-mail, with the receipt PDF attached. Owed on release
(services.py, `outbox.owe`); the kernel's worker builds it here (portal.core.outbox)."""

from __future__ import annotations

from django.urls import reverse

from portal.core import outbox
from portal.core.links import absolute_url

from .models import Submission
from .pdf import receipt_pdf


@outbox.context_builder("eforms.confirmation")
def confirmation_context(message) -> dict | None:
    submission = (
        Submission.objects.select_related("applicant")
        .filter(pk=message.context.get("submission"))
        .first()
    )
    if submission is None:
        return None  # erased since: nothing to confirm any more
    return {
        "submission": submission,
        "detail_url": absolute_url(
            reverse("eforms:submission-detail", args=[submission.public_id])
        ),
        "attachments": [
            (
                f"Eingangsbestaetigung-{submission.number}.pdf",
                receipt_pdf(submission),
                "application/pdf",
            )
        ],
    }
