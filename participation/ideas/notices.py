"""The e-mails of an idea's timeline on the kernel's subscriptions (portal.core.subscriptions):
its author and every supporter hold an account subscription of the idea (made with their first
e-mail; one who unsubscribed stays unsubscribed), and each public line of the idea's timeline,
its ticket's, is owed to each of them once through the outbox."""

from django.urls import reverse

from participation.contributions.models import Support
from portal.core.links import absolute_url
from portal.core.subscriptions import services as subscriptions
from portal.core.subscriptions.registry import SubscriptionKind
from portal.tickets.models import TicketEvent

from .constants import ANSWER_LABEL
from .models import PoolIdea

KIND = "ideas.idea"
TEMPLATE = "emails/ideas/step"


def notices_owe(*, idea: PoolIdea, ticket_event: TicketEvent, skip_author: bool) -> int:
    """Owe the line `ticket_event` to the author (unless `skip_author`) and every supporter, once
    each (a second call owes nothing). Call inside the transaction that wrote the line. Returns
    how many were owed now."""
    recipients = set(
        Support.objects.filter(idea_id=idea.input_id).values_list("user_id", flat=True)
    )
    if idea.author_id is not None and not skip_author:
        recipients.add(idea.author_id)
    readers = [
        subscriptions.account_subscription(kind=KIND, target=idea, user_id=user_id)
        for user_id in sorted(recipients)
    ]
    return subscriptions.notices_owe(
        readers, f"event:{ticket_event.pk}", template=TEMPLATE, context={"event": ticket_event.pk}
    )


def _idea(subscription) -> PoolIdea | None:
    return PoolIdea.objects.filter(pk=subscription.target_id).first()


def idea_context(subscription) -> dict | None:
    idea = _idea(subscription)
    if idea is None:
        return None
    return {
        "idea": idea,
        "is_author": idea.author_id is not None and idea.author_id == subscription.user_id,
        "idea_url": absolute_url(idea.get_absolute_url()),
        "account_url": absolute_url("/konto/"),
    }


def idea_notice_context(subscription, ids: dict) -> dict | None:
    event = TicketEvent.objects.filter(pk=ids.get("event")).first()
    if event is None:
        return None
    return {
        "event": event,
        "text": event.public_message,
        "step": event.public_status_label or str(ANSWER_LABEL),
    }


def _describe(subscription) -> str:
    idea = _idea(subscription)
    return f"„{idea.title}“" if idea is not None else ""


def _back_url(subscription) -> str | None:
    idea = _idea(subscription)
    return idea.get_absolute_url() if idea is not None else reverse("ideas:list")


IDEA_KIND = SubscriptionKind(
    name=KIND,
    context=idea_context,
    notice_context=idea_notice_context,
    describe=_describe,
    back_url=_back_url,
)
