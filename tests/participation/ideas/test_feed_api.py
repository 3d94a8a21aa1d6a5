"""The Atom feed `/ideenpool/feed/` and the API `/api/v1/ideas/`: visible ideas only, their stage
and supports, and nothing about the people behind them."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.contributions.models import Idea
from participation.ideas.constants import Stage
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_hide, idea_submit, stage_change
from tests.factories import DistrictFactory
from tests.participation.factories import field_of_action, project

from .factories import citizen, many_ideas, submitted_idea

# query counts measure the rendering of what is asked for twice
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_parts_off")]

FEED = "/ideenpool/feed/"
API = "/api/v1/ideas/"
ATOM = "{http://www.w3.org/2005/Atom}"
START = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())

LIST_FIELDS = {
    "id", "title", "text", "stage", "stage_label", "stage_reason", "field_of_action", "district",
    "submitted_at", "support_count", "support_ends_at", "quorum", "quorum_reached_at", "url",
    "became", "improves",
}  # fmt: skip


@pytest.fixture(autouse=True)
def schwerte_rule(settings):
    settings.IDEAS_QUORUM_SUPPORTS = 75
    settings.IDEAS_SUPPORT_WEEKS = 6


@pytest.fixture
def pool(clerk, mitmachbuero, vorhabenliste):
    mobility = field_of_action("ZM 02", "Mobilität")
    green = field_of_action("ZM 05", "Grün in der Stadt")
    ergste = DistrictFactory(name="Ergste")
    public = project(title="Ruhrufer neu gestalten", slug="ruhrufer")
    draft = project(title="Geheimer Entwurf", slug="entwurf", live=False)
    author = citizen(display_name="Ruhrfreundin", first_name="Erika", last_name="Musterfrau")
    with time_machine.travel(START, tick=False) as clock:
        bank = submitted_idea(author=author, title="Mehr Bänke am Ruhrufer", field_of_action=green,
                              improves=public)  # fmt: skip
        clock.shift(timedelta(days=1))
        radweg = submitted_idea(title="Radweg nach Ergste", field_of_action=mobility,
                                district=ergste)  # fmt: skip
        clock.shift(timedelta(days=1))
        laterne = submitted_idea(title="Laternen im Park", field_of_action=green)
        clock.shift(timedelta(days=1))
        offline = idea_submit(
            actor=mitmachbuero, title="Trinkbrunnen am Markt", text="Im Sommer wäre das gut.",
            field_of_action=green, channel="mitmachbuero", offline_name="Frau Meier",
        )  # fmt: skip
        clock.shift(timedelta(days=1))
        spam = submitted_idea(title="Kaufen Sie Uhren", field_of_action=green)
        clock.shift(timedelta(days=1))
        stage_change(actor=clerk, idea=laterne, stage=Stage.INADMISSIBLE,
                     public_text="Dafür ist der Kreis zuständig.")  # fmt: skip
        stage_change(actor=clerk, idea=radweg, stage=Stage.ADMISSIBLE,
                     public_text="Zulässig; das Tiefbauamt prüft.")  # fmt: skip
        idea_hide(actor=mitmachbuero, idea=spam, reason="Werbung")
    PoolIdea.objects.filter(pk=radweg.pk).update(
        quorum_reached_at=START + timedelta(days=3), became=draft
    )
    Idea.objects.filter(pool_idea=radweg).update(support_count=80)
    Idea.objects.filter(pool_idea=bank).update(support_count=12)
    return {
        "bank": bank, "radweg": radweg, "laterne": laterne, "offline": offline, "spam": spam,
        "author": author, "mobility": mobility, "green": green, "ergste": ergste,
        "public": public, "draft": draft,
    }  # fmt: skip


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [idea["id"] for idea in response.json()["results"]]


# --- feed -----------------------------------------------------------------------------------------
def test_the_feed_is_atom_with_the_visible_ideas_and_their_stage(client, pool):
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title").startswith("Ideenpool")
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [
        "Trinkbrunnen am Markt",
        "Laternen im Park",
        "Radweg nach Ergste",
        "Mehr Bänke am Ruhrufer",
    ]
    laterne = entries[1]
    assert (
        laterne.find(f"{ATOM}link").get("href")
        == f"http://testserver/ideenpool/{pool['laterne'].pk}/"
    )
    assert "Stufe: Vorprüfung: unzulässig" in laterne.findtext(f"{ATOM}summary")
    assert laterne.find(f"{ATOM}category").get("term") == "Grün in der Stadt"
    text = response.content.decode()
    assert "Kaufen Sie Uhren" not in text
    for secret in ("Ruhrfreundin", "Erika", "Frau Meier", pool["author"].email):
        assert secret not in text


def test_the_feed_has_the_50_newest(client):
    many_ideas(60)
    entries = ET.fromstring(client.get(FEED).content).findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert entries[0].findtext(f"{ATOM}title") == "Idee 0"


def test_the_list_page_links_the_feed(client, pool):
    page = client.get("/ideenpool/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/ideenpool/feed/"' in page
    assert 'href="/ideenpool/feed/" type="application/atom+xml"' in page


# --- API ------------------------------------------------------------------------------------------
def test_the_list_has_the_visible_ideas_and_their_fields(client, pool):
    response = client.get(API)
    data = response.json()
    assert data["count"] == 4
    assert ids(response) == [pool[name].pk for name in ("offline", "laterne", "radweg", "bank")]
    radweg = next(idea for idea in data["results"] if idea["id"] == pool["radweg"].pk)
    assert set(radweg) == LIST_FIELDS
    assert radweg["title"] == "Radweg nach Ergste"
    assert radweg["stage"] == "zulaessig" and radweg["stage_label"] == "Vorprüfung: zulässig"
    assert radweg["stage_reason"] == ""
    assert radweg["field_of_action"] == {
        "id": pool["mobility"].pk, "code": "ZM 02", "name": "Mobilität",
    }  # fmt: skip
    assert radweg["district"] == {"id": pool["ergste"].pk, "name": "Ergste"}
    assert radweg["support_count"] == 80 and radweg["quorum"] == 75
    assert radweg["quorum_reached_at"] is not None
    assert radweg["support_ends_at"].startswith("2026-04-14T09:00:00")
    assert radweg["url"] == f"http://testserver/ideenpool/{pool['radweg'].pk}/"
    assert radweg["became"] is None  # a draft Vorhaben is not linked
    bank = next(idea for idea in data["results"] if idea["id"] == pool["bank"].pk)
    assert bank["improves"] == {
        "title": "Ruhrufer neu gestalten",
        "url": "http://testserver/vorhabenliste/ruhrufer/",
    }
    laterne = next(idea for idea in data["results"] if idea["id"] == pool["laterne"].pk)
    assert laterne["stage_reason"] == "Dafür ist der Kreis zuständig."
    assert "timeline" not in laterne


def test_the_detail_has_the_timeline(client, pool):
    response = client.get(f"{API}{pool['radweg'].pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == LIST_FIELDS | {"timeline"}
    assert [step["label"] for step in data["timeline"]] == [
        "Idee eingereicht",
        "Vorprüfung: zulässig",
    ]
    assert data["timeline"][1]["text"] == "Zulässig; das Tiefbauamt prüft."
    assert data["timeline"][1]["to_stage"] == "zulaessig"
    assert client.get(f"{API}{pool['spam'].pk}/").status_code == 404
    assert client.get(f"{API}999999/").status_code == 404
    assert client.get(f"{API}abc/").status_code == 404


def test_no_personal_data_and_no_ticket_data(client, pool):
    listing = json.dumps(client.get(API).json(), ensure_ascii=False)
    detail = json.dumps(client.get(f"{API}{pool['bank'].pk}/").json(), ensure_ascii=False)
    for text in (listing, detail):
        for secret in ("Ruhrfreundin", "Erika", "Musterfrau", "Frau Meier",
                       pool["author"].email, "author", "offline_name", "entered_by",
                       "ticket", "channel"):  # fmt: skip
            assert secret not in text
    number = PoolIdea.objects.select_related("input__ticket").get(pk=pool["bank"].pk).ticket.number
    assert number not in listing and number not in detail


def test_filters_and_ordering(client, pool):
    assert ids(client.get(API, {"stage": "unzulaessig"})) == [pool["laterne"].pk]
    assert ids(client.get(API, {"field_of_action": pool["mobility"].pk})) == [pool["radweg"].pk]
    assert ids(client.get(API, {"district": pool["ergste"].pk})) == [pool["radweg"].pk]
    assert ids(client.get(API, {"quorum_reached": "true"})) == [pool["radweg"].pk]
    assert ids(client.get(API, {"ordering": "unterstuetzt"}))[:2] == [
        pool["radweg"].pk,
        pool["bank"].pk,
    ]
    with time_machine.travel(START + timedelta(days=10), tick=False):
        # only ideas that can still be supported, the one that ends first first
        assert ids(client.get(API, {"ordering": "endet_bald"})) == [
            pool["bank"].pk,
            pool["radweg"].pk,
            pool["offline"].pk,
        ]
    response = client.get(API, {"stage": "erfunden"})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["stage"]
    assert client.get(API, {"ordering": "zufall"}).status_code == 400


def test_read_only(client, pool):
    assert client.post(API, {"title": "Neu"}).status_code in (403, 405)
    client.force_login(citizen())
    response = client.post(API, {"title": "Neu"}, content_type="application/json")
    assert response.status_code == 405
    assert PoolIdea.objects.count() == 5


def test_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/ideas/" in schema["paths"]
    assert "/api/v1/ideas/{id}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/ideas/"]["get"]["parameters"]}
    assert {"stage", "field_of_action", "district", "ordering", "limit", "offset"} <= parameters


def test_the_list_needs_the_same_queries_for_5_and_60_ideas(client, vorhabenliste, page_cache_off):
    public = project(title="Ruhrufer neu gestalten", slug="ruhrufer")
    district = DistrictFactory()
    many_ideas(5, district=district)
    PoolIdea.objects.update(improves=public, became=public)
    client.get(API)  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get(API))) == 5
    many_ideas(55, district=district)
    PoolIdea.objects.update(improves=public, became=public)
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get(API))) == 50
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
    assert not [q for q in many.captured_queries if "contributions_support" in q["sql"]]
