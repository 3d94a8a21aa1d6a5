"""The e-mails of moderation decisions: German, plain text and HTML, sent by the worker. They tell
the person concerned what was decided and why, and nothing about who reported or decided."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from portal.core.links import page_absolute_url

from .constants import ModerationAction
from .models import ModerationNotice

TEMPLATES = {
    ModerationAction.HIDDEN: "contribution_hidden",
    ModerationAction.USER_BLOCKED: "participant_blocked",
}


def notice_message(notice: ModerationNotice) -> EmailMultiAlternatives:
    log = notice.log
    contribution = log.contribution
    project = log.project
    project_url = ""
    if project is not None and project.live:
        project_url = page_absolute_url(project) or ""
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "log": log,
        "reason": log.reason,
        "project": project,
        "project_url": project_url,
        "contribution": contribution,
        "kind_label": contribution.kind_label if contribution is not None else "",
    }
    template = f"emails/contributions/{TEMPLATES[log.action]}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(f"{template}.txt", context),
        to=[notice.recipient.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
