""" "Ich bin auch betroffen": the form on the report page (and on the review page of the report
form) and the page behind the confirmation link. A typed-in address counts only after that link
is used; the link only shows a button and confirming happens by POST, so that a mail program or
a virus scanner opening the link changes nothing."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.errors import ApplicationError
from portal.core.ratelimit import client_ip, rate_limit_hit

from .detail_forms import render_detail_with, too_many
from .forms import SupportForm
from .selectors import report_get_public
from .services import (
    SupportOutcome,
    report_support,
    report_support_confirm,
    report_support_from_code,
)

RATE_WINDOW = 60 * 60  # the limits count per hour

MSG_CHECK_MAIL = gettext_lazy(
    "Fast geschafft: Wenn Sie diese Meldung noch nicht unterstützen, erhalten Sie gleich eine "
    "E-Mail mit einem Bestätigungslink. Erst wenn Sie dort bestätigen, zählen wir Sie als "
    "betroffen."
)
MSG_COUNTED = gettext_lazy(
    "Danke! Sie sind jetzt als betroffen gezählt. Das hilft der Stadt, Wichtiges zuerst zu "
    "erledigen."
)


@require_POST
def report_support_view(request, number: str):
    report = report_get_public(number=number)
    if report is None:
        raise Http404
    form = SupportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_detail_with(request, report, form)
    if form.user is None:
        # each typed-in address gets an e-mail: limited per sender and per address
        for scope, identity, limit in (
            ("support-ip", client_ip(request), settings.REPORTS_SUPPORT_LIMIT_PER_IP_HOUR),
            (
                "support-email",
                form.cleaned_data["email"].strip().lower(),
                settings.REPORTS_SUPPORT_LIMIT_PER_EMAIL_HOUR,
            ),
        ):
            wait = rate_limit_hit(scope=scope, identity=identity, limit=limit, seconds=RATE_WINDOW)
            if wait:
                return _too_many(request, report, form, wait)
    try:
        outcome = report_support(
            report=report, user=form.user, email=form.cleaned_data.get("email", "")
        )
    except ApplicationError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return _render_detail_with(request, report, form)
        messages.error(request, error.message)
        return redirect("reports:detail", number)
    if outcome == SupportOutcome.COUNTED:
        messages.success(request, MSG_COUNTED)
    elif outcome == SupportOutcome.ALREADY_COUNTED:
        messages.info(
            request, _("Sie haben diese Meldung bereits unterstützt. Vielen Dank, das genügt!")
        )
    else:
        messages.success(request, MSG_CHECK_MAIL)
    return redirect("reports:detail", number)


def _too_many(request, report, form: SupportForm, wait: int):
    def message(minutes: int) -> str:
        return ngettext(
            "In kurzer Zeit kamen zu viele Angaben „Ich bin auch betroffen“. Bitte versuchen Sie "
            "es in %(minutes)s Minute noch einmal.",
            "In kurzer Zeit kamen zu viele Angaben „Ich bin auch betroffen“. Bitte versuchen Sie "
            "es in %(minutes)s Minuten noch einmal.",
            minutes,
        ) % {"minutes": minutes}

    return too_many(request, report, form, wait, message, support_form=form)


def _render_detail_with(request, report, support_form: SupportForm, *, status: int = 200):
    return render_detail_with(request, report, support_form=support_form, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def report_support_confirm_view(request, code: str):
    try:
        support = report_support_from_code(code)
    except ApplicationError as error:
        return render(
            request,
            "subscriptions/link_invalid.html",
            {
                "message": error.message,
                "back_url": reverse("reports:list"),
                "back_label": _("Zu den Mängelmeldungen"),
            },
            status=404,
        )
    number = support.report.ticket.number
    if request.method == "POST":
        try:
            counted_before = support.confirmed_at is not None
            report_support_confirm(code=code)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if counted_before:
                messages.info(
                    request, _("Sie sind bei dieser Meldung bereits als betroffen gezählt.")
                )
            else:
                messages.success(request, MSG_COUNTED)
        return redirect("reports:detail", number)
    return render(request, "reports/support_confirm.html", {"support": support})
