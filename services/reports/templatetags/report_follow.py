"""`{% report_follow_form report %}`: the "Meldung folgen" form on the report page, bound with
its errors when the follow view sent the page back, empty otherwise."""

from django import template

from ..forms import FollowForm

register = template.Library()


@register.inclusion_tag("reports/_follow_form.html", takes_context=True)
def report_follow_form(context, report):
    request = context["request"]
    form = context.get("follow_form") or FollowForm(user=request.user)
    return {
        "report": report,
        "ticket": report.ticket,
        "form": form,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
