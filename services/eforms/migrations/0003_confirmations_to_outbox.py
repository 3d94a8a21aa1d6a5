"""Unsent confirmations move into the kernel's outbox (portal.core.outbox) under the key the
services now use, "eforms.confirmation:<submission id>": a released application whose
confirmation was not sent yet is owed it there, once. Sent ones are not owed again."""

from django.db import migrations

RELEASED = "eingereicht"


def forwards(apps, schema_editor):
    Submission = apps.get_model("eforms", "Submission")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    pending = Submission.objects.filter(
        status=RELEASED, confirmation_sent_at__isnull=True
    ).select_related("applicant")
    for submission in pending.order_by("pk").iterator():
        if not submission.applicant.email:
            continue  # the old worker would have sent nothing either
        OutboxMessage.objects.get_or_create(
            key=f"eforms.confirmation:{submission.pk}",
            defaults={
                "kind": "eforms.confirmation",
                "recipient": submission.applicant.email,
                "template": "emails/eforms/confirmation",
                "context": {"submission": submission.pk},
                "created_at": submission.released_at or submission.updated_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("eforms", "0002_default_application_category"),
        ("core", "0001_outbox"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
