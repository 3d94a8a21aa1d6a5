"""Writes of the projects app shared by every participation module."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from .constants import ContributionChannel
from .models import ProjectParticipant, ProjectStatistics


def participation_record(
    *,
    project_id: int,
    participant_key: str,
    channel: str = ContributionChannel.ONLINE,
    contribution: bool = True,
) -> None:
    """Count one act of participation in the project's counters, in the caller's transaction.

    `participant_key` says who took part ("user:12", "browser:<token>", "offline:<entry id>"): a
    key seen for the first time adds a participant. `contribution` is an idea, comment or poll
    answer; otherwise a reaction (support, rating). Offline channels count as offline.
    """
    offline = channel != ContributionChannel.ONLINE
    ProjectStatistics.objects.get_or_create(project_id=project_id)
    counters = {}
    try:
        with transaction.atomic():
            ProjectParticipant.objects.create(
                project_id=project_id, key=participant_key[:80], offline=offline
            )
    except IntegrityError:
        pass  # known participant
    else:
        field = "participants_offline" if offline else "participants_online"
        counters[field] = F(field) + 1
    if contribution:
        field = "contributions_offline" if offline else "contributions_online"
    else:
        field = "reactions"
    counters[field] = F(field) + 1
    ProjectStatistics.objects.filter(project_id=project_id).update(**counters)
