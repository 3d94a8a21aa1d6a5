"""The e-mails of an idea's timeline: German, plain text and HTML, one per person. Authors read
about their idea, supporters about an idea they support; nobody learns who else supports it."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from portal.core.links import absolute_url

from .models import IdeaNotice


def notice_message(notice: IdeaNotice) -> EmailMultiAlternatives:
    event = notice.event
    idea = event.idea
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "idea": idea,
        "event": event,
        "step": event.label,
        "is_author": idea.author_id == notice.recipient_id,
        "idea_url": absolute_url(idea.get_absolute_url()),
        "account_url": absolute_url("/konto/"),
    }
    subject = " ".join(render_to_string("emails/ideas/step_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string("emails/ideas/step.txt", context),
        to=[notice.recipient.email],
    )
    message.attach_alternative(render_to_string("emails/ideas/step.html", context), "text/html")
    return message
