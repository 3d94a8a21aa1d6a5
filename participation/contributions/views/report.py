"""Melden: anyone reports a contribution, once per person, within a rate limit per address."""

import math
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.errors import ApplicationError
from portal.core.ratelimit import client_ip, rate_limit_hit

from .. import services
from ..forms import ReportForm
from ..selectors import contribution_get_reportable, contribution_public_url, target_title
from .common import _refused_error

RATE_WINDOW = 60 * 60
REPORTER_SESSION_KEY = "contributions_reporter"


def _reporter_key(request) -> str:
    """One report per person: the account, or a random token kept in the browser's session."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    token = request.session.get(REPORTER_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(18)
        request.session[REPORTER_SESSION_KEY] = token
    return f"browser:{token}"


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
