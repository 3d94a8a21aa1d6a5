"""Unsent moderation e-mails move into the kernel's outbox (portal.core.outbox) under the key the
services now use, "contributions.moderation_notice:<log id>" (one e-mail per decision, as the
old one-to-one notice had it), so none is lost and none is owed twice. Sent ones stay behind."""

from django.db import migrations

KIND = "contributions.moderation_notice"
TEMPLATES = {"ausgeblendet": "contribution_hidden", "gesperrt": "participant_blocked"}


def forwards(apps, schema_editor):
    ModerationNotice = apps.get_model("contributions", "ModerationNotice")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    pending = ModerationNotice.objects.filter(sent_at__isnull=True).select_related(
        "log", "recipient"
    )
    for notice in pending.order_by("pk").iterator():
        template = TEMPLATES.get(notice.log.action)
        if template is None or not notice.recipient.email:
            continue  # the old worker could not have sent it either
        OutboxMessage.objects.get_or_create(
            key=f"{KIND}:{notice.log_id}",
            defaults={
                "kind": KIND,
                "recipient": notice.recipient.email,
                "template": f"emails/contributions/{template}",
                "context": {"log": notice.log_id},
                "created_at": notice.created_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0003_discussion_target"),
        ("core", "0001_outbox"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
