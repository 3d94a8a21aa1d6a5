"""The one outbox (portal.core.outbox): an owed e-mail is recorded once under its key, sent once
however often its task is delivered, rung again by the relay when its doorbell was lost, held
back while sending is paused, and marked failed when the retries run out."""

import re
import smtplib
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from portal.core import outbox
from portal.core.models import OutboxMessage
from portal.core.outbox import services as outbox_services
from portal.core.tasks import RETRY, outbox_relay_task, outbox_send_task

pytestmark = pytest.mark.django_db

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "emails/test/hello_subject.txt": "Hallo {{ name }}\n",
                        "emails/test/hello.txt": "Guten Tag {{ name }}, {{ site_name }}.",
                        "emails/test/hello.html": "<p>Guten Tag {{ name }}</p>",
                    },
                )
            ]
        },
    }
]


@pytest.fixture(autouse=True)
def _templates():
    with override_settings(TEMPLATES=TEMPLATES, ACCOUNT_EMAIL_SUBJECT_PREFIX="[Portal] "):
        yield


@outbox.context_builder("test.hello")
def _build(message):
    if message.context.get("gone"):
        return None
    return {
        "name": message.context["name"].upper(),
        "headers": {"List-Unsubscribe": "<https://portal.example/abmelden/>"},
    }


def owe(key="test.hello:1", **context):
    return outbox.owe(
        key,
        kind="test.hello",
        recipient="erika@example.org",
        template="emails/test/hello",
        context={"name": "Erika", **context},
    )


def test_owing_twice_under_one_key_records_and_rings_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = owe()
        second = owe()
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1
    assert outbox.owe("x", kind="test.hello", recipient="", template="emails/test/hello") is None
    assert OutboxMessage.objects.count() == 1


