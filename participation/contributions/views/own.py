"""The author's own contribution: change it within the edit window, or delete it."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.errors import ApplicationError

from .. import services
from ..forms import CommentForm, IdeaEditForm
from ..models import Idea
from ..rules import allowed
from ..selectors import contribution_public_url, target_title
from ..services import AlreadyDone, ContributionRefused
from .common import _contribution_or_404, _form_error, _refused, _refused_error


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
