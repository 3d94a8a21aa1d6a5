"""The Atom feeds of published reports: all, per district, per category."""

from decimal import Decimal

import pytest
from defusedxml import ElementTree

from portal.tickets.constants import PublishMode, TicketStatus
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DistrictFactory, square

from .test_follow import change_status, make_category, make_report

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NAME = "Xaver Geheimname"
EMAIL = "xaver.geheim@example.org"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.find(f"{ATOM}author/{ATOM}name").text  # the city, so entries need none
    return root


def entries(root) -> list[dict]:
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        found.append(
            {
                "title": entry.find(f"{ATOM}title").text,
                "summary": entry.find(f"{ATOM}summary").text,
                "link": entry.find(f"{ATOM}link").get("href"),
            }
        )
    return found


@pytest.fixture
def city(db):
    west = DistrictFactory(name="Westen", area=square(7.50, 51.40, 0.05))
    east = DistrictFactory(name="Osten", area=square(7.55, 51.40, 0.05))
    return west, east


def submit(category, lon, **kwargs):
    return report_submit(
        category=category, description=kwargs.pop("description", "Defekt"),
        latitude=Decimal("51.42"), longitude=Decimal(lon), name=NAME, email=EMAIL, **kwargs,
    )  # fmt: skip


def test_feed_of_all_published_reports(client, city):
    lights = CategoryFactory(name="Beleuchtung", slug="licht", publish_mode=PublishMode.IMMEDIATE)
    hidden = CategoryFactory(slug="muell", publish_mode=PublishMode.AFTER_REVIEW)
    report = submit(lights, "7.52", address="Hagener Str. 12", description="Lampe <b>aus</b>")
    unpublished = submit(hidden, "7.52", description="Geheimer Müll")
    response = client.get("/maengel/feed/")
    root = parse(response)
    assert root.find(f"{ATOM}title").text.startswith("Mängelmeldungen")
    [entry] = entries(root)
    assert entry["title"] == "Beleuchtung: Hagener Str. 12"
    assert entry["link"] == f"http://testserver/maengel/{report.ticket.number}/"
    # the summary is HTML for the reader: the citizen's markup arrives escaped
    assert "Lampe &lt;b&gt;aus&lt;/b&gt;" in entry["summary"]
    assert "Status: eingegangen" in entry["summary"]
    text = response.content.decode()
    assert unpublished.ticket.number not in text and "Geheimer Müll" not in text
    assert NAME not in text and EMAIL not in text


def test_status_label_follows_the_ticket(client, city, django_capture_on_commit_callbacks):
    category = make_category(name="Schlaglöcher")
    report = make_report(category)
    change_status(report, django_capture_on_commit_callbacks, status=TicketStatus.DONE)
    [entry] = entries(parse(client.get("/maengel/feed/")))
    assert "Status: erledigt" in entry["summary"]


def test_district_and_category_feeds_filter(client, city):
    west, east = city
    lights = CategoryFactory(name="Beleuchtung", slug="licht", publish_mode=PublishMode.IMMEDIATE)
    holes = CategoryFactory(name="Schlagloch", slug="loch", publish_mode=PublishMode.IMMEDIATE)
    west_light = submit(lights, "7.52")
    east_light = submit(lights, "7.57")
    west_hole = submit(holes, "7.52")

    def numbers(url):
        return {e["link"].rstrip("/").rsplit("/", 1)[1] for e in entries(parse(client.get(url)))}

    assert numbers(f"/maengel/feed/stadtteil/{west.pk}/") == {
        west_light.ticket.number,
        west_hole.ticket.number,
    }
    assert numbers(f"/maengel/feed/stadtteil/{east.pk}/") == {east_light.ticket.number}
    assert numbers("/maengel/feed/kategorie/licht/") == {
        west_light.ticket.number,
        east_light.ticket.number,
    }
    root = parse(client.get("/maengel/feed/kategorie/loch/"))
    assert "Schlagloch" in root.find(f"{ATOM}title").text
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href").endswith("?kategorie=loch")
    assert client.get("/maengel/feed/kategorie/gibtsnicht/").status_code == 404
    assert client.get("/maengel/feed/stadtteil/999999/").status_code == 404


def test_newest_fifty_in_constant_queries(client, city, django_assert_max_num_queries):
    lights = CategoryFactory(slug="licht", publish_mode=PublishMode.IMMEDIATE)
    reports = [submit(lights, "7.52", description=f"Nr. {i}") for i in range(60)]
    with django_assert_max_num_queries(3):
        response = client.get("/maengel/feed/")
    found = entries(parse(response))
    assert len(found) == 50
    assert found[0]["link"].endswith(f"/{reports[-1].ticket.number}/")
    with django_assert_max_num_queries(4):
        assert len(entries(parse(client.get("/maengel/feed/kategorie/licht/")))) == 50


def test_list_page_links_its_feeds(client, city):
    west, _east = city
    CategoryFactory(name="Beleuchtung", slug="licht", publish_mode=PublishMode.IMMEDIATE)
    text = client.get("/maengel/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/maengel/feed/"' in text
    assert "Feed abonnieren" in text
    text = client.get("/maengel/", {"kategorie": "licht", "stadtteil": west.pk}).content.decode()
    assert 'href="/maengel/feed/kategorie/licht/"' in text
    assert f'href="/maengel/feed/stadtteil/{west.pk}/"' in text
    assert text.count('rel="alternate" type="application/atom+xml"') == 3