def test_many_owed_at_once_cost_a_few_queries_and_ring_once_each(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    owe("test.hello:1")

    def item(key, recipient="erika@example.org"):
        return {
            "key": key,
            "kind": "test.hello",
            "recipient": recipient,
            "template": "emails/test/hello",
            "context": {"name": key},
        }

    items = [item(f"test.hello:{n}") for n in range(1, 41)]
    items += [item("test.hello:2"), item("test.hello:99", recipient="")]
    with django_capture_on_commit_callbacks() as callbacks, django_assert_max_num_queries(4):
        created = outbox.owe_many(items)
    assert [message.key for message in created] == [f"test.hello:{n}" for n in range(2, 41)]
    assert OutboxMessage.objects.count() == 40
    assert len(callbacks) == 39
    assert not OutboxMessage.objects.filter(key="test.hello:99").exists()
    # owed again: nothing new, nothing rung
    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox.owe_many(items) == []
    assert callbacks == []


def test_the_send_task_sends_once_even_when_delivered_twice(
    outbox_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = owe()
    assert outbox_worker == [message.pk]
    assert outbox_send_task.apply(args=[message.pk]).get() is False  # a redelivery
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["erika@example.org"]
    assert sent.subject == "[Portal] Hallo ERIKA"
    assert "Guten Tag ERIKA" in sent.body
    assert sent.alternatives[0] == ("<p>Guten Tag ERIKA</p>", "text/html")
    assert sent.extra_headers["List-Unsubscribe"] == "<https://portal.example/abmelden/>"
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_deliveries_at_once_send_one_mail():
    """The second delivery waits for the row lock of the first and then finds the row sent."""
    message = owe()
    inside_send = threading.Event()
    release = threading.Event()
    real_send = mail.EmailMultiAlternatives.send

    def slow_send(self, *args, **kwargs):
        inside_send.set()
        assert release.wait(10)
        return real_send(self, *args, **kwargs)

    results = {}

    def deliver(name):
        try:
            results[name] = outbox_services.message_send(message_id=message.pk)
        finally:
            from django.db import connection

            connection.close()

    with mock.patch.object(mail.EmailMultiAlternatives, "send", slow_send):
        first = threading.Thread(target=deliver, args=("first",))
        first.start()
        assert inside_send.wait(10)
        second = threading.Thread(target=deliver, args=("second",))
        second.start()
        release.set()
        first.join(20)
        second.join(20)
    assert results == {"first": True, "second": False}
    assert len(mail.outbox) == 1


def test_the_relay_rings_again_for_a_lost_doorbell(outbox_worker, time_machine):
    message = owe()  # no on-commit callbacks: the doorbell was never heard
    assert outbox_relay_task.apply().get() == 0  # too fresh: the doorbell may still be heard
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert outbox_relay_task.apply().get() == 1
    assert outbox_worker == [message.pk]
    assert len(mail.outbox) == 1
    assert outbox_relay_task.apply().get() == 0  # sent: nothing left to ring
    call_command("relay_outbox", stdout=mock.Mock())
    assert len(mail.outbox) == 1


def test_paused_sending_keeps_the_rows_and_the_relay_sends_them_later(
    outbox_worker, django_capture_on_commit_callbacks, time_machine
):
    with override_settings(OUTBOX_SENDING_ENABLED=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = owe("test.hello:1")
            second = owe("test.hello:2", name="Max")
        assert outbox_worker == [first.pk, second.pk]  # rung, but the task holds back
        time_machine.move_to(timezone.now() + timedelta(minutes=3))
        assert outbox_relay_task.apply().get() == 0
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2

    assert outbox_relay_task.apply().get() == 2
    assert outbox_relay_task.apply().get() == 0
    assert sorted(m.subject for m in mail.outbox) == ["[Portal] Hallo ERIKA", "[Portal] Hallo MAX"]


def test_nothing_to_say_any_more_marks_the_row_sent_without_mail(outbox_worker):
    message = owe(gone=True)
    assert outbox_send_task.apply(args=[message.pk]).get() is True
    message.refresh_from_db()
    assert message.sent_at is not None
    assert mail.outbox == []


def test_failure_after_the_retries_is_recorded_and_left_out_of_the_relay(
    outbox_worker, time_machine, django_capture_on_commit_callbacks
):
    message = owe()
    refused = smtplib.SMTPRecipientsRefused({"erika@example.org": (550, b"no such user")})
    with mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=refused) as send:
        result = outbox_send_task.apply(args=[message.pk])
    assert result.failed()
    assert send.call_count == RETRY["max_retries"] + 1
    message.refresh_from_db()
    assert message.sent_at is None and message.failed_at is not None
    assert message.attempts == RETRY["max_retries"] + 1
    assert message.last_error == "SMTPRecipientsRefused"
    assert "erika" not in message.last_error  # no personal data in the error

    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert outbox_relay_task.apply().get() == 0  # failed for good: staff decide

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.message_retry(message_id=message.pk) is True
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.sent_at is not None and message.failed_at is None


def test_one_outbox_one_send_task_one_relay_in_the_code_base():
    """No second outbox comes back: one model records sent e-mails, one task sends them, one beat
    entry relays them, and no module but the outbox builds or sends an e-mail (allauth's account
    e-mails are the documented exception, docs/architecture.md)."""
    from django.apps import apps
    from django.conf import settings

    from portal.celery import app

    with_sent_at = [
        model._meta.label
        for model in apps.get_models()
        if any(field.name.endswith("sent_at") for field in model._meta.get_fields())
    ]
    assert with_sent_at == ["core.OutboxMessage"]

    app.loader.import_default_modules()
    # the old copies: tickets.notify, eforms.submission_confirm/confirm_relay,
    # contributions.notice_send/notice_relay, reports.follow_relay, ideas.notice_relay
    mail_tasks = [
        name
        for name in app.tasks
        if any(word in name for word in ("notify", "notice_", "confirm", "send", "relay"))
    ]
    assert sorted(mail_tasks) == [
        "outbox.relay",
        "outbox.send",
        "payments.demo_webhooks_relay",  # the demo provider's webhooks, no e-mail
        "privacy.export_relay",  # builds copies of "Meine Daten"; their e-mail is the outbox's
        "tickets.relay",  # routing only
    ]
    beat = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert beat.count("outbox.relay") == 1
    assert not [task for task in beat if task not in mail_tasks and "relay" in task]

    mailing = sorted(
        str(path.relative_to(settings.BASE_DIR))
        for area in ("portal", "participation", "services")
        for path in (settings.BASE_DIR / area).rglob("*.py")
        if "migrations" not in path.parts
        and "settings" not in path.parts
        and (
            "django.core.mail" in path.read_text()
            or re.search(r"(?<!def )\bsend_mail\(|\.send\(\)", path.read_text())
        )
    )
    # allauth's adapter only owes its e-mails (portal.accounts.adapter.owe_mail)
    assert mailing == ["portal/core/outbox/services.py"]


def test_a_mail_sent_again_after_a_lost_commit_keeps_its_message_id(
    outbox_worker, django_capture_on_commit_callbacks
):
    """A worker that dies after the mail server accepted the message and before the row was
    marked sent: the relay sends it again, under the same Message-ID, so the copy is known."""
    with django_capture_on_commit_callbacks(execute=True):
        message = owe()
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)  # the commit that was lost
    assert outbox_send_task.apply(args=[message.pk]).get() is True
    other = owe("test.hello:2")
    outbox_send_task.apply(args=[other.pk])
    first, again, second = (sent.message()["Message-ID"] for sent in mail.outbox)
    assert first == again
    assert first != second
    assert first.endswith("@buergerportal.example>")
