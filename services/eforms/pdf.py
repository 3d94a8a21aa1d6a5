"""PDFs of an application: the receipt (Eingangsbestätigung) and the documents released after
payment. Rendered on request from the stored application, never kept as files."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from portal.core.money import euros

from .definitions.base import Document
from .models import Submission


def _payment_for_receipt(submission: Submission):
    from services.payments.constants import PaymentState
    from services.payments.selectors import payment_list_for_order

    for payment in payment_list_for_order(submission):
        if payment.state == PaymentState.SUCCEEDED:
            return payment
    return None


def receipt_context(submission: Submission) -> dict:
    from .services import form_for

    form = form_for(submission)
    files = {f.field: f.original_name for f in submission.files.all()}
    items = form.line_items(submission.data) if submission.fee_minor else []
    return {
        "submission": submission,
        "form": form,
        "sections": form.summary(submission.data, files),
        "items": [(item, euros(item.unit_minor), euros(item.total_minor)) for item in items],
        "fee": euros(submission.fee_minor),
        "payment": _payment_for_receipt(submission) if submission.fee_minor else None,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "created": timezone.localtime(),
    }


def _render(template: str, context: dict) -> bytes:
    from PIL import ImageFile

    truncated_allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML

    # WeasyPrint switches Pillow to accepting truncated images for the whole process on import;
    # our PDFs embed no uploads, and the photo checks must keep refusing broken files.
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated_allowed

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def receipt_pdf(submission: Submission) -> bytes:
    return _render("eforms/pdf/receipt.html", receipt_context(submission))


def document_pdf(submission: Submission, document: Document) -> bytes:
    return _render(document.template, receipt_context(submission) | {"document": document})
