from django.http import JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health


@never_cache
@require_GET
def healthz(request):
    checks = health()
    ok = all(checks.values())
    body = {
        "status": "ok" if ok else "fail",
        **{k: "ok" if v else "down" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def form_token(request):
    """A CSRF token for this browser (and its cookie): static/js/portal.js fills the empty CSRF
    field of a form on a stored page with it when the form is sent (portal.core.pagecache)."""
    return JsonResponse({"token": get_token(request)})


def csrf_failure(request, reason=""):
    """Django's CSRF failure, in German. A form of a stored page sent without JavaScript arrives
    without a token: if it came from this site and carries no file, the page shows what was
    entered once more, with a token, to be sent with one click; nothing the person typed is lost.
    A request from another site gets the plain refusal."""
    resend = None
    same_site = request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
    if (
        reason in (REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING)
        and same_site
        and not request.FILES
        and request.method == "POST"
    ):
        resend = [
            (name, value)
            for name in request.POST
            if name != "csrfmiddlewaretoken"
            for value in request.POST.getlist(name)
        ]
    response = render(
        request, "403_csrf.html", {"resend": resend, "action": request.get_full_path()}, status=403
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
