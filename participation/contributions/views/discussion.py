"""The public discussion: ideas on a project, supports, comments and replies on any target."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from participation.projects.constants import Module
from portal.core.errors import ApplicationError

from .. import services
from ..forms import CommentForm, IdeaForm, ReplyForm
from ..rules import allowed
from ..selectors import (
    comment_get_public,
    comment_refusal,
    contribution_public_url,
    discussion_for,
    idea_get_public,
    page_number,
    participation_refusal,
    supported_idea_ids,
    target_title,
)
from ..services import AlreadyDone, ContributionRefused
from .common import (
    _form_error,
    _next_url,
    _project_or_404,
    _project_page,
    _project_url,
    _refused,
    _refused_error,
)


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


# Not never_cache: for visitors without an account it is a public page from the cache
# (portal.core.pagecache); signed-in people get it with no-store (portal.core.middleware).
def idea_detail(request, pk: int, *, comment_form=None, status: int = 200):
    idea = idea_get_public(pk=pk)
    if idea is None:
        raise Http404
    project = idea.project
    discussion = discussion_for(
        target=project, idea=idea, user=request.user, page=page_number(request)
    )
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
    # the newest comment is on the last page of the discussion
    return redirect(contribution_public_url(comment))


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
    # the newest comment is on the last page of the discussion
    return redirect(contribution_public_url(comment))


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
