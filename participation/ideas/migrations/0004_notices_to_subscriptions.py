"""The e-mails of an idea's timeline move to the kernel: the author and the supporters get their
account subscription of the idea (portal.core.subscriptions), every e-mail still owed (IdeaNotice
without `sent_at`) is owed in the outbox under the key the new code uses, so that nothing is lost
and nothing is sent twice. Then IdeaNotice goes."""

from django.db import migrations
from django.utils import timezone

KIND = "ideas.idea"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Subscription = apps.get_model("core", "Subscription")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    IdeaNotice = apps.get_model("ideas", "IdeaNotice")
    PoolIdea = apps.get_model("ideas", "PoolIdea")
    idea_type, _created = ContentType.objects.get_or_create(app_label="ideas", model="poolidea")
    now = timezone.now()
    ideas = {}
    pending = IdeaNotice.objects.filter(sent_at__isnull=True).select_related("event", "recipient")
    for notice in pending.order_by("pk").iterator():
        ticket_id = notice.event.ticket_id
        if ticket_id not in ideas:
            ideas[ticket_id] = PoolIdea.objects.filter(ticket_id=ticket_id).first()
        idea = ideas[ticket_id]
        recipient = notice.recipient
        if idea is None or not recipient.is_active or not recipient.email:
            continue  # the old task would have written to nobody
        subscription, _created = Subscription.objects.get_or_create(
            kind=KIND,
            target_id=idea.pk,
            email="",
            user_id=recipient.pk,
            defaults={"target_type": idea_type, "state": "confirmed", "confirmed_at": now},
        )
        OutboxMessage.objects.get_or_create(
            key=f"sub:{subscription.pk}:event:{notice.event_id}",
            defaults={
                "kind": "subscriptions.notice",
                "recipient": recipient.email,
                "template": "emails/ideas/step",
                "context": {"subscription": subscription.pk, "event": notice.event_id},
                "created_at": notice.created_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_subscription"),
        ("ideas", "0003_one_timeline_finish"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="IdeaNotice"),
    ]
