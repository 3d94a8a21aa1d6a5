"""The kernel's own unsubscribe page, for kinds without a page of their own (the e-mails to an
idea's author and supporters). Opening the link shows a button; the POST (also the mail
program's one-click POST, RFC 8058) ends the subscription."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.core.errors import ApplicationError

from .registry import kind_for
from .services import end_subscription, subscription_from_end_code


@csrf_exempt  # the signed code is the secret; mail programs' one-click unsubscribe POSTs here
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, code: str):
    try:
        subscription = subscription_from_end_code(code)
    except ApplicationError as error:
        return render(
            request, "subscriptions/link_invalid.html", {"message": error.message}, status=404
        )
    if request.method == "POST":
        subscription = end_subscription(subscription)
    kind = kind_for(subscription.kind)
    return render(
        request,
        "subscriptions/unsubscribe.html",
        {
            "subscription": subscription,
            "about": kind.describe(subscription) if kind.describe else "",
            "back_url": kind.back_url(subscription) if kind.back_url else None,
        },
    )
