"""The kernel's pages behind the links of every subscription e-mail: confirm (double opt-in)
and unsubscribe. A kind declares its words (`SubscriptionKind`); an app routes its own addresses
here with `{"kind": …}` so the links in e-mails already sent keep working."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.core.errors import ApplicationError

from .registry import kind_for
from .services import (
    MSG_INVALID,
    confirm,
    end_subscription,
    subscription_from_confirm_code,
    subscription_from_end_code,
)


def _invalid_link(request, message):
    return render(request, "subscriptions/link_invalid.html", {"message": message}, status=404)


def _about(subscription) -> dict:
    kind = kind_for(subscription.kind)
    return {
        "subscription": subscription,
        "kind": kind,
        "about": kind.describe(subscription) if kind.describe else "",
        "back_url": kind.back_url(subscription) if kind.back_url else None,
        "back_label": kind.back_label or _("Zurück"),
    }


def _still_there(subscription) -> bool:
    """A link about something no longer public is refused like a wrong one."""
    return kind_for(subscription.kind).context(subscription) is not None


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_view(request, code: str, kind: str | None = None):
    try:
        subscription = subscription_from_confirm_code(code, kind=kind)
    except ApplicationError as error:
        return _invalid_link(request, error.message)
    if not _still_there(subscription):
        return _invalid_link(request, MSG_INVALID)
    context = _about(subscription)
    if request.method == "POST":
        try:
            confirm(code=code, kind=subscription.kind)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, context["kind"].confirmed_message)
        return redirect(context["back_url"] or request.path)
    question = context["kind"].confirm_question
    context["question"] = question(subscription) if question else ""
    return render(request, "subscriptions/confirm.html", context)


@csrf_exempt  # the signed code is the secret; mail programs' one-click unsubscribe POSTs here
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, code: str, kind: str | None = None):
    try:
        subscription = subscription_from_end_code(code, kind=kind)
    except ApplicationError as error:
        return _invalid_link(request, error.message)
    # ending works even when the target is gone: nobody should have to keep an e-mail they no
    # longer want (the kind's words then say nothing about the target)
    if request.method == "POST":
        subscription = end_subscription(subscription)
    return render(request, "subscriptions/unsubscribe.html", _about(subscription))
