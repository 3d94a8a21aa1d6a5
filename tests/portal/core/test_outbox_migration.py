"""A database from before the one outbox, with pending and sent e-mails of every old kind moved
here (ticket notifications, application confirmations, moderation notices), migrates with none
lost and none owed twice; the relay then sends each pending one exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from participation.contributions.constants import ModerationAction
from participation.contributions.models import ModerationLog
from portal.core.models import OutboxMessage
from portal.core.tasks import outbox_relay_task
from services.eforms.constants import SubmissionStatus
from services.eforms.models import Submission
from tests.factories import DepartmentFactory, UserFactory, routed_ticket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# the newest migration of each app before its outbox moved into the kernel
BEFORE = [
    ("tickets", "0005_alter_category_kind"),
    ("eforms", "0002_default_application_category"),
    ("contributions", "0003_discussion_target"),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_world():
    """Rows of today's models that the old outboxes pointed at, then the schema of before."""
    department = DepartmentFactory(email="amt@stadt.example")
    ticket = routed_ticket(department=department, email="buerger@example.org")
    created, routed = ticket.events.order_by("pk")[:2]
    applicant = UserFactory(email="antrag@example.org")
    released = [
        Submission.objects.create(
            form_key="sperrmuell",
            service_title="Sperrmüll",
            applicant=applicant,
            status=SubmissionStatus.RELEASED,
            number=f"A-2026-00000{n}",
            released_at=timezone.now(),
        )
        for n in (1, 2)
    ]
    author = UserFactory(email="autorin@example.org")
    logs = [
        ModerationLog.objects.create(
            action=ModerationAction.HIDDEN, reason=f"Grund {n}", user=author, target_label="x"
        )
        for n in (1, 2)
    ]
    OutboxMessage.objects.all().delete()  # as if the kernel's outbox had never been used
    try:
        executor = _migrate(BEFORE)
        yield {
            "apps": executor.loader.project_state(BEFORE).apps,
            "ticket": ticket,
            "department": department,
            "events": (created, routed),
            "submissions": released,
            "logs": logs,
            "author": author,
        }
    finally:
        _migrate(_latest())


def test_pending_messages_move_once_and_sent_ones_stay_sent(old_world, outbox_worker, time_machine):
    apps = old_world["apps"]
    ticket, department = old_world["ticket"], old_world["department"]
    created, routed = old_world["events"]
    now = timezone.now() - timedelta(hours=1)
    Notification = apps.get_model("tickets", "Notification")
    FailedJob = apps.get_model("tickets", "FailedJob")
    Notification.objects.create(
        key=f"receipt:{created.pk}", kind="receipt", ticket_id=ticket.pk, event_id=created.pk
    )
    Notification.objects.create(
        key=f"status:{routed.pk}",
        kind="status",
        ticket_id=ticket.pk,
        event_id=routed.pk,
        sent_at=now,
    )
    gave_up = Notification.objects.create(
        key=f"department_new:{ticket.pk}:{routed.pk}",
        kind="department_new",
        ticket_id=ticket.pk,
        event_id=routed.pk,
        department_id=department.pk,
    )
    FailedJob.objects.create(
        task_name="tickets.notify",
        object_id=gave_up.pk,
        ticket_id=ticket.pk,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    OldSubmission = apps.get_model("eforms", "Submission")
    pending_submission, sent_submission = old_world["submissions"]
    OldSubmission.objects.filter(pk=sent_submission.pk).update(confirmation_sent_at=now)
    ModerationNotice = apps.get_model("contributions", "ModerationNotice")
    pending_log, sent_log = old_world["logs"]
    author_id = old_world["author"].pk
    ModerationNotice.objects.create(log_id=pending_log.pk, recipient_id=author_id)
    ModerationNotice.objects.create(log_id=sent_log.pk, recipient_id=author_id, sent_at=now)

    _migrate(_latest())

    owed = {m.key: m for m in OutboxMessage.objects.all()}
    assert sorted(owed) == sorted(
        [
            f"tickets.receipt:{created.pk}",
            f"tickets.department_new:{ticket.pk}:{routed.pk}",
            f"eforms.confirmation:{pending_submission.pk}",
            f"contributions.moderation_notice:{pending_log.pk}",
        ]
    )
    assert owed[f"tickets.receipt:{created.pk}"].recipient == "buerger@example.org"
    failed = owed[f"tickets.department_new:{ticket.pk}:{routed.pk}"]
    assert failed.failed_at is not None and failed.last_error == "SMTPServerDisconnected"
    assert not FailedJob.objects.filter(task_name="tickets.notify").exists()

    # the relay sends every pending one exactly once; the one that had failed waits for staff
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert outbox_relay_task.apply().get() == 3
    assert outbox_relay_task.apply().get() == 0
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["antrag@example.org", "autorin@example.org", "buerger@example.org"]
    subjects = " ".join(message.subject for message in mail.outbox)
    assert ticket.number in subjects and pending_submission.number in subjects
    assert sent_submission.number not in subjects
