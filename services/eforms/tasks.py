"""Celery tasks of the online applications: ids in, the service does the work."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from portal.core import doorbell

from .constants import SubmissionStatus
from .models import Submission
from .services import submission_confirm

logger = logging.getLogger(__name__)


@shared_task(
    name="eforms.submission_confirm",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def submission_confirm_task(submission_id: int) -> bool:
    return submission_confirm(submission_id=submission_id)


@shared_task(name="eforms.confirm_relay")
def submission_confirm_relay_task() -> int:
    """Confirmations whose doorbell was not heard (Redis down, worker killed)."""
    ids = list(
        Submission.objects.filter(
            status=SubmissionStatus.RELEASED,
            confirmation_sent_at__isnull=True,
            released_at__lt=timezone.now() - timedelta(minutes=2),
        ).values_list("pk", flat=True)[:200]
    )
    for submission_id in ids:
        doorbell.ring(submission_confirm_task, submission_id)
    return len(ids)
