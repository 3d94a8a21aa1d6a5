"""Fixtures of the following tests: the outbox's send task rung after commit is recorded (nothing
reaches a broker); the tests run it like a worker would."""

import re

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from participation.following.constants import POOL, PROJECT
from participation.projects.models import ProjectPage
from portal.core import doorbell
from portal.core.models import OutboxMessage
from portal.core.subscriptions.models import State, Subscription
from portal.core.tasks import outbox_send_task


@pytest.fixture
def enqueued(monkeypatch):
    """The ids of the outbox messages rung for (their send task), in order."""
    sent: list[int] = []
    doorbell.unpause()
    monkeypatch.setattr(outbox_send_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    return sent


def run_enqueued(enqueued) -> None:
    """Run what was rung for, as the worker would (and forget it)."""
    while enqueued:
        outbox_send_task.apply(args=[enqueued.pop(0)])


def confirmations(enqueued) -> list[int]:
    """The subscriptions whose confirmation e-mail was rung for."""
    messages = OutboxMessage.objects.filter(pk__in=enqueued, kind="subscriptions.confirm")
    return [m.context["subscription"] for m in messages.order_by("pk")]


def links(message) -> dict[str, str]:
    """The paths of the links in an e-mail's text, by their kind."""
    found = {}
    patterns = {
        "follow-confirm": r"/mitmachpool/vorhaben/bestaetigen/[^/\s]+/",
        "follow-unsubscribe": r"/mitmachpool/vorhaben/abmelden/[^/\s]+/",
        "pool-confirm": r"/mitmachpool/bestaetigen/[^/\s]+/",
        "pool-settings": r"/mitmachpool/einstellungen/[^/\s]+/",
        "pool-unsubscribe": r"/mitmachpool/abmelden/[^/\s]+/",
    }
    for kind, pattern in patterns.items():
        match = re.search(rf"{re.escape(settings.BASE_URL)}({pattern})", message.body)
        if match:
            found[kind] = match.group(1)
    return found


def follows():
    return Subscription.objects.filter(kind=PROJECT)


def pool_subscriptions():
    return Subscription.objects.filter(kind=POOL)


def follow_of(project, email="fritz@example.org", **fields) -> Subscription:
    return Subscription.objects.create(
        kind=PROJECT,
        target_type=ContentType.objects.get_for_model(ProjectPage),
        target_id=project.pk,
        email=email,
        **fields,
    )


def confirmed_follow(project, email="fritz@example.org") -> Subscription:
    return follow_of(project, email, state=State.CONFIRMED, confirmed_at=timezone.now())


def confirmed_subscription(email, *, fields=(), districts=()) -> Subscription:
    return Subscription.objects.create(
        kind=POOL,
        email=email,
        state=State.CONFIRMED,
        confirmed_at=timezone.now(),
        scope={
            "fields_of_action": sorted(f.pk for f in fields),
            "districts": sorted(d.pk for d in districts),
        },
    )
