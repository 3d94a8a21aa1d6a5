"""The e-mails of following and the Mitmachpool: German, plain text and HTML, sent by the worker.
Every one carries a one-click unsubscribe link (and the List-Unsubscribe header, RFC 8058)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags

from participation.projects.constants import Module
from portal.core.links import absolute_url, page_absolute_url

from .models import NoticeKind, PoolSubscription, ProjectFollow, ProjectNotice
from .services import confirmation_code


def _project_url(project) -> str:
    return page_absolute_url(project) or absolute_url("/")


def _message(template: str, to: str, unsubscribe_url: str, **context) -> EmailMultiAlternatives:
    context.update(site_name=settings.WAGTAIL_SITE_NAME, unsubscribe_url=unsubscribe_url)
    template = f"emails/following/{template}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def _follow_unsubscribe_url(follow: ProjectFollow) -> str:
    return absolute_url(reverse("following:follow-unsubscribe", args=[follow.token]))


def _pool_urls(subscription: PoolSubscription) -> dict:
    return {
        "unsubscribe_url": absolute_url(
            reverse("following:pool-unsubscribe", args=[subscription.token])
        ),
        "settings_url": absolute_url(reverse("following:pool-settings", args=[subscription.token])),
    }


def follow_confirm_message(follow: ProjectFollow) -> EmailMultiAlternatives:
    return _message(
        "follow_confirm",
        follow.email,
        _follow_unsubscribe_url(follow),
        project=follow.project,
        project_url=_project_url(follow.project),
        confirm_url=absolute_url(
            reverse("following:follow-confirm", args=[confirmation_code(follow)])
        ),
        max_age_days=settings.FOLLOWING_CONFIRM_MAX_AGE // 86400,
    )


def pool_confirm_message(subscription: PoolSubscription) -> EmailMultiAlternatives:
    urls = _pool_urls(subscription)
    return _message(
        "pool_confirm",
        subscription.email,
        urls["unsubscribe_url"],
        settings_url=urls["settings_url"],
        choice=_choice(subscription),
        confirm_url=absolute_url(
            reverse("following:pool-confirm", args=[confirmation_code(subscription)])
        ),
        max_age_days=settings.FOLLOWING_CONFIRM_MAX_AGE // 86400,
    )


def pool_settings_link_message(subscription: PoolSubscription) -> EmailMultiAlternatives:
    urls = _pool_urls(subscription)
    return _message(
        "pool_settings_link",
        subscription.email,
        urls["unsubscribe_url"],
        settings_url=urls["settings_url"],
        choice=_choice(subscription),
    )


def _choice(subscription: PoolSubscription) -> dict:
    return {
        "fields_of_action": [str(f) for f in subscription.fields_of_action.all()],
        "districts": [d.name for d in subscription.districts.all()],
    }


def notice_message(notice: ProjectNotice, subject, recipient) -> EmailMultiAlternatives:
    """A notice to a follower (phase, update, result) or a Mitmachpool subscriber (participation
    opens). `subject` is the phase or the update the notice is about."""
    project = notice.project
    context = {
        "notice": notice,
        "kind": notice.kind,
        "project": project,
        "project_url": _project_url(project),
        "phase": subject if notice.kind in (NoticeKind.PHASE, NoticeKind.PARTICIPATION) else None,
        "update": subject if notice.kind == NoticeKind.UPDATE else None,
        "result_text": strip_tags(project.result or "").strip()
        if notice.kind == NoticeKind.RESULT
        else "",
    }
    if context["phase"] is not None:
        context["modules"] = [
            str(Module(m).label) for m in context["phase"].modules or [] if m in Module.values
        ]
    if notice.kind == NoticeKind.PARTICIPATION:
        urls = _pool_urls(recipient)
        return _message(
            "pool_news",
            recipient.email,
            urls["unsubscribe_url"],
            settings_url=urls["settings_url"],
            **context,
        )
    return _message("follow_notice", recipient.email, _follow_unsubscribe_url(recipient), **context)
