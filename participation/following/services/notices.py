"""The notices and their sent-log: the scan writes each piece of news once, the task mails it once
to each recipient; the scan also rings again for whatever the broker lost."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from participation.projects.models import Phase, ProjectPage, ProjectUpdate

from ..models import NoticeDelivery, NoticeKind, ProjectNotice
from .base import RELAY_AFTER, RELAY_BATCH, RELAY_WINDOW, _ring, _ring_on_commit


def _has_text(rich_text: str) -> bool:
    return bool(strip_tags(rich_text or "").strip())


def _notice(*, project_id: int, kind: str, key: str) -> bool:
    """Write the notice once; ring for its e-mails after commit. Returns whether it is new."""
    try:
        with transaction.atomic():
            notice = ProjectNotice.objects.create(project_id=project_id, kind=kind, object_key=key)
    except IntegrityError:
        return False
    _ring_on_commit("following_notice_send_task", notice.pk)
    return True


@transaction.atomic
def notices_scan(*, now=None) -> dict[str, int]:
    """Find what is new in published projects since the last runs (a look-back window, so a
    missed run loses nothing) and write a notice for each: a phase that started (followers; and
    the Mitmachpool if the phase has modules), a progress update, a published result. The
    sent-log makes a second run find nothing new. Then ring again for what was not sent."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.FOLLOWING_NOTICE_LOOKBACK_HOURS)
    counts = dict.fromkeys(NoticeKind.values, 0)
    phases = Phase.objects.filter(starts_at__gt=since, starts_at__lte=now, project__live=True).only(
        "pk", "project_id", "modules"
    )
    for phase in phases:
        key = f"phase:{phase.pk}"
        counts[NoticeKind.PHASE] += _notice(
            project_id=phase.project_id, kind=NoticeKind.PHASE, key=key
        )
        if phase.modules:
            counts[NoticeKind.PARTICIPATION] += _notice(
                project_id=phase.project_id, kind=NoticeKind.PARTICIPATION, key=key
            )
    updates = ProjectUpdate.objects.filter(
        date__gte=timezone.localdate(since), date__lte=timezone.localdate(now), project__live=True
    ).only("pk", "project_id")
    for update in updates:
        counts[NoticeKind.UPDATE] += _notice(
            project_id=update.project_id, kind=NoticeKind.UPDATE, key=f"update:{update.pk}"
        )
    results = ProjectPage.objects.live().filter(last_published_at__gt=since).exclude(result="")
    for project in results.only("pk", "result"):
        if _has_text(project.result):
            counts[NoticeKind.RESULT] += _notice(
                project_id=project.pk, kind=NoticeKind.RESULT, key="result"
            )
    counts.update(_relay(now=now))
    return counts


def _relay(*, now) -> dict[str, int]:
    """Ring again for notices and confirmation e-mails not sent after a few minutes."""
    from ..selectors import (
        follow_pending_confirmations,
        notice_pending,
        pool_pending_confirmations,
        pool_pending_settings_links,
    )

    older, newer = now - RELAY_AFTER, now - RELAY_WINDOW
    pending = {
        "following_notice_send_task": notice_pending(older_than=older),
        "following_follow_confirm_task": follow_pending_confirmations(
            older_than=older, newer_than=newer
        ),
        "following_pool_confirm_task": pool_pending_confirmations(
            older_than=older, newer_than=newer
        ),
        "following_pool_settings_link_task": pool_pending_settings_links(
            older_than=older, newer_than=newer
        ),
    }
    rung = 0
    for task_name, ids in pending.items():
        for object_id in list(ids[:RELAY_BATCH]):
            transaction.on_commit(partial(_ring, task_name, object_id), robust=True)
            rung += 1
    return {"relayed": rung}


def notice_send(*, notice_id: int) -> int:
    """Mail a notice to each of its recipients once. Returns the number of e-mails sent."""
    from ..emails import notice_message
    from ..selectors import notice_recipients

    notice = ProjectNotice.objects.select_related("project").filter(pk=notice_id).first()
    if notice is None or notice.completed_at is not None:
        return 0
    subject = _notice_subject(notice)
    if subject is None and notice.kind != NoticeKind.RESULT:
        recipient_ids = []  # the phase or update was deleted before the e-mails went out
    else:
        field, recipient_ids = notice_recipients(notice=notice)
    sent = 0
    for recipient_id in recipient_ids:
        with transaction.atomic():
            delivery, _created = NoticeDelivery.objects.get_or_create(
                notice=notice, **{f"{field}_id": recipient_id}
            )
            delivery = (
                NoticeDelivery.objects.select_for_update(of=("self",))
                .select_related("follow", "subscription")
                .get(pk=delivery.pk)
            )
            recipient = getattr(delivery, field)
            if delivery.sent_at is not None or not recipient.is_active:
                continue
            # a failed send rolls the delivery row back, so a retry sends it again
            notice_message(notice, subject, recipient).send()
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["sent_at"])
            sent += 1
    ProjectNotice.objects.filter(pk=notice.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    return sent


def _notice_subject(notice: ProjectNotice):
    """What the notice is about: the phase, the update, or the result (loaded once)."""
    if notice.object_key.startswith("phase:"):
        return Phase.objects.filter(pk=notice.object_key.removeprefix("phase:")).first()
    if notice.object_key.startswith("update:"):
        return ProjectUpdate.objects.filter(pk=notice.object_key.removeprefix("update:")).first()
    return None
