"""The unsent ticket e-mails move into the kernel's outbox (portal.core.outbox) under the key the
services now use ("tickets." + the old key), so none is lost and none is owed twice. E-mails
sent already stay behind and go with the old table. A notification whose send task had given up
(an open "tickets.notify" failed job) arrives as failed, for staff to retry."""

from django.db import migrations


def _recipient(notification) -> str:
    if notification.department_id:
        return notification.department.email
    ticket = notification.ticket
    if ticket is None:
        return ""
    if ticket.citizen_id and ticket.citizen.email:
        return ticket.citizen.email
    return ticket.contact_email


def forwards(apps, schema_editor):
    Notification = apps.get_model("tickets", "Notification")
    FailedJob = apps.get_model("tickets", "FailedJob")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    failed = {
        job.object_id: job
        for job in FailedJob.objects.filter(task_name="tickets.notify", retried_at__isnull=True)
    }
    pending = Notification.objects.filter(sent_at__isnull=True).select_related(
        "ticket__citizen", "department"
    )
    for notification in pending.order_by("pk").iterator():
        recipient = _recipient(notification)
        if not recipient:
            continue  # the old worker would have sent nothing either
        job = failed.get(notification.pk)
        OutboxMessage.objects.get_or_create(
            key=f"tickets.{notification.key}",
            defaults={
                "kind": f"tickets.{notification.kind}",
                "recipient": recipient,
                "template": f"emails/tickets/{notification.kind}",
                "context": {
                    "ticket": notification.ticket_id,
                    "event": notification.event_id,
                    "department": notification.department_id,
                },
                "created_at": notification.created_at,
                "failed_at": job.created_at if job else None,
                "last_error": job.error.split(":", 1)[0] if job else "",
            },
        )
    # failed e-mails are retried in the outbox now; these jobs pointed at the old table
    FailedJob.objects.filter(task_name="tickets.notify").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_alter_category_kind"),
        ("core", "0001_outbox"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
