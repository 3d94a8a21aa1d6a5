"""The outbox's context builders of subscriptions: the confirmation e-mail and every notice. Both
carry the one-click unsubscribe link and its List-Unsubscribe header (RFC 8058); the kind's
declaration adds what the e-mail says about its target."""

from django.conf import settings

from portal.core import outbox

from .models import State, Subscription
from .registry import kind_for
from .services import confirm_url, unsubscribe_url


def _base(subscription: Subscription) -> dict | None:
    declared = kind_for(subscription.kind).context(subscription)
    if declared is None:
        return None
    url = unsubscribe_url(subscription)
    return {
        **declared,
        "subscription": subscription,
        "unsubscribe_url": url,
        "headers": {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def _subscription(message) -> Subscription | None:
    return (
        Subscription.objects.select_related("user")
        .filter(pk=message.context.get("subscription"))
        .first()
    )


@outbox.context_builder("subscriptions.confirm")
def confirmation_context(message) -> dict | None:
    subscription = _subscription(message)
    if subscription is None or subscription.state != State.PENDING:
        return None  # confirmed meanwhile (a verified account) or ended: no link needed
    context = _base(subscription)
    if context is None:
        return None
    context.update(
        confirm_url=confirm_url(subscription),
        max_age_days=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE // 86400,
    )
    return context


@outbox.context_builder("subscriptions.notice")
def notice_context(message) -> dict | None:
    subscription = _subscription(message)
    if subscription is None or subscription.state != State.CONFIRMED:
        return None  # unsubscribed before it went out
    context = _base(subscription)
    declared = kind_for(subscription.kind).notice_context
    if context is None or declared is None:
        return None
    notice = declared(subscription, message.context)
    if notice is None:
        return None
    context.update(notice)
    return context
