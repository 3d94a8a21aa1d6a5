"""Following a project and the Mitmachpool: the forms and the pages behind the links in the
e-mails. The links only show a button; confirming, changing and unsubscribing happen by POST, so
that a mail program or a virus scanner opening a link changes nothing. Unsubscribing also takes
the one-click POST of mail programs (RFC 8058)."""

import math

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from participation.projects.models import ProjectPage
from portal.core.errors import ApplicationError
from portal.core.ratelimit import client_ip, rate_limit_hit
from portal.core.subscriptions.models import State
from portal.core.subscriptions.services import subscription_from_manage_code

from .constants import POOL
from .forms import FollowForm, PoolChoiceForm, PoolSubscribeForm
from .kinds import choice
from .services import (
    pool_change,
    pool_confirm,
    pool_subscribe,
    pool_subscription_get,
    pool_unsubscribe,
    project_follow,
)

RATE_WINDOW = 60 * 60

MSG_FOLLOW_CHECK_MAIL = gettext_lazy(
    "Fast geschafft: Wenn Sie diesem Vorhaben noch nicht folgen, erhalten Sie gleich eine "
    "E-Mail mit einem Bestätigungslink. Erst danach schicken wir Ihnen Neuigkeiten."
)
MSG_POOL_CHECK_MAIL = gettext_lazy(
    "Fast geschafft: Sie erhalten gleich eine E-Mail. Bitte bestätigen Sie darin Ihre "
    "Anmeldung. Sind Sie schon angemeldet, schicken wir Ihnen stattdessen einen Link, mit dem "
    "Sie Ihre Auswahl ändern können."
)


def _too_many(wait: int) -> str:
    minutes = math.ceil(wait / 60)
    return ngettext(
        "In kurzer Zeit kamen zu viele Anfragen. Bitte versuchen Sie es in %(minutes)s Minute "
        "noch einmal.",
        "In kurzer Zeit kamen zu viele Anfragen. Bitte versuchen Sie es in %(minutes)s Minuten "
        "noch einmal.",
        minutes,
    ) % {"minutes": minutes}


def _limited(request, form) -> int | None:
    """Count the request per IP address and, when the form names one, per e-mail address."""
    wait = rate_limit_hit(
        scope="following-ip",
        identity=client_ip(request),
        limit=settings.FOLLOWING_LIMIT_PER_IP_HOUR,
        seconds=RATE_WINDOW,
    )
    address = form.address.strip().lower()
    if not wait and address:
        wait = rate_limit_hit(
            scope="following-email",
            identity=address,
            limit=settings.FOLLOWING_LIMIT_PER_EMAIL_HOUR,
            seconds=RATE_WINDOW,
        )
    return wait


def _invalid_link(request, message: str):
    context = {
        "message": message,
        "back_url": reverse("following:pool-subscribe"),
        "back_label": _("Zum Mitmachpool"),
    }
    return render(request, "subscriptions/link_invalid.html", context, status=404)


# --- following a project --------------------------------------------------------------------------
def _project_or_404(project_id: int) -> ProjectPage:
    project = ProjectPage.objects.live().filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


