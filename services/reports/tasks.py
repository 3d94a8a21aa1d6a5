"""Celery tasks of the Mängelmelder. They take ids, reload, return early when the work is done,
and leave the work itself to the services. Its e-mails go through the outbox (portal.core)."""

from celery import shared_task

from .clusters import report_map_rebuild
from .photo_services import report_photo_drafts_purge


@shared_task(name="reports.photo_drafts_purge")
def report_photo_drafts_purge_task() -> int:
    return report_photo_drafts_purge()


@shared_task(name="reports.map_clusters_rebuild")
def report_map_rebuild_task() -> int:
    """Count the map's clusters anew: after an import (which bypasses the writers), and nightly
    as a safety net for a recount that failed."""
    return report_map_rebuild()


@shared_task(name="reports.area_digests")
def reports_area_digests_task() -> int:
    """Yesterday's new reports to everyone who wants one e-mail a day about an area."""
    from .area_alerts import area_digests_owe

    return area_digests_owe()
