"""The applicant's side of the online applications: start, steps, review, payment, status,
receipt and documents. Every view is for the signed-in applicant and shows only their own
applications (another person's id is a 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core.errors import ApplicationError
from portal.core.money import euros
from services.payments.constants import PaymentState

from .constants import SubmissionStatus
from .models import Submission
from .pdf import document_pdf, receipt_pdf
from .registry import get_form
from .selectors import service_for_form, submission_get_for_user, submission_list_for_user
from .services import (
    form_for,
    submission_pay,
    submission_save_step,
    submission_start,
    submission_submit,
    submission_withdraw,
)

ACTION_NEXT = "weiter"
ACTION_BACK = "zurueck"
ACTION_SAVE = "speichern"


def _own(request, public_id) -> Submission:
    try:
        return submission_get_for_user(user=request.user, public_id=public_id)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc


def _step_url(submission: Submission, index: int) -> str:
    return reverse("eforms:submission-step", args=[submission.public_id, index + 1])


def continue_url(submission: Submission) -> str:
    """Where a draft goes on: the first step not yet completed, or the review page."""
    form = get_form(submission.form_key)
    if form is None or submission.step >= len(form.steps):
        return reverse("eforms:submission-review", args=[submission.public_id])
    return _step_url(submission, submission.step)


def _payment_state(submission: Submission):
    from services.payments.selectors import payment_list_for_order

    return payment_list_for_order(submission).first()


@never_cache
@login_required
def form_start(request, key: str):
    form = get_form(key)
    service = service_for_form(key) if form else None
    if form is None or service is None:
        raise Http404
    if request.method == "POST":
        try:
            submission = submission_start(form_key=key, applicant=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        return redirect(_step_url(submission, 0))
    drafts = [
        (draft, continue_url(draft))
        for draft in submission_list_for_user(request.user).filter(
            form_key=key, status=SubmissionStatus.DRAFT
        )
    ]
    return render(
        request,
        "eforms/form_start.html",
        {"service_form": form, "service": service, "drafts": drafts},
    )


@never_cache
@login_required
def submission_step(request, public_id, number: int):
    submission = _own(request, public_id)
    if not submission.is_draft:
        return redirect("eforms:submission-detail", public_id=submission.public_id)
    service_form = form_for(submission)
    index = number - 1
    if index < 0 or index >= len(service_form.steps) or index > submission.step:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", ACTION_NEXT)
        if action == ACTION_BACK:
            return redirect(_step_url(submission, max(index - 1, 0)))
        form = service_form.build_form(
            index, data=request.POST, files=request.FILES, answers=submission.data
        )
        valid = form.is_valid()
        if action == ACTION_SAVE:
            # keep what is valid, so that nothing typed is lost; the rest is asked for later
            submission_save_step(
                submission=submission,
                index=index,
                cleaned_data=getattr(form, "cleaned_data", {}),
                complete=valid,
            )
            messages.success(
                request,
                _("Ihr Entwurf ist gespeichert. Sie finden ihn unter „Meine Anträge“."),
            )
            return redirect("eforms:mine")
        if valid:
            submission_save_step(submission=submission, index=index, cleaned_data=form.cleaned_data)
            if index + 1 < len(service_form.steps):
                return redirect(_step_url(submission, index + 1))
            return redirect("eforms:submission-review", public_id=submission.public_id)
    else:
        form = service_form.build_form(index, answers=submission.data)
    for stored in submission.files.all():
        if stored.field in form.fields:
            form.fields[stored.field].help_text = _(
                "Gespeichert: %(name)s. Eine neue Datei ersetzt sie."
            ) % {"name": stored.original_name}
    return render(
        request,
        "eforms/submission_step.html",
        {
            "submission": submission,
            "service_form": service_form,
            "form": form,
            "step": service_form.steps[index],
            "index": index,
            "number": number,
            "is_last": index + 1 == len(service_form.steps),
        },
    )


@never_cache
@login_required
def submission_review(request, public_id):
    submission = _own(request, public_id)
    if not submission.is_draft:
        return redirect("eforms:submission-detail", public_id=submission.public_id)
    service_form = form_for(submission)
    error = None
    if request.method == "POST":
        try:
            submission = submission_submit(
                submission_id=submission.pk,
                applicant=request.user,
                consent=request.POST.get("consent") == "on",
            )
        except ApplicationError as exc:
            error = exc
        else:
            if submission.status == SubmissionStatus.AWAITING_PAYMENT:
                return _to_payment(request, submission)
            messages.success(request, _("Ihr Antrag ist abgeschickt."))
            return redirect("eforms:submission-detail", public_id=submission.public_id)
    failing = service_form.validate_all(submission.data)
    files = {f.field: f.original_name for f in submission.files.all()}
    fee = service_form.fee_minor(submission.data)
    return render(
        request,
        "eforms/submission_review.html",
        {
            "submission": submission,
            "service_form": service_form,
            "sections": _sections_with_steps(service_form, submission, files),
            "failing": [(step, service_form.step_index(step.slug) + 1) for step, _form in failing],
            "items": [
                (item, euros(item.unit_minor), euros(item.total_minor))
                for item in service_form.line_items(submission.data)
            ],
            "fee": euros(fee),
            "has_fee": fee > 0,
            "error": error,
        },
    )


def _sections_with_steps(service_form, submission, files):
    by_title = dict(service_form.summary(submission.data, files))
    return [
        (step.title, by_title.get(step.title, []), _step_url(submission, index))
        for index, step in enumerate(service_form.steps)
    ]


def _to_payment(request, submission: Submission):
    try:
        payment = submission_pay(submission_id=submission.pk, applicant=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("eforms:submission-detail", public_id=submission.public_id)
    if payment.state == PaymentState.IN_PROGRESS and payment.redirect_url:
        return redirect(payment.redirect_url)
    # the provider did not take it (no money moved) or did not answer: say so on the status page
    messages.error(request, payment.status_message)
    return redirect("eforms:submission-detail", public_id=submission.public_id)


@require_POST
@login_required
def submission_pay_view(request, public_id):
    submission = _own(request, public_id)
    return _to_payment(request, submission)


@require_POST
@login_required
def submission_withdraw_view(request, public_id):
    submission = _own(request, public_id)
    try:
        submission_withdraw(submission_id=submission.pk, applicant=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("eforms:submission-detail", public_id=submission.public_id)
    messages.success(request, _("Der Antrag wurde zurückgezogen."))
    return redirect("eforms:mine")


@never_cache
@login_required
def submission_detail(request, public_id):
    submission = _own(request, public_id)
    if submission.status == SubmissionStatus.WITHDRAWN:
        raise Http404
    service_form = form_for(submission)
    payment = _payment_state(submission) if submission.fee_minor else None
    files = {f.field: f.original_name for f in submission.files.all()}
    released = submission.status == SubmissionStatus.RELEASED
    return render(
        request,
        "eforms/submission_detail.html",
        {
            "submission": submission,
            "service_form": service_form,
            "sections": service_form.summary(submission.data, files),
            "payment": payment,
            "fee": euros(submission.fee_minor),
            "documents": service_form.documents_for(submission.data) if released else [],
            "released": released,
        },
    )


@never_cache
@login_required
def my_submissions(request):
    page = Paginator(submission_list_for_user(request.user), 20).get_page(request.GET.get("seite"))
    rows = [
        (submission, continue_url(submission) if submission.is_draft else None)
        for submission in page
    ]
    return render(request, "eforms/submission_list.html", {"page": page, "rows": rows})


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def submission_receipt(request, public_id):
    submission = _own(request, public_id)
    if submission.status != SubmissionStatus.RELEASED:
        raise Http404
    return _pdf_response(receipt_pdf(submission), f"Eingangsbestaetigung-{submission.number}.pdf")


@login_required
def submission_document(request, public_id, slug: str):
    submission = _own(request, public_id)
    if submission.status != SubmissionStatus.RELEASED:
        raise Http404
    for document in form_for(submission).documents_for(submission.data):
        if document.slug == slug:
            return _pdf_response(
                document_pdf(submission, document), f"{slug}-{submission.number}.pdf"
            )
    raise Http404
