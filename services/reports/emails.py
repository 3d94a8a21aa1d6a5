"""The e-mails to followers and supporters of a report: German, plain text and HTML, sent by the
worker. They show what the report page shows and nothing about the reporter or the staff."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from portal.core.links import absolute_url
from portal.tickets.models import TicketEvent

from .models import ReportFollow, ReportSupport
from .services import SUPPORT_CONFIRM_MAX_AGE, support_confirmation_code


def _message(template: str, follow: ReportFollow, **context) -> EmailMultiAlternatives:
    report = follow.report
    context.update(
        site_name=settings.WAGTAIL_SITE_NAME,
        report=report,
        number=report.ticket.number,
        report_url=absolute_url(reverse("reports:detail", args=[report.ticket.number])),
        unsubscribe_url=absolute_url(reverse("reports:follow-unsubscribe", args=[follow.token])),
    )
    template = f"emails/reports/{template}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(f"{template}.txt", context),
        to=[follow.email],
        headers={
            # one-click unsubscribe for mail programs (RFC 8058) goes to the POST of the same page
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def follow_confirm_message(follow: ReportFollow) -> EmailMultiAlternatives:
    return _message(
        "follow_confirm",
        follow,
        confirm_url=absolute_url(reverse("reports:follow-confirm", args=[follow.token])),
    )


def follow_update_message(follow: ReportFollow, event: TicketEvent) -> EmailMultiAlternatives:
    return _message("follow_update", follow, event=event, ticket=event.ticket)


def support_confirm_message(support: ReportSupport) -> EmailMultiAlternatives:
    """The double opt-in of "Ich bin auch betroffen": one e-mail, nothing follows without it."""
    report = support.report
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "report": report,
        "number": report.ticket.number,
        "report_url": absolute_url(reverse("reports:detail", args=[report.ticket.number])),
        "confirm_url": absolute_url(
            reverse("reports:support-confirm", args=[support_confirmation_code(support)])
        ),
        "max_age_days": SUPPORT_CONFIRM_MAX_AGE // 86400,
    }
    template = "emails/reports/support_confirm"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(f"{template}.txt", context),
        to=[support.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
