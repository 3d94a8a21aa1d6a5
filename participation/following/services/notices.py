"""The notices: the scan finds what is new in published projects and owes each follower and each
matching Mitmachpool subscriber one e-mail per piece of news through the outbox. The key of each
e-mail is the subscription and the news, so the scan may run any number of times."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from participation.projects.models import Phase, ProjectPage, ProjectUpdate
from portal.core.subscriptions.services import notices_owe

from ..constants import NoticeKind
from ..selectors import follower_subscriptions, pool_matches, pool_subscriptions

FOLLOW_TEMPLATE = "emails/following/follow_notice"
POOL_TEMPLATE = "emails/following/pool_news"


def _has_text(rich_text: str) -> bool:
    return bool(strip_tags(rich_text or "").strip())


@transaction.atomic
def notices_scan(*, now=None) -> dict[str, int]:
    """Find what is new in published projects (a look-back window, so a missed run loses
    nothing) and owe an e-mail for each: a phase that started (followers; and the matching
    Mitmachpool subscribers if the phase has modules), a progress update, a published result.
    A second run owes nothing new. Returns the e-mails owed now, by kind of news."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.FOLLOWING_NOTICE_LOOKBACK_HOURS)
    counts = dict.fromkeys(NoticeKind.values, 0)
    pool = None  # loaded once, when a phase with modules needs it

    def owe(kind, followers, key, template, **ids):
        counts[kind] += notices_owe(
            followers, f"{kind}:{key}", template=template, context={"notice": kind, **ids}
        )

    phases = Phase.objects.filter(starts_at__gt=since, starts_at__lte=now, project__live=True)
    for phase in phases.select_related("project").order_by("pk"):
        ids = {"project": phase.project_id, "phase": phase.pk}
        followers = follower_subscriptions(project_id=phase.project_id)
        owe(NoticeKind.PHASE, followers, f"phase:{phase.pk}", FOLLOW_TEMPLATE, **ids)
        if phase.modules:
            pool = pool if pool is not None else list(pool_subscriptions())
            matching = pool_matches(pool, project=phase.project)
            owe(NoticeKind.PARTICIPATION, matching, f"phase:{phase.pk}", POOL_TEMPLATE, **ids)
    updates = ProjectUpdate.objects.filter(
        date__gte=timezone.localdate(since), date__lte=timezone.localdate(now), project__live=True
    ).only("pk", "project_id")
    for update in updates.order_by("pk"):
        followers = follower_subscriptions(project_id=update.project_id)
        owe(
            NoticeKind.UPDATE, followers, f"update:{update.pk}", FOLLOW_TEMPLATE,
            project=update.project_id, update=update.pk,
        )  # fmt: skip
    results = ProjectPage.objects.live().filter(last_published_at__gt=since).exclude(result="")
    for project in results.only("pk", "result").order_by("pk"):
        if _has_text(project.result):
            followers = follower_subscriptions(project_id=project.pk)
            owe(NoticeKind.RESULT, followers, "result", FOLLOW_TEMPLATE, project=project.pk)
    return counts
