"""Pool ideas from before the shared input model migrate with nothing lost: each keeps its id
(its page, its ticket), and its title, text, author, channel, offline name, place, district,
moderation state and supports live on its input (contributions.Idea, whose discussion target is
the pool idea); the public page, the list and the API show what they showed before."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from participation.contributions.models import Idea, Support
from participation.ideas.models import PoolIdea
from portal.departments.models import District
from tests.participation.ideas.factories import citizen, submitted_idea

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("contributions", "0005_delete_moderationnotice"),
    ("ideas", "0004_notices_to_subscriptions"),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_pool_ideas_and_supports_migrate_onto_the_input_with_nothing_lost(vorhabenliste):
    district = District.objects.filter(name="Ergste").first() or District.objects.create(
        name="Ergste", area={}
    )
    author = citizen(display_name="Kai Autor")
    staff = citizen(email="buero@example.org")
    supporters = [citizen(email=f"u{n}@example.org") for n in range(3)]
    bench = submitted_idea(author=author, title="Mehr Bänke am Ruhrufer", route=False)
    spam = submitted_idea(title="Billige Uhren", route=False)
    offline = submitted_idea(title="Bus auch sonntags", route=False)
    ids = {"bench": bench.pk, "spam": spam.pk, "offline": offline.pk}
    tickets = {name: idea.ticket_id for name, idea in (("bench", bench), ("spam", spam),
                                                       ("offline", offline))}  # fmt: skip
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        OldIdea = apps.get_model("ideas", "PoolIdea")
        OldSupport = apps.get_model("ideas", "PoolSupport")
        # the reverse migration copied every field back; now write the old shape's details
        OldIdea.objects.filter(pk=ids["bench"]).update(
            address="Ruhrufer, Höhe Freibad", latitude=Decimal("51.443210"),
            longitude=Decimal("7.565432"), district_id=district.pk, support_count=3,
        )  # fmt: skip
        OldIdea.objects.filter(pk=ids["spam"]).update(
            state="ausgeblendet", moderation_reason="Werbung"
        )
        OldIdea.objects.filter(pk=ids["offline"]).update(
            author_id=None, channel="telefon", offline_name="Frau Beispiel",
            entered_by_id=staff.pk,
        )  # fmt: skip
        for person in supporters:
            OldSupport.objects.create(idea_id=ids["bench"], user_id=person.pk)
        old_supports = set(OldSupport.objects.values_list("idea_id", "user_id", "created_at"))
        old_count = OldIdea.objects.count()
    finally:
        _migrate(latest)

    # every idea keeps its id and its ticket; its shared fields are its input's
    assert PoolIdea.objects.count() == old_count == 3
    for name, pk in ids.items():
        idea = PoolIdea.objects.get(pk=pk)
        assert idea.ticket_id == tickets[name]
        assert idea.input.target == idea
    bench = PoolIdea.objects.get(pk=ids["bench"])
    assert (bench.title, bench.author, bench.channel) == (
        "Mehr Bänke am Ruhrufer",
        author,
        "online",
    )
    assert (bench.address, bench.district) == ("Ruhrufer, Höhe Freibad", district)
    assert (bench.latitude, bench.longitude) == (Decimal("51.443210"), Decimal("7.565432"))
    assert bench.input.created_at == bench.submitted_at
    spam = PoolIdea.objects.get(pk=ids["spam"])
    assert (spam.state, spam.moderation_reason) == ("ausgeblendet", "Werbung")
    offline = PoolIdea.objects.get(pk=ids["offline"])
    assert (offline.author, offline.channel, offline.offline_name, offline.entered_by) == (
        None, "telefon", "Frau Beispiel", staff
    )  # fmt: skip
    # every support is a support of the input, with its time; the count is kept
    assert Support.objects.count() == len(old_supports)
    assert {
        (support.idea.pool_idea.pk, support.user_id, support.created_at)
        for support in Support.objects.select_related("idea__pool_idea")
    } == old_supports
    assert Idea.objects.get(pool_idea=bench).support_count == 3

    # what people see
    client = Client()
    page = client.get(f"/ideenpool/{ids['bench']}/").content.decode()
    assert "Mehr Bänke am Ruhrufer" in page and "Ergste" in page
    assert "Kai Autor" in page
    assert "3 von" in page
    hidden = client.get(f"/ideenpool/{ids['spam']}/").content.decode()
    assert "Ausgeblendete Idee" in hidden and "Billige Uhren" not in hidden
    listed = client.get("/ideenpool/").content.decode()
    assert "Mehr Bänke am Ruhrufer" in listed and "Billige Uhren" not in listed
    api = client.get(f"/api/v1/ideas/{ids['bench']}/").json()
    assert (api["id"], api["title"], api["support_count"]) == (
        ids["bench"], "Mehr Bänke am Ruhrufer", 3
    )  # fmt: skip
    assert api["district"]["name"] == "Ergste"
    supporter = Client()
    supporter.force_login(supporters[0])
    mine = supporter.get(f"/ideenpool/{ids['bench']}/").content.decode()
    assert "Sie unterstützen diese Idee" in mine
