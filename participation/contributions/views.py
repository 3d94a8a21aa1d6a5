"""Public pages and form targets under /mitmachen/.

Forms work without JavaScript: a POST, then a redirect back to the contribution on the project
page (or the idea page). Invalid input shows the page again with the error summary (400); a
refused action says why: 403 (not allowed now), 409 (once is enough), 429 (too many reports).
"""

import math
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from participation.projects.constants import Module
from portal.core.errors import ApplicationError
from portal.core.ratelimit import client_ip, rate_limit_hit

from . import services
from .forms import CommentForm, IdeaEditForm, IdeaForm, ReplyForm, ReportForm
from .models import Idea
from .rules import allowed
from .selectors import (
    comment_get_public,
    comment_refusal,
    contribution_get,
    contribution_get_reportable,
    contribution_public_url,
    discussion_for,
    idea_get_public,
    participation_refusal,
    project_get_public,
    supported_idea_ids,
    target_title,
)
from .services import AlreadyDone, ContributionRefused

RATE_WINDOW = 60 * 60
REPORTER_SESSION_KEY = "contributions_reporter"


# --- helpers --------------------------------------------------------------------------------------
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


def _reporter_key(request) -> str:
    """One report per person: the account, or a random token kept in the browser's session."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    token = request.session.get(REPORTER_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(18)
        request.session[REPORTER_SESSION_KEY] = token
    return f"browser:{token}"


# --- ideas ----------------------------------------------------------------------------------------
@require_POST
def idea_create(request, project_id: int):
    project = _project_or_404(project_id)
    back = _project_url(request, project)
    refusal = participation_refusal(user=request.user, project=project, module=Module.IDEAS)
    if refusal is not None:
        return _refused(request, refusal.message, back_url=back)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        return _project_page(request, project, forms={"idea": form}, status=400)
    try:
        idea = services.idea_create(actor=request.user, project=project, **form.cleaned_data)
    except (ContributionRefused, AlreadyDone) as error:
        return _refused_error(request, error, back_url=back)
    except ApplicationError as error:
        _form_error(form, error)
        return _project_page(request, project, forms={"idea": form}, status=400)
    messages.success(request, _("Danke! Ihre Idee ist eingereicht und für alle zu sehen."))
    return redirect(f"{back}#{idea.anchor}")


@never_cache
def idea_detail(request, pk: int, *, comment_form=None, status: int = 200):
    idea = idea_get_public(pk=pk)
    if idea is None:
        raise Http404
    project = idea.project
    discussion = discussion_for(target=project, idea=idea, user=request.user)
    if discussion.may_comment and idea.is_visible:
        discussion.form = comment_form or CommentForm()
    else:
        discussion.form = None
    idea.is_supported = idea.pk in supported_idea_ids(user=request.user, project=project)
    support_refusal = participation_refusal(
        user=request.user, project=project, module=Module.RATINGS
    )
    return render(
        request,
        "contributions/idea_detail.html",
        {
            "idea": idea,
            "project": project,
            "project_url": _project_url(request, project),
            "discussion": discussion,
            "support_refusal": support_refusal,
            "may_edit": allowed("contributions.change_contribution", request.user, idea),
            "may_delete": allowed("contributions.delete_contribution", request.user, idea),
        },
        status=status,
    )


@require_POST
def idea_support(request, pk: int):
    idea = idea_get_public(pk=pk)
    if idea is None:
        raise Http404
    back = _next_url(request, f"{_project_url(request, idea.project)}#{idea.anchor}")
    try:
        services.idea_support(actor=request.user, idea=idea)
    except ApplicationError as error:
        return _refused_error(request, error, back_url=back)
    messages.success(request, _("Danke! Sie unterstützen jetzt diese Idee."))
    return redirect(back)


# --- comments -------------------------------------------------------------------------------------
@require_POST
def comment_create(request, project_id: int):
    """A comment in the project's discussion."""
    project = _project_or_404(project_id)
    back = _project_url(request, project)
    refusal = participation_refusal(user=request.user, project=project, module=Module.COMMENTS)
    if refusal is not None:
        return _refused(request, refusal.message, back_url=back)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _project_page(request, project, forms={"comment": form}, status=400)
    try:
        comment = services.comment_create(
            actor=request.user, target=project, text=form.cleaned_data["text"]
        )
    except (ContributionRefused, AlreadyDone) as error:
        return _refused_error(request, error, back_url=back)
    except ApplicationError as error:
        _form_error(form, error)
        return _project_page(request, project, forms={"comment": form}, status=400)
    messages.success(request, _("Danke! Ihr Kommentar ist veröffentlicht."))
    return redirect(f"{back}#{comment.anchor}")


@require_POST
def idea_comment_create(request, pk: int):
    """A comment on an idea (shown on the idea's page)."""
    idea = idea_get_public(pk=pk)
    if idea is None:
        raise Http404
    back = reverse("contributions:idea-detail", args=[idea.pk])
    refusal = participation_refusal(user=request.user, project=idea.project, module=Module.COMMENTS)
    if refusal is not None:
        return _refused(request, refusal.message, back_url=back)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return idea_detail(request, idea.pk, comment_form=form, status=400)
    try:
        comment = services.comment_create(
            actor=request.user, target=idea.project, idea=idea, text=form.cleaned_data["text"]
        )
    except (ContributionRefused, AlreadyDone) as error:
        return _refused_error(request, error, back_url=back)
    except ApplicationError as error:
        _form_error(form, error)
        return idea_detail(request, idea.pk, comment_form=form, status=400)
    messages.success(request, _("Danke! Ihr Kommentar ist veröffentlicht."))
    return redirect(f"{back}#{comment.anchor}")


