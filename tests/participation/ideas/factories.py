"""Builders for Ideenpool tests."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from participation.contributions.models import Idea, Support
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_submit
from portal.accounts.models import TrustLevel
from portal.tickets.services import ticket_route
from tests.factories import UserFactory

from ..factories import field_of_action


def citizen(**fields):
    """A person with a confirmed e-mail address (trust level 1), as allauth leaves them."""
    fields.setdefault("trust_level", TrustLevel.EMAIL_CONFIRMED)
    return UserFactory(**fields)


def citizens(count: int) -> list:
    return [citizen() for _ in range(count)]


def submitted_idea(*, author=None, route=True, **fields) -> PoolIdea:
    """An idea as a citizen submits it (with its ticket), routed unless `route=False`."""
    author = author or citizen()
    fields.setdefault("title", "Mehr Bänke am Ruhrufer")
    fields.setdefault("text", "Zwischen Brücke und Freibad fehlen Sitzgelegenheiten.")
    fields.setdefault("field_of_action", field_of_action())
    idea = idea_submit(actor=author, **fields)
    if route:
        ticket_route(ticket_id=idea.ticket_id)
    return PoolIdea.objects.select_related("input__ticket").get(pk=idea.pk)


def many_ideas(count: int, *, supports_each: int = 0, field=None, district=None) -> list[int]:
    """`count` ideas written in bulk (no tickets: list and query-count tests), each on its input
    with `supports_each` supports by distinct users and a matching support_count."""
    field = field or field_of_action()
    now = timezone.now()
    pool_type = ContentType.objects.get_for_model(PoolIdea)
    inputs = Idea.objects.bulk_create(
        [
            Idea(
                target_type=pool_type,
                target_id=0,
                title=f"Idee {n}",
                text=f"Beschreibung der Idee {n}",
                district=district,
                created_at=now - timedelta(minutes=n),
                support_count=supports_each,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    ideas = PoolIdea.objects.bulk_create(
        [
            PoolIdea(
                input=shared,
                field_of_action=field,
                submitted_at=now - timedelta(minutes=n),
                support_ends_at=now
                - timedelta(minutes=n)
                + timedelta(weeks=settings.IDEAS_SUPPORT_WEEKS),
            )
            for n, shared in enumerate(inputs)
        ],
        batch_size=2000,
    )
    analyze(Idea, PoolIdea)
    # each input's discussion target is its pool idea
    Idea.objects.filter(target_type=pool_type, target_id=0).update(
        target_id=Subquery(PoolIdea.objects.filter(input=OuterRef("pk")).values("pk")[:1])
    )
    if supports_each:
        users = UserFactory.create_batch(supports_each, confirmed=False)
        Support.objects.bulk_create(
            [Support(idea=shared, user=user) for shared in inputs for user in users],
            batch_size=5000,
        )
        analyze(Support)
    return [idea.pk for idea in ideas]


def analyze(*models) -> None:
    """Statistics of tables just filled in bulk, as autovacuum keeps them on a running site. Inside
    a test's never-committed transaction it cannot, and PostgreSQL would plan for the empty tables
    it last saw: an update over 10,000 rows took minutes instead of milliseconds."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
