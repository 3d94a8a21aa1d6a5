"""Reads of the online applications."""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet

from .constants import PAGE_FORM_PREFIX, SubmissionStatus
from .models import ServiceFormPage, Submission


def service_for_form(key: str):
    """The live catalogue entry that offers the form `key` (code-defined, or an editor-built
    form page below it); None when the form is not offered (no page, or unpublished). A service
    needs no application category of its own: see services.application_category."""
    service_page = apps.get_model("catalogue", "ServicePage")
    offered = service_page.objects.live().select_related("category", "department")
    if key.startswith(PAGE_FORM_PREFIX):
        page_id = key.removeprefix(PAGE_FORM_PREFIX)
        if not page_id.isdigit():
            return None
        form_page = ServiceFormPage.objects.live().filter(pk=int(page_id)).first()
        if form_page is None:
            return None
        return offered.filter(pk=form_page.get_parent().pk).first()
    return offered.filter(form_key=key).order_by("path").first()


def submission_list_for_user(user) -> QuerySet[Submission]:
    """Mein Konto: the applicant's applications and drafts, with their ticket, newest first."""
    return (
        Submission.objects.filter(applicant=user)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .select_related("ticket")
        .order_by("-created_at")
    )


def submission_get_for_user(*, user, public_id) -> Submission:
    """One of the user's own applications; anyone else's is Submission.DoesNotExist (a 404),
    so that a guessed id tells nothing."""
    return Submission.objects.select_related("ticket", "applicant").get(
        public_id=public_id, applicant=user
    )
