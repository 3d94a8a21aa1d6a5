"""The report page shown again with one of its forms ("Ich bin auch betroffen", "Meldung folgen"):
after an error in that form, or when its rate limit answers 429."""

import math

from django.shortcuts import render

from portal.tickets.selectors import ticket_public_timeline

from .forms import SupportForm


def render_detail_with(request, report, *, support_form=None, follow_form=None, status=200):
    context = {
        "report": report,
        "ticket": report.ticket,
        "timeline": ticket_public_timeline(ticket=report.ticket) if report.ticket_id else [],
        "support_form": support_form
        if support_form is not None
        else SupportForm(user=request.user),
    }
    if follow_form is not None:
        context["follow_form"] = follow_form
    return render(request, "reports/report_detail.html", context, status=status)


def too_many(request, report, form, wait: int, message, **forms):
    """429: the page again, with the reason in the form's error summary. `message(minutes)` says
    why; `forms` names the form for the page (`support_form=…` or `follow_form=…`)."""
    form.is_valid()  # the form's own errors are shown with it
    form.add_error(None, message(math.ceil(wait / 60)))
    response = render_detail_with(request, report, status=429, **forms)
    response["Retry-After"] = str(wait)
    return response
