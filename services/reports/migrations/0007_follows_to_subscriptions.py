"""The followers of reports move to the kernel's subscriptions (portal.core.subscriptions), their
e-mails to the outbox. Every follow is kept with its state; every e-mail owed and not sent yet is
owed in the outbox (nothing lost, nothing sent twice):

- unsent confirmation e-mails of pending follows (a new, signed and expiring link);
- unsent update e-mails, and public changes of the last two days a confirmed follower has not
  been told of (what the old relay would still have rung for); sent ones are recorded as sent;
- unsent confirmation e-mails of supports ("Ich bin auch betroffen").

The raw stored token goes: only its SHA-256 stays, so that the unsubscribe links in e-mails
already sent keep working. Old confirmation links (raw token, never expiring) stop working; a
pending follower asks again on the report page and gets a signed link.
"""

import hashlib
from datetime import timedelta

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

KIND = "reports.report"
WINDOW = timedelta(days=2)  # how far back the old relay looked


def _stamp(moment) -> int:
    return int(moment.timestamp() * 1000)


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Subscription = apps.get_model("core", "Subscription")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    ReportFollow = apps.get_model("reports", "ReportFollow")
    ReportFollowDelivery = apps.get_model("reports", "ReportFollowDelivery")
    ReportSupport = apps.get_model("reports", "ReportSupport")
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    now = timezone.now()
    report_type, _created = ContentType.objects.get_or_create(app_label="reports", model="report")

    def owe(key, **fields):
        OutboxMessage.objects.get_or_create(key=key, defaults=fields)

    new_ids = {}
    for follow in ReportFollow.objects.order_by("pk").iterator():
        if follow.unsubscribed_at is not None:
            state = "ended"
        elif follow.confirmed_at is not None:
            state = "confirmed"
        else:
            state = "pending"
        subscription = Subscription.objects.create(
            kind=KIND,
            target_type=report_type,
            target_id=follow.report_id,
            email=follow.email,
            user_id=follow.user_id,
            state=state,
            created_at=follow.created_at,
            confirmation_owed_at=follow.confirmation_sent_at,
            confirmed_at=follow.confirmed_at,
            ended_at=follow.unsubscribed_at,
            legacy_token_hash=hashlib.sha256(follow.token.encode()).hexdigest(),
        )
        new_ids[follow.pk] = subscription.pk
        if state == "pending" and follow.confirmation_sent_at is None:
            subscription.confirmation_owed_at = now
            subscription.save(update_fields=["confirmation_owed_at"])
            owe(
                f"sub:{subscription.pk}:confirm:{_stamp(now)}",
                kind="subscriptions.confirm",
                recipient=follow.email,
                template="emails/reports/follow_confirm",
                context={"subscription": subscription.pk},
            )

    def owe_update(follow_id, event_id, created_at, sent_at=None):
        subscription_id = new_ids[follow_id]
        owe(
            f"sub:{subscription_id}:event:{event_id}",
            kind="subscriptions.notice",
            recipient=ReportFollow.objects.get(pk=follow_id).email,
            template="emails/reports/follow_update",
            context={"subscription": subscription_id, "event": event_id},
            created_at=created_at,
            sent_at=sent_at,
        )

    # sent ones are recorded as sent under the same key: owing them again sends nothing
    for delivery in ReportFollowDelivery.objects.order_by("pk"):
        owe_update(delivery.follow_id, delivery.event_id, delivery.created_at, delivery.sent_at)
    # the relay's work: recent public changes a confirmed follower was never told of
    events = (
        TicketEvent.objects.filter(ticket__source_kind="maengel", created_at__gte=now - WINDOW)
        .filter(Q(kind="status") | ~Q(public_message=""))
        .exclude(kind="created")
    )
    for event in events.order_by("pk"):
        followers = ReportFollow.objects.filter(
            report__ticket_id=event.ticket_id,
            report__is_published=True,
            confirmed_at__isnull=False,
            confirmed_at__lte=event.created_at,
            unsubscribed_at__isnull=True,
        ).exclude(pk__in=ReportFollowDelivery.objects.filter(event=event).values("follow_id"))
        for follow in followers.order_by("pk"):
            owe_update(follow.pk, event.pk, event.created_at)

    supports = ReportSupport.objects.filter(
        confirmation_sent_at__isnull=True,
        confirmed_at__isnull=True,
        created_at__gte=now - WINDOW,
    ).exclude(email="")
    for support in supports.order_by("pk"):
        owe(
            f"reports.support_confirm:{support.pk}:{_stamp(support.created_at)}",
            kind="reports.support_confirm",
            recipient=support.email,
            template="emails/reports/support_confirm",
            context={"support": support.pk},
            created_at=support.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_subscription"),
        ("reports", "0006_report_photo_draft"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="ReportFollowDelivery"),
        migrations.DeleteModel(name="ReportFollow"),
        migrations.RemoveField(model_name="reportsupport", name="confirmation_sent_at"),
    ]
