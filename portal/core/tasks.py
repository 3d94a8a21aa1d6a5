"""Celery tasks of the kernel: the outbox's send task and its relay (beat entry "outbox-relay" in
portal/settings/base.py, `manage.py relay_outbox` for cron), and the daily retention job (beat
entry "privacy-retention", `manage.py apply_retention`), and the copies of "Meine Daten" with
their relay ("privacy-export-relay")."""

import smtplib

from celery import Task, shared_task
from django.db import DatabaseError

from portal.core.outbox.services import message_failed, message_send, outbox_relay

# worth another try: the database or the mail server was briefly away
TRANSIENT_ERRORS = (DatabaseError, smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


class OutboxSendTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        message_failed(message_id=args[0], exc=exc)


# Sent with a lower priority than every other task (CELERY_TASK_ROUTES in portal/settings/base.py).
@shared_task(name="outbox.send", base=OutboxSendTask, **RETRY)
def outbox_send_task(message_id: int) -> bool:
    return message_send(message_id=message_id)


@shared_task(name="outbox.relay")
def outbox_relay_task() -> int:
    return outbox_relay()


@shared_task(name="privacy.retention")
def retention_task() -> dict:
    from portal.core.retention import retention_run

    return retention_run()


class DataExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from portal.core.mydata.export import export_failed

        export_failed(args[0])


@shared_task(name="privacy.export", base=DataExportTask, **RETRY)
def data_export_task(export_id: str) -> bool:
    from portal.core.mydata.export import build_export

    return build_export(export_id)


@shared_task(name="privacy.export_relay")
def data_export_relay_task() -> int:
    from portal.core.mydata.export import export_relay

    return export_relay()


@shared_task(name="figures.compute")
def figures_compute_task() -> int:
    """The nightly computation of the public figures (/zahlen/)."""
    from .figures.services import figures_compute

    return figures_compute().pk


@shared_task(name="opendata.publish")
def opendata_publish_task() -> int:
    """The nightly writing of the open data files (/offene-daten/)."""
    from .opendata.services import opendata_publish

    return len(opendata_publish()["datasets"])
