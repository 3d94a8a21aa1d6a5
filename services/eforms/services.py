"""Writes of the online applications. An application is stored before anything can fail
(payment, broker, e-mail); it reaches the department through a ticket exactly once: at once when it
costs nothing, else when its payment succeeds."""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import outbox
from portal.core.errors import ApplicationError
from portal.core.sequences import next_yearly_number
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category
from portal.tickets.services import ticket_open

from .constants import (
    DEFAULT_CATEGORY_NAME,
    DEFAULT_CATEGORY_SLUG,
    SOURCE_KIND,
    SUBMISSION_WORKFLOW,
    SubmissionStatus,
)
from .definitions.base import ServiceForm, to_json
from .models import Submission, SubmissionFile, SubmissionSequence
from .registry import get_form
from .selectors import service_for_form

logger = logging.getLogger(__name__)


def _set_status(submission: Submission, to_status: str) -> None:
    SUBMISSION_WORKFLOW.check(submission.status, to_status)
    submission.status = to_status


def _next_number(year: int) -> str:
    """`A-2026-000123`: the application number, sequential per year."""
    return f"A-{year}-{next_yearly_number(SubmissionSequence, year):06d}"


def form_for(submission: Submission) -> ServiceForm:
    form = get_form(submission.form_key)
    if form is None:  # a form taken out of the code while drafts exist
        raise ApplicationError(_("Dieses Formular gibt es nicht mehr."))
    return form


def application_category(service) -> Category:
    """The category an application becomes an Anliegen in: the service's own, else the general
    "Sonstiger Antrag", which the routing rules or the fallback department send on. So a form
    an editor puts under any service reaches a department, and so does one taken offline after
    payment (`service` None)."""
    if service is not None and service.category is not None and service.category.is_active:
        return service.category
    category, _created = Category.objects.get_or_create(
        slug=DEFAULT_CATEGORY_SLUG,
        defaults={"name": DEFAULT_CATEGORY_NAME, "kind": CategoryKind.APPLICATION},
    )
    return category


@transaction.atomic
def submission_start(*, form_key: str, applicant) -> Submission:
    """A new draft for a signed-in citizen."""
    form = get_form(form_key)
    service = service_for_form(form_key)
    if form is None or service is None:
        raise ApplicationError(_("Dieser Dienst kann derzeit nicht online beantragt werden."))
    return Submission.objects.create(
        form_key=form_key, service_title=service.title, applicant=applicant
    )


