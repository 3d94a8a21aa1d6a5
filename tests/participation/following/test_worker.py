"""The notices job through the real broker and a real Celery worker: the scan owes the notice in
the outbox, rings after commit, the worker mails the follower; a second scan mails nothing."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from participation.following import tasks
from participation.projects.constants import Module
from portal.core.models import OutboxMessage
from tests.participation.factories import phase, project
from tests.waiting import filed_mails, wait_until

from .conftest import confirmed_follow

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_scan_through_a_real_worker_mails_each_notice_once(
    redis_server, start_celery_worker, tmp_path
):
    mail_dir = tmp_path / "mail"
    start_celery_worker(
        redis_server,
        TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TEST_EMAIL_FILE_PATH=str(mail_dir),
    )
    page = project(title="Stadtpark")
    now = timezone.now()
    phase(
        page, modules=[Module.POLLS], name="Umfrage zum Park",
        starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(days=14),
    )  # fmt: skip
    confirmed_follow(page, "parkfreundin@example.org")

    def mails():
        return filed_mails(mail_dir)

    tasks.following_notices_scan_task.delay()
    assert wait_until(lambda: len(mails()) == 1), "no mail from the worker"
    notices = OutboxMessage.objects.filter(kind="subscriptions.notice")
    assert wait_until(lambda: notices.filter(sent_at__isnull=False).count() == 1), "not sent"
    tasks.following_notices_scan_task.delay()
    time.sleep(3)  # time enough for a second mail, if there were one
    sent = mails()
    assert len(sent) == 1
    assert "parkfreundin@example.org" in sent[0] and "Umfrage zum Park" in sent[0]
