"""The demo Ideenpool: six ideas at different stages, answered by the Stabsstelle Smart City's
demo clerk, reached from the home page; loading the demo again changes nothing."""

import io

import pytest
from django.core.management import call_command

from demo.content import ideas as demo
from participation.contributions.constants import ModerationState
from participation.contributions.models import Support
from participation.ideas.constants import Stage, Step
from participation.ideas.models import PoolIdea, PoolStatistics
from participation.ideas.rules import allowed
from participation.ideas.services import idea_category, support_refusal
from portal.accounts.models import User
from portal.cms.models import HomePage, StandardPage
from portal.core.models import OutboxMessage, Subscription
from portal.tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    stats = PoolStatistics.objects.get(pk=1)
    return {
        "ideas": PoolIdea.objects.count(),
        "supports": Support.objects.filter(idea__pool_idea__isnull=False).count(),
        "events": TicketEvent.objects.count(),
        "notices": OutboxMessage.objects.filter(kind="subscriptions.notice").count(),
        "subscriptions": Subscription.objects.count(),
        "users": User.objects.count(),
        "counters": (stats.submitted, stats.admissible, stats.implemented, stats.rejected),
    }


def idea(title: str) -> PoolIdea:
    return PoolIdea.objects.select_related("input__ticket__department", "became").get(
        input__title=title
    )


def test_load_demo_twice_changes_nothing(demo_site):
    before = snapshot()
    assert before["ideas"] == 6
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == before
    assert "Ideenpool" not in out.getvalue()


def test_demo_ideas_stand_at_their_stages(demo_site, settings):
    waiting = idea("Trinkbrunnen in der Innenstadt")
    assert waiting.stage == Stage.SUBMITTED

    admissible = idea("Mitfahrbänke für Lichtendorf und Geisecke")
    assert admissible.stage == Stage.ADMISSIBLE
    assert 0 < admissible.support_count < settings.IDEAS_QUORUM_SUPPORTS
    assert support_refusal(admissible) is None
    # the demo citizen is free to support it (a browser test does)
    bernd = User.objects.get(email="buerger@schwerte.example")
    assert not Support.objects.filter(idea__pool_idea=admissible, user=bernd).exists()
    assert admissible.author != bernd

    quorum = idea("Freies WLAN auf dem Marktplatz und im Freibad")
    assert quorum.quorum_reached_at is not None
    assert quorum.support_count == settings.IDEAS_QUORUM_SUPPORTS
    assert quorum.stage == Stage.REVIEW
    assert TicketEvent.objects.filter(ticket=quorum.ticket, public_status=Step.QUORUM).count() == 1

    rejected = idea("Kostenlos parken im Parkhaus am Rathaus")
    assert rejected.stage == Stage.REJECTED
    assert "Parkgebührenordnung" in rejected.stage_reason

    implemented = idea("Mehr Schatten und Sitzplätze auf dem Marktplatz")
    assert implemented.stage == Stage.IMPLEMENTATION
    assert implemented.became.title == "Neugestaltung des Marktplatzes"

    offline = idea(demo.OFFLINE_IDEA["title"])
    assert (offline.channel, offline.author) == ("mitmachbuero", None)
    assert offline.offline_name and offline.entered_by.is_superuser

    # all from different citizens, all visible, all routed to the Stabsstelle Smart City
    authors = [i.author_id for i in PoolIdea.objects.exclude(input__author=None)]
    assert len(set(authors)) == len(authors) == 5
    assert not PoolIdea.objects.exclude(input__state=ModerationState.VISIBLE).exists()
    departments = {
        i.ticket.department.name
        for i in PoolIdea.objects.select_related("input__ticket__department")
    }
    assert departments == {"Stabsstelle Smart City"}


def test_demo_clerk_handles_the_pool(demo_site):
    assert idea_category().default_department.name == "Stabsstelle Smart City"
    clerk = User.objects.get(email=demo.CLERK[0])
    assert clerk.check_password(demo.CLERK[1])
    assert clerk.has_perm("wagtailadmin.access_admin")
    assert allowed("ideas.handle", clerk, idea("Trinkbrunnen in der Innenstadt"))
    assert not allowed("ideas.enter_offline", clerk)
    # the supporters made for the quorum cannot log in
    supporter = User.objects.get(email="unterstuetzer-01@schwerte.example")
    assert not supporter.has_usable_password()


def test_the_pool_is_reached_from_the_home_page(demo_site):
    home = HomePage.objects.get()
    tiles = [tile["value"] for tile in home.tiles.raw_data]
    assert any(tile["url"] == "/ideenpool/" and not tile["page"] for tile in tiles)
    ideas_page = StandardPage.objects.get(slug="ideen")
    assert 'href="/ideenpool/"' in str(ideas_page.body)
    # the Vorhabenliste's tile is untouched
    assert any(tile["icon"] == "participate" and tile["page"] for tile in tiles)
