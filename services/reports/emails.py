"""The e-mails of the Mängelmelder's supporters and followers, sent through the outbox: German,
plain text and HTML. They show what the report page shows and nothing about the reporter or the
staff. The followers' e-mails are built by the subscription kind (follow.py)."""

from django.urls import reverse

from portal.core import outbox
from portal.core.links import absolute_url

from .models import ReportSupport
from .services import SUPPORT_CONFIRM_MAX_AGE, support_confirmation_code


@outbox.context_builder("reports.support_confirm")
def support_confirm_context(message) -> dict | None:
    """The double opt-in of "Ich bin auch betroffen": one e-mail, nothing follows without it."""
    support = (
        ReportSupport.objects.select_related("report__category", "report__ticket")
        .filter(pk=message.context.get("support"), confirmed_at__isnull=True)
        .first()
    )
    if support is None or not support.report.is_published:
        return None  # counted meanwhile, or no longer public
    report = support.report
    return {
        "report": report,
        "number": report.ticket.number,
        "report_url": absolute_url(reverse("reports:detail", args=[report.ticket.number])),
        "confirm_url": absolute_url(
            reverse("reports:support-confirm", args=[support_confirmation_code(support)])
        ),
        "max_age_days": SUPPORT_CONFIRM_MAX_AGE // 86400,
    }
