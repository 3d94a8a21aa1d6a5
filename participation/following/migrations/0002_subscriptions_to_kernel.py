"""Project follows and Mitmachpool subscriptions move to the kernel's subscriptions
(portal.core.subscriptions), their e-mails to the outbox. Every subscription is kept with its
state (the pool's choice as its scope); every e-mail owed and not sent yet is owed in the outbox,
and every one sent is recorded as sent under the key the new scan uses, so that nothing is lost
and nothing is sent twice:

- unsent confirmation e-mails (a new, signed and expiring link) and settings links;
- notices: sent deliveries are recorded as sent; unsent deliveries, and the recipients of notices
  not completed yet, are owed.

The raw stored token goes: only its SHA-256 stays, so that the unsubscribe and settings links in
e-mails already sent keep working. Old confirmation links stop working (the person asks again).
"""

import hashlib

from django.db import migrations
from django.utils import timezone

PROJECT = "following.project"
POOL = "following.pool"
TEMPLATES = {
    "phase": "emails/following/follow_notice",
    "fortschritt": "emails/following/follow_notice",
    "ergebnis": "emails/following/follow_notice",
    "beteiligung": "emails/following/pool_news",
}


def _stamp(moment) -> int:
    return int(moment.timestamp() * 1000)


def _state(old) -> str:
    if old.unsubscribed_at is not None:
        return "ended"
    return "confirmed" if old.confirmed_at is not None else "pending"


def _notice_ids(notice) -> dict:
    ids = {"notice": notice.kind, "project": notice.project_id}
    prefix, _sep, pk = notice.object_key.partition(":")
    if prefix in ("phase", "update") and pk.isdigit():
        ids[prefix] = int(pk)
    return ids


def _pool_matches(subscription, project, through_fields, through_districts) -> bool:
    fields = set(
        through_fields.objects.filter(poolsubscription_id=subscription.pk).values_list(
            "fieldofaction_id", flat=True
        )
    )
    districts = set(
        through_districts.objects.filter(poolsubscription_id=subscription.pk).values_list(
            "district_id", flat=True
        )
    )
    if fields and project.field_of_action_id not in fields:
        return False
    project_districts = set(project.districts.values_list("pk", flat=True))
    return not (project_districts and districts and not project_districts & districts)


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Subscription = apps.get_model("core", "Subscription")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    ProjectFollow = apps.get_model("following", "ProjectFollow")
    PoolSubscription = apps.get_model("following", "PoolSubscription")
    ProjectNotice = apps.get_model("following", "ProjectNotice")
    NoticeDelivery = apps.get_model("following", "NoticeDelivery")
    ProjectPage = apps.get_model("projects", "ProjectPage")
    through_fields = PoolSubscription.fields_of_action.through
    through_districts = PoolSubscription.districts.through
    now = timezone.now()
    project_type, _created = ContentType.objects.get_or_create(
        app_label="projects", model="projectpage"
    )

    def owe(key, **fields):
        OutboxMessage.objects.get_or_create(key=key, defaults=fields)

    def move(old, kind, template, **fields):
        state = _state(old)
        subscription = Subscription.objects.create(
            kind=kind,
            email=old.email,
            user_id=old.user_id,
            state=state,
            created_at=old.created_at,
            confirmation_owed_at=old.confirmation_sent_at,
            confirmed_at=old.confirmed_at,
            ended_at=old.unsubscribed_at,
            legacy_token_hash=hashlib.sha256(old.token.encode()).hexdigest(),
            **fields,
        )
        if state == "pending" and old.confirmation_sent_at is None:
            subscription.confirmation_owed_at = now
            subscription.save(update_fields=["confirmation_owed_at"])
            owe(
                f"sub:{subscription.pk}:confirm:{_stamp(now)}",
                kind="subscriptions.confirm",
                recipient=old.email,
                template=template,
                context={"subscription": subscription.pk},
            )
        return subscription

    follows = {}
    for old in ProjectFollow.objects.order_by("pk").iterator():
        follows[old.pk] = move(
            old,
            PROJECT,
            "emails/following/follow_confirm",
            target_type=project_type,
            target_id=old.project_id,
        )
    pool = {}
    for old in PoolSubscription.objects.order_by("pk").iterator():
        scope = {
            "fields_of_action": sorted(
                through_fields.objects.filter(poolsubscription_id=old.pk).values_list(
                    "fieldofaction_id", flat=True
                )
            ),
            "districts": sorted(
                through_districts.objects.filter(poolsubscription_id=old.pk).values_list(
                    "district_id", flat=True
                )
            ),
        }
        subscription = move(old, POOL, "emails/following/pool_confirm", scope=scope)
        pool[old.pk] = subscription
        requested = old.settings_link_requested_at
        if (
            subscription.state == "confirmed"
            and requested is not None
            and (old.settings_link_sent_at is None or old.settings_link_sent_at < requested)
        ):
            owe(
                f"sub:{subscription.pk}:settings-link:{_stamp(requested)}",
                kind="subscriptions.notice",
                recipient=old.email,
                template="emails/following/pool_settings_link",
                context={"subscription": subscription.pk, "notice": "settings-link"},
                created_at=requested,
            )

    def owe_notice(notice, subscription, sent_at=None):
        key = f"{notice.kind}:{notice.object_key}"
        owe(
            f"sub:{subscription.pk}:{key}",
            kind="subscriptions.notice",
            recipient=subscription.email,
            template=TEMPLATES[notice.kind],
            context={"subscription": subscription.pk, **_notice_ids(notice)},
            created_at=notice.created_at,
            sent_at=sent_at,
        )

    for notice in ProjectNotice.objects.order_by("pk").iterator():
        told = set()
        for delivery in NoticeDelivery.objects.filter(notice=notice).order_by("pk"):
            if delivery.follow_id is not None:
                subscription = follows[delivery.follow_id]
            else:
                subscription = pool[delivery.subscription_id]
            told.add(subscription.pk)
            if delivery.sent_at is not None or subscription.state == "confirmed":
                owe_notice(notice, subscription, sent_at=delivery.sent_at)
        if notice.completed_at is not None:
            continue
        # not completed: the recipients the old task would still have written to
        if notice.kind == "beteiligung":
            project = ProjectPage.objects.filter(pk=notice.project_id).first()
            candidates = [
                pool[old.pk]
                for old in PoolSubscription.objects.filter(
                    confirmed_at__isnull=False, unsubscribed_at__isnull=True
                ).order_by("pk")
                if project is not None
                and _pool_matches(old, project, through_fields, through_districts)
            ]
        else:
            candidates = [
                follows[old.pk]
                for old in ProjectFollow.objects.filter(
                    project_id=notice.project_id,
                    confirmed_at__isnull=False,
                    unsubscribed_at__isnull=True,
                ).order_by("pk")
            ]
        for subscription in candidates:
            if subscription.pk not in told:
                owe_notice(notice, subscription)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_subscription"),
        ("following", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="NoticeDelivery"),
        migrations.DeleteModel(name="ProjectNotice"),
        migrations.DeleteModel(name="ProjectFollow"),
        migrations.DeleteModel(name="PoolSubscription"),
    ]