@transaction.atomic
def submission_save_step(
    *, submission: Submission, index: int, cleaned_data: dict, complete: bool = True
) -> Submission:
    """Store one step's answers (files checked by the form, under generated names). An
    incomplete step ("save and continue later") keeps what was valid but opens no later step."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_draft:
        raise ApplicationError(
            _("Dieser Antrag ist schon abgeschickt und kann nicht mehr geändert werden."),
        )
    form = form_for(submission)
    step_fields = form.steps[index].form_class.base_fields
    answers = dict(submission.data)
    files = set(answers.get("_files", []))
    for name, value in cleaned_data.items():
        if name not in step_fields:
            continue
        if hasattr(value, "read"):  # a checked upload
            SubmissionFile.objects.filter(submission=submission, field=name).delete()
            SubmissionFile.objects.create(
                submission=submission,
                field=name,
                file=value,
                original_name=getattr(value, "original_name", "") or value.name,
                content_type=getattr(value, "content_type", "application/octet-stream"),
                size=value.size,
            )
            files.add(name)
        elif name in files and value in (None, False):
            continue  # an empty file input keeps the stored file
        else:
            answers[name] = to_json(value)
    answers["_files"] = sorted(files)
    submission.data = answers
    if complete:
        submission.step = max(submission.step, index + 1)
    submission.save(update_fields=["data", "step", "updated_at"])
    return submission


@transaction.atomic
def submission_submit(*, submission_id: int, applicant, consent: bool) -> Submission:
    """Send the application. A second click finds it sent and changes nothing. The fee comes
    from the stored answers, never from the browser."""
    submission = Submission.objects.select_for_update().get(pk=submission_id, applicant=applicant)
    if not submission.is_draft:
        return submission
    if not consent:
        raise ApplicationError(
            _("Bitte bestätigen Sie, dass Ihre Angaben richtig sind."), field="consent"
        )
    form = form_for(submission)
    failing = form.validate_all(submission.data)
    if failing:
        step, _form = failing[0]
        raise ApplicationError(
            _("Im Schritt „%(step)s“ fehlen Angaben oder sind nicht mehr gültig.")
            % {"step": step.title},
            field=step.slug,
        )
    now = timezone.now()
    submission.number = _next_number(timezone.localdate(now).year)
    submission.fee_minor = form.fee_minor(submission.data)
    submission.appointment_date = form.appointment_date(submission.data)
    submission.submitted_at = now
    if submission.fee_minor > 0:
        _set_status(submission, SubmissionStatus.AWAITING_PAYMENT)
        submission.save()
        return submission
    submission.save()
    return _release(submission)


@transaction.atomic
def submission_release(*, submission_id: int) -> Submission:
    """Hand a paid application to its department: opens the ticket once. Called by the payment's
    success (in the payment's transaction); a second call changes nothing."""
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if submission.status != SubmissionStatus.AWAITING_PAYMENT:
        return submission
    return _release(submission)


def _release(submission: Submission) -> Submission:
    form = form_for(submission)
    category = application_category(service_for_form(submission.form_key))
    _set_status(submission, SubmissionStatus.RELEASED)
    submission.released_at = timezone.now()
    submission.ticket = ticket_open(
        source=submission,
        source_kind=SOURCE_KIND,
        category=category,
        summary=f"{submission.number}: {form.ticket_summary(submission.data)}",
        citizen=submission.applicant,
    )
    submission.save()
    # the confirmation with the receipt PDF (emails.py), sent by the kernel's outbox; nobody to
    # write to when the account was erased while the payment was on its way
    if submission.applicant is not None:
        outbox.owe(
            f"eforms.confirmation:{submission.pk}",
            kind="eforms.confirmation",
            recipient=submission.applicant.email,
            template="emails/eforms/confirmation",
            context={"submission": submission.pk},
        )
    return submission


@transaction.atomic
def submission_withdraw(*, submission_id: int, applicant) -> Submission:
    """A draft or an unpaid application is dropped by its applicant."""
    submission = Submission.objects.select_for_update().get(pk=submission_id, applicant=applicant)
    _set_status(submission, SubmissionStatus.WITHDRAWN)
    submission.save(update_fields=["status", "updated_at"])
    return submission


def submission_pay(*, submission_id: int, applicant):
    """Start the payment of an unpaid application, or resume the one in progress; returns the
    Payment. Outside a transaction: the payment row must be committed before the provider hears
    of it (services.payments locks the application while it creates the payment)."""
    from services.payments.selectors import payment_list_for_order
    from services.payments.services import payment_start

    submission = Submission.objects.get(pk=submission_id, applicant=applicant)
    if submission.status != SubmissionStatus.AWAITING_PAYMENT:
        raise ApplicationError(_("Für diesen Antrag ist keine Zahlung offen."))
    latest = payment_list_for_order(submission).first()
    if latest is not None and not latest.is_final and latest.redirect_url:
        return latest  # the applicant came back before finishing: resume on the pay page
    form = form_for(submission)
    return payment_start(
        order=submission,
        amount_minor=submission.fee_minor,
        purpose=f"Antrag {submission.number}"[:27],
        description=submission.service_title[:250],
        continue_url=reverse("eforms:submission-detail", args=[submission.public_id]),
        line_items=[
            {
                "description": item.description,
                "quantity": item.quantity,
                "unit_amount_minor": item.unit_minor,
            }
            for item in form.line_items(submission.data)
        ],
    )
