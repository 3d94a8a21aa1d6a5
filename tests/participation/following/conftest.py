"""Fixtures of the following tests: the tasks sent to the broker are recorded (nothing reaches a
broker); the tests run them like a worker would."""

import re

import pytest
from django.conf import settings

from participation.following import tasks
from participation.following.models import PoolSubscription, ProjectFollow
from portal.core import doorbell

TASKS = (
    tasks.following_follow_confirm_task,
    tasks.following_pool_confirm_task,
    tasks.following_pool_settings_link_task,
    tasks.following_notice_send_task,
)


@pytest.fixture
def enqueued(monkeypatch):
    """The following tasks sent to the broker, as (task name, args)."""
    sent: list[tuple[str, list]] = []
    doorbell.unpause()
    for task in TASKS:
        monkeypatch.setattr(
            task, "apply_async", lambda args, _name=task.name, **kw: sent.append((_name, args))
        )
    return sent


def run_enqueued(enqueued) -> None:
    """Run what was enqueued, as the worker would (and forget it)."""
    by_name = {task.name: task for task in TASKS}
    while enqueued:
        name, args = enqueued.pop(0)
        by_name[name].apply(args=args)


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


def confirmed_follow(project, email="fritz@example.org") -> ProjectFollow:
    from django.utils import timezone

    return ProjectFollow.objects.create(project=project, email=email, confirmed_at=timezone.now())


def confirmed_subscription(email, *, fields=(), districts=()) -> PoolSubscription:
    from django.utils import timezone

    subscription = PoolSubscription.objects.create(email=email, confirmed_at=timezone.now())
    subscription.fields_of_action.set(fields)
    subscription.districts.set(districts)
    return subscription
