"""The list of the Ideenpool with 10,000 ideas and 200,000 supports renders in the same number of
queries as with 30, and never counts supports: the only queries of the page that read the supports
table are, for a signed-in person, "do I support any idea" (one row at most) and "which of the
ideas on this page do I support".

The pool is built once for the module (in one transaction, rolled back at its end): the numbers
of queries with 30 ideas are measured first, then the pool grows to its full size.
"""

import re

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from participation.contributions.models import Idea, Support
from participation.ideas.models import PoolIdea
from tests.participation.factories import field_of_action

from .factories import analyze, citizen, many_ideas

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LIST = "/ideenpool/"
SMALL = 30
BIG = 10_000
SUPPORTS_EACH = 20
# filters' choices, count, page, "any of mine", "mine", and the frame (session, user, site,
# menu, settings): a query per card would add 20
MAX_LIST_QUERIES = 15
VIEWER_SUPPORTS = 200  # the newest ideas and some of the most supported, on every sorting's page 1
VARIANTS = [
    (who, sort)
    for who in ("anonym", "angemeldet")
    for sort in ("neueste", "unterstuetzt", "endet_bald")
]


def support_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "contributions_support" in query["sql"]]


@override_settings(PORTAL_PAGE_CACHE_SECONDS=0)  # the rendering is measured, not the page cache
def measure(client: Client, sort: str):
    client.get(LIST, {"sortierung": sort})  # warm the caches of the page's frame
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST, {"sortierung": sort})
    assert response.status_code == 200
    return context.captured_queries, response.content.decode()


def viewer_supports(viewer, idea_ids) -> None:
    inputs = PoolIdea.objects.filter(pk__in=idea_ids).values_list("input_id", flat=True)
    Support.objects.bulk_create(Support(idea_id=pk, user=viewer) for pk in inputs)


@pytest.fixture(scope="module")
def pool(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            field = field_of_action("ZM 99", "Stadtleben")
            viewer = citizen(display_name="Leserin")
            clients = {"anonym": Client(), "angemeldet": Client()}
            clients["angemeldet"].force_login(viewer)

            small_ids = many_ideas(SMALL, supports_each=SUPPORTS_EACH, field=field)
            viewer_supports(viewer, small_ids[:10])
            small = {(who, sort): len(measure(clients[who], sort)[0]) for who, sort in VARIANTS}

            big_ids = many_ideas(BIG - SMALL, supports_each=SUPPORTS_EACH, field=field)
            # a few ideas far ahead, so that "meiste Unterstützungen" has a page of its own
            Idea.objects.filter(pool_idea__in=big_ids[-5:]).update(support_count=500)
            viewer_supports(viewer, big_ids[:VIEWER_SUPPORTS] + big_ids[-5:])
            analyze(Idea, Support, PoolIdea)
            yield {"small": small, "clients": clients}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_the_pool_has_its_full_size(pool):
    assert PoolIdea.objects.count() == BIG
    assert Support.objects.count() >= BIG * SUPPORTS_EACH


@pytest.mark.parametrize(("who", "sort"), VARIANTS)
def test_the_list_needs_as_many_queries_as_with_30_ideas(pool, who, sort):
    queries, page = measure(pool["clients"][who], sort)
    few = pool["small"][(who, sort)]
    assert len(queries) == few, f"{few} queries with {SMALL} ideas, {len(queries)} with {BIG}"
    assert len(queries) <= MAX_LIST_QUERIES, [query["sql"] for query in queries]
    assert page.count('class="card pool-card"') == 20
    assert re.search(r"10\.?000 Ideen", page)


@pytest.mark.parametrize(("who", "sort"), VARIANTS)
def test_supports_are_never_counted_per_row(pool, who, sort):
    queries, page = measure(pool["clients"][who], sort)
    reads = support_queries(queries)
    if who == "anonym":
        assert reads == []
        assert "Sie unterstützen diese Idee" not in page
        return
    assert len(reads) == 2, reads
    any_support, mine = reads
    for read in reads:
        assert "COUNT(" not in read.upper()
        assert '"user_id" =' in read
    assert "LIMIT 1" in any_support.upper()
    assert " IN (" in mine
    # the page marks the ideas this person supports
    assert "Sie unterstützen diese Idee" in page
    quorum = settings.IDEAS_QUORUM_SUPPORTS
    assert re.search(rf"(20|500) von {quorum} Unterstützungen", page)