def _render_follow(request, project, form, *, status=200):
    return render(
        request,
        "following/follow_form.html",
        {"project": project, "follow_form": form, "project_url": project.get_url(request)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def project_follow_view(request, project_id: int):
    project = _project_or_404(project_id)
    if request.method == "GET":
        return _render_follow(request, project, FollowForm(user=request.user))
    form = FollowForm(request.POST, user=request.user)
    wait = _limited(request, form)
    if wait:
        form.is_valid()
        form.add_error(None, _too_many(wait))
        response = _render_follow(request, project, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    back = f"{project.get_url(request)}#folgen"
    if form.is_spam:
        messages.success(request, MSG_FOLLOW_CHECK_MAIL)
        return redirect(back)
    if not form.is_valid():
        return _render_follow(request, project, form)
    try:
        follow = project_follow(
            project=project, email=form.cleaned_data.get("email", ""), user=request.user
        )
    except ApplicationError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_follow(request, project, form)
    if follow.is_active:
        messages.success(
            request,
            _("Sie folgen diesem Vorhaben. Bei Neuigkeiten schreiben wir Ihnen an %(email)s.")
            % {"email": follow.email},
        )
    else:
        messages.success(request, MSG_FOLLOW_CHECK_MAIL)
    return redirect(back)


# --- Mitmachpool ----------------------------------------------------------------------------------
def _render_pool(request, form, *, status=200):
    return render(request, "following/pool_subscribe.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def pool_subscribe_view(request):
    if request.method == "GET":
        return _render_pool(request, PoolSubscribeForm(user=request.user))
    form = PoolSubscribeForm(request.POST, user=request.user)
    wait = _limited(request, form)
    if wait:
        form.is_valid()
        form.add_error(None, _too_many(wait))
        response = _render_pool(request, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    if form.is_spam:
        messages.success(request, MSG_POOL_CHECK_MAIL)
        return redirect("following:pool-subscribe")
    if not form.is_valid():
        return _render_pool(request, form)
    try:
        subscription = pool_subscribe(
            email=form.cleaned_data.get("email", ""),
            user=request.user,
            fields_of_action=form.cleaned_data["fields_of_action"],
            districts=form.cleaned_data["districts"],
        )
    except ApplicationError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_pool(request, form)
    if subscription.is_active and "email" not in form.fields:
        messages.success(
            request,
            _("Sie sind im Mitmachpool angemeldet. Wir schreiben Ihnen an %(email)s, wenn eine "
              "passende Beteiligung beginnt.") % {"email": subscription.email},
        )  # fmt: skip
    else:
        messages.success(request, MSG_POOL_CHECK_MAIL)
    return redirect("following:pool-subscribe")


@never_cache
@require_http_methods(["GET", "POST"])
def pool_confirm_view(request, code: str):
    try:
        subscription = pool_subscription_get(code=code, confirm=True)
    except ApplicationError as error:
        return _invalid_link(request, error.message)
    if request.method == "POST":
        try:
            subscription = pool_confirm(code=code)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("following:pool-subscribe")
        messages.success(
            request,
            _("Danke! Ihre Anmeldung zum Mitmachpool ist bestätigt. Hier können Sie Ihre "
              "Auswahl jederzeit ändern."),
        )  # fmt: skip
        return redirect("following:pool-settings", subscription.manage_code)
    return render(request, "following/pool_confirm.html", {"subscription": subscription})


@never_cache
@require_http_methods(["GET", "POST"])
def pool_settings_view(request, code: str):
    try:
        subscription = subscription_from_manage_code(code, kind=POOL)
    except ApplicationError as error:
        return _invalid_link(request, error.message)
    if request.method == "POST" and subscription.state != State.ENDED:
        form = PoolChoiceForm(request.POST)
        if form.is_valid():
            pool_change(
                code=code,
                fields_of_action=form.cleaned_data["fields_of_action"],
                districts=form.cleaned_data["districts"],
            )
            messages.success(request, _("Ihre Auswahl ist gespeichert."))
            return redirect("following:pool-settings", code)
    else:
        scope = subscription.scope or {}
        form = PoolChoiceForm(
            initial={
                "fields_of_action": scope.get("fields_of_action") or [],
                "districts": scope.get("districts") or [],
            }
        )
    return render(
        request,
        "following/pool_settings.html",
        {"subscription": subscription, "form": form, "choice": choice(subscription)},
    )


@csrf_exempt  # the signed code is the secret; mail programs' one-click unsubscribe POSTs here
@never_cache
@require_http_methods(["GET", "POST"])
def pool_unsubscribe_view(request, code: str):
    try:
        subscription = pool_subscription_get(code=code)
    except ApplicationError as error:
        return _invalid_link(request, error.message)
    if request.method == "POST":
        subscription = pool_unsubscribe(code=code)
    return render(request, "following/pool_unsubscribe.html", {"subscription": subscription})
