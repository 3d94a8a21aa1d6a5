"""The applicant's confirmation e-mail, with the receipt PDF attached."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from portal.core.links import absolute_url

from .models import Submission
from .pdf import receipt_pdf


def confirmation_message(submission: Submission) -> EmailMultiAlternatives | None:
    recipient = submission.applicant.email
    if not recipient:
        return None
    context = {
        "submission": submission,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "detail_url": absolute_url(
            reverse("eforms:submission-detail", args=[submission.public_id])
        ),
    }
    subject = render_to_string("emails/eforms/confirmation_subject.txt", context).strip()
    body = render_to_string("emails/eforms/confirmation.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[recipient])
    message.attach(
        f"Eingangsbestaetigung-{submission.number}.pdf", receipt_pdf(submission), "application/pdf"
    )
    return message
