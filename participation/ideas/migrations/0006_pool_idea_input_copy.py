"""Step 2 of 3 (see 0005): every pool idea gets its shared input, every PoolSupport becomes a
contributions.Support (and back)."""

from django.db import migrations

SHARED = (
    "title",
    "text",
    "author_id",
    "channel",
    "offline_name",
    "entered_by_id",
    "state",
    "moderation_reason",
    "address",
    "latitude",
    "longitude",
    "district_id",
    "support_count",
    "ticket_id",
)


def pool_type(apps):
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label="ideas", model="poolidea")[0]


def forwards(apps, schema_editor):
    PoolIdea = apps.get_model("ideas", "PoolIdea")
    PoolSupport = apps.get_model("ideas", "PoolSupport")
    Idea = apps.get_model("contributions", "Idea")
    Support = apps.get_model("contributions", "Support")
    ct = pool_type(apps)
    inputs = {}
    for pool in PoolIdea.objects.order_by("pk").iterator():
        shared = {name: getattr(pool, name) for name in SHARED}
        idea = Idea.objects.create(
            target_type=ct, target_id=pool.pk, created_at=pool.submitted_at, **shared
        )
        PoolIdea.objects.filter(pk=pool.pk).update(input=idea)
        inputs[pool.pk] = idea.pk
    batch = []
    for support in PoolSupport.objects.order_by("pk").iterator():
        batch.append(
            Support(
                idea_id=inputs[support.idea_id],
                user_id=support.user_id,
                created_at=support.created_at,
            )
        )
        if len(batch) >= 2000:
            Support.objects.bulk_create(batch)
            batch = []
    Support.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    PoolIdea = apps.get_model("ideas", "PoolIdea")
    PoolSupport = apps.get_model("ideas", "PoolSupport")
    Idea = apps.get_model("contributions", "Idea")
    Support = apps.get_model("contributions", "Support")
    for pool in PoolIdea.objects.select_related("input").order_by("pk").iterator():
        shared = {name: getattr(pool.input, name) for name in SHARED}
        PoolIdea.objects.filter(pk=pool.pk).update(**shared)
        PoolSupport.objects.bulk_create(
            PoolSupport(idea_id=pool.pk, user_id=support.user_id, created_at=support.created_at)
            for support in Support.objects.filter(idea_id=pool.input_id)
        )
    input_ids = list(PoolIdea.objects.values_list("input_id", flat=True))
    PoolIdea.objects.update(input=None)
    Idea.objects.filter(pk__in=input_ids).update(ticket=None)
    Idea.objects.filter(pk__in=input_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0005_pool_idea_input"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
