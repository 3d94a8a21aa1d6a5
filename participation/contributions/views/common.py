"""What the public views share: the refusal page, form errors, the project page re-shown."""

from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from portal.core.errors import ApplicationError

from ..selectors import contribution_get, project_get_public
from ..services import AlreadyDone


def _refused(request, message: str, *, back_url: str, status: int = 403):
    return render(
        request,
        "contributions/refused.html",
        {"message": message, "back_url": back_url, "status": status},
        status=status,
    )


def _refused_error(request, error: ApplicationError, *, back_url: str):
    status = 409 if isinstance(error, AlreadyDone) else 403
    return _refused(request, error.message, back_url=back_url, status=status)


def _form_error(form, error: ApplicationError) -> None:
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def _project_or_404(project_id: int):
    project = project_get_public(project_id=project_id)
    if project is None:
        raise Http404
    return project


def _project_url(request, project) -> str:
    return project.get_url(request) or "/"


def _project_page(request, project, *, forms: dict, status: int):
    """The project page again, with the bound forms in place (see selectors.project_context)."""
    request.contributions_forms = forms
    request.is_preview = False
    return TemplateResponse(
        request,
        project.get_template(request),
        project.get_context(request),
        status=status,
    )


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _contribution_or_404(kind: str, pk: int):
    contribution = contribution_get(kind=kind, pk=pk)
    if contribution is None:
        raise Http404
    return contribution