@never_cache
@require_http_methods(["GET", "POST"])
def comment_reply(request, pk: int):
    """Answer a comment (one level: replies have no replies), on any discussion target."""
    parent = comment_get_public(pk=pk)
    if parent is None:
        raise Http404
    target = parent.target
    back = contribution_public_url(parent)
    refusal = comment_refusal(user=request.user, target=target)
    if refusal is not None:
        return _refused(request, refusal.message, back_url=back)
    if parent.parent_id is not None or not parent.is_visible:
        return _refused(
            request, _("Auf diesen Kommentar kann nicht geantwortet werden."), back_url=back
        )
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.comment_create(
                actor=request.user,
                target=target,
                idea=parent.idea,
                parent=parent,
                text=form.cleaned_data["text"],
            )
        except (ContributionRefused, AlreadyDone) as error:
            return _refused_error(request, error, back_url=back)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Danke! Ihre Antwort ist veröffentlicht."))
            return redirect(contribution_public_url(reply))
    return render(
        request,
        "contributions/comment_reply.html",
        {"parent": parent, "target_title": target_title(target), "form": form, "back_url": back},
        status=400 if form.is_bound else 200,
    )


# --- the author's own contribution ----------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def contribution_edit(request, kind: str, pk: int):
    contribution = _contribution_or_404(kind, pk)
    back = contribution_public_url(contribution)
    if not allowed("contributions.change_contribution", request.user, contribution):
        return _refused(
            request,
            _("Sie können Ihren Beitrag nur in den ersten %(minutes)s Minuten nach dem Absenden "
              "ändern.") % {"minutes": settings.CONTRIBUTIONS_EDIT_MINUTES},
            back_url=back,
        )  # fmt: skip
    form_class = IdeaEditForm if isinstance(contribution, Idea) else CommentForm
    initial = {"text": contribution.text}
    if isinstance(contribution, Idea):
        initial["title"] = contribution.title
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.contribution_edit(
                    actor=request.user,
                    contribution=contribution,
                    text=form.cleaned_data["text"],
                    title=form.cleaned_data.get("title"),
                )
            except (ContributionRefused, AlreadyDone) as error:
                return _refused_error(request, error, back_url=back)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Ihre Änderung ist gespeichert."))
                return redirect(back)
    else:
        form = form_class(initial=initial)
    return render(
        request,
        "contributions/contribution_edit.html",
        {
            "contribution": contribution,
            "target_title": target_title(contribution.target),
            "form": form,
            "back_url": back,
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contribution_delete(request, kind: str, pk: int):
    contribution = _contribution_or_404(kind, pk)
    back = contribution_public_url(contribution)
    if not allowed("contributions.delete_contribution", request.user, contribution):
        return _refused(
            request,
            _("Nur die Verfasserin oder der Verfasser kann diesen Beitrag löschen."),
            back_url=back,
        )
    if request.method == "POST":
        try:
            services.contribution_delete(actor=request.user, contribution=contribution)
        except ApplicationError as error:
            return _refused_error(request, error, back_url=back)
        messages.success(request, _("Ihr Beitrag ist gelöscht."))
        return redirect(back)
    return render(
        request,
        "contributions/contribution_delete.html",
        {
            "contribution": contribution,
            "target_title": target_title(contribution.target),
            "back_url": back,
        },
    )


# --- reports --------------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def contribution_report(request, kind: str, pk: int):
    """Melden: anyone, once per person; honeypot and a rate limit per IP address."""
    contribution = contribution_get_reportable(kind=kind, pk=pk)
    if contribution is None:
        raise Http404
    back = contribution_public_url(contribution)
    context = {
        "contribution": contribution,
        "target_title": target_title(contribution.target),
        "back_url": back,
    }
    if request.method != "POST":
        return render(
            request, "contributions/contribution_report.html", {**context, "form": ReportForm()}
        )
    form = ReportForm(request.POST)
    wait = rate_limit_hit(
        scope="contribution-report-ip",
        identity=client_ip(request),
        limit=settings.CONTRIBUTIONS_REPORT_LIMIT_PER_IP_HOUR,
        seconds=RATE_WINDOW,
    )
    if wait:
        minutes = math.ceil(wait / 60)
        form.is_valid()
        form.add_error(
            None,
            ngettext(
                "In kurzer Zeit kamen zu viele Meldungen. Bitte versuchen Sie es in %(minutes)s "
                "Minute noch einmal.",
                "In kurzer Zeit kamen zu viele Meldungen. Bitte versuchen Sie es in %(minutes)s "
                "Minuten noch einmal.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = render(
            request,
            "contributions/contribution_report.html",
            {**context, "form": form},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    thanks = _("Danke für Ihren Hinweis! Die Moderation sieht sich den Beitrag an.")
    if form.is_spam:
        messages.success(request, thanks)
        return redirect(back)
    if not form.is_valid():
        return render(
            request,
            "contributions/contribution_report.html",
            {**context, "form": form},
            status=400,
        )
    try:
        services.contribution_report(
            contribution=contribution,
            reporter_key=_reporter_key(request),
            reporter=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        return _refused_error(request, error, back_url=back)
    messages.success(request, thanks)
    return redirect(back)
