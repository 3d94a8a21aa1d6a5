"""'Meldung folgen': the form on the report page and the pages behind the links in the e-mails.
The links only show a button; confirming and unsubscribing happen by POST, so that a mail
program or a virus scanner opening the links changes nothing."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portal.core.errors import ApplicationError
from portal.core.ratelimit import client_ip, rate_limit_hit

from .detail_forms import render_detail_with, too_many
from .follow import (
    report_follow,
)
from .forms import FollowForm
from .selectors import report_get_public

RATE_WINDOW = 60 * 60  # the limits count per hour

MSG_CHECK_MAIL = gettext_lazy(
    "Fast geschafft: Wenn Sie dieser Meldung noch nicht folgen, erhalten Sie gleich eine E-Mail "
    "mit einem Bestätigungslink. Erst danach schicken wir Ihnen Neuigkeiten."
)


@require_POST
def report_follow_view(request, number: str):
    report = report_get_public(number=number)
    if report is None:
        raise Http404
    form = FollowForm(request.POST, user=request.user)
    wait = rate_limit_hit(
        scope="follow-ip",
        identity=client_ip(request),
        limit=settings.REPORTS_FOLLOW_LIMIT_PER_IP_HOUR,
        seconds=RATE_WINDOW,
    )
    if wait:
        return _too_many(request, report, form, wait)
    if form.is_spam:
        messages.success(request, MSG_CHECK_MAIL)
        return redirect("reports:detail", number)
    if not form.is_valid():
        return _render_detail_with(request, report, form)
    email = form.user.email if form.user is not None and form.user.email else ""
    wait = rate_limit_hit(
        scope="follow-email",
        identity=(email or form.cleaned_data.get("email", "")).strip().lower(),
        limit=settings.REPORTS_FOLLOW_LIMIT_PER_EMAIL_HOUR,
        seconds=RATE_WINDOW,
    )
    if wait:
        return _too_many(request, report, form, wait)
    try:
        follow = report_follow(
            report=report, email=form.cleaned_data.get("email", ""), user=form.user
        )
    except ApplicationError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return _render_detail_with(request, report, form)
        messages.error(request, error.message)
        return redirect("reports:detail", number)
    if follow.is_active:
        messages.success(
            request,
            _("Sie folgen dieser Meldung. Bei jeder Neuigkeit schicken wir Ihnen eine E-Mail an "
              "%(email)s.") % {"email": follow.email},
        )  # fmt: skip
    else:
        messages.success(request, MSG_CHECK_MAIL)
    return redirect("reports:detail", number)


def _too_many(request, report, form: FollowForm, wait: int):
    def message(minutes: int) -> str:
        return ngettext(
            "In kurzer Zeit kamen zu viele Anfragen, Meldungen zu folgen. Bitte versuchen Sie "
            "es in %(minutes)s Minute noch einmal.",
            "In kurzer Zeit kamen zu viele Anfragen, Meldungen zu folgen. Bitte versuchen Sie "
            "es in %(minutes)s Minuten noch einmal.",
            minutes,
        ) % {"minutes": minutes}

    return too_many(request, report, form, wait, message, follow_form=form)


def _render_detail_with(request, report, follow_form: FollowForm, *, status: int = 200):
    return render_detail_with(request, report, follow_form=follow_form, status=status)
