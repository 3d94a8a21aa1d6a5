"""The maps of the Mängelmelder in a real browser: the list page's map loads clusters and markers
from the bbox endpoint, a marker's popup leads to the report; a click on the form's map fills the
position so that no address is needed. Both pages: 0 axe violations, no CSP errors. Without
JavaScript the maps stay hidden. The test machine has no network: tiles are answered locally."""

import base64
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from services.reports.models import Report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# a 1×1 PNG for every tile: the CSP must let the tile server's images in
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def tiles(page):
    requested: list[str] = []

    def answer(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE)

    page.route("https://tile.openstreetmap.org/**", answer)
    return requested


def test_the_list_map_shows_clusters_and_markers_that_lead_to_the_report(
    page, live_server, demo_site, axe, csp_errors, tiles
):
    page.goto(live_server.url + "/maengel/")
    axe(page)  # the box that asks before the map loads
    with page.expect_response(re.compile(r"/maengel/karte\.json\?")) as first_load:
        page.get_by_role("button", name="Karte laden").click()
    region = page.get_by_role("region", name="Karte der Meldungen")
    assert region.is_visible()
    assert page.get_by_text("Alle Meldungen finden Sie auch in der Liste unten.").is_visible()
    page.wait_for_selector(".map-cluster")
    page.wait_for_selector(".map-marker")
    assert tiles, "the tile layer asked for no tiles"
    # every published report in the map's box is on the map, alone or in a cluster (a cluster at
    # the edge counts its whole grid cell, so it may hold reports just outside the box too)
    bbox = parse_qs(urlsplit(first_load.value.url).query)["bbox"][0]
    west, south, east, north = (Decimal(v) for v in bbox.split(","))
    in_box = Report.objects.filter(
        is_published=True, latitude__range=(south, north), longitude__range=(west, east)
    ).count()
    counts = page.locator(".map-cluster__count").all_inner_texts()
    shown = sum(int(n) for n in counts) + page.locator(".map-marker").count()
    assert Report.objects.filter(is_published=True).count() >= shown >= in_box >= 3
    axe(page)

    # a marker is a button for the keyboard too; its popup links to the report page
    marker = page.locator(".map-marker").first
    title = marker.get_attribute("title")
    number = re.search(r"\d{4}-\d{6}", title).group(0)
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup").get_by_role("link", name="Meldung ansehen")
    link.wait_for()
    # Leaflet fades the popup in; axe must see it at full opacity
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    axe(page)
    link.click()
    page.wait_for_url(re.compile(rf"/maengel/{number}/"))

    # a cluster zooms in on click, until its reports stand alone
    page.go_back()
    cluster = page.locator(".map-cluster").first
    cluster.wait_for()
    grouped = int(cluster.inner_text())
    cluster.click()
    page.wait_for_function(
        """n => !document.querySelector('.map-cluster')
            && document.querySelectorAll('.map-marker').length >= n""",
        arg=grouped,
    )
    assert csp_errors == []


def test_the_list_map_follows_the_filters(page, live_server, demo_site, tiles):
    page.goto(live_server.url + "/maengel/?status=erledigt")
    page.get_by_role("button", name="Karte laden").click()
    page.wait_for_selector(".map-marker--gruen")
    assert page.locator(".map-marker").count() == page.locator(".map-marker--gruen").count()
    assert page.locator(".map-cluster").count() == 0


def test_a_click_on_the_form_map_sets_the_place_without_an_address(
    page, live_server, demo_site, axe, csp_errors, tiles
):
    page.goto(live_server.url + "/maengel/melden/")
    page.get_by_role("button", name="Karte laden").click()
    region = page.get_by_role("region", name="Karte zum Markieren des Orts")
    assert region.is_visible()
    axe(page)
    page.locator("label[for=id_category_0]").click()
    region.click()  # the middle of the map: the city centre
    assert page.locator("#id_latitude").input_value().startswith("51.44")
    assert page.locator("#id_longitude").input_value().startswith("7.56")
    assert "auf der Karte markiert" in page.locator("[data-location-map-status]").inner_text()
    assert page.locator(".map-marker--pin").is_visible()
    axe(page)

    # taken back: the address is needed again
    page.get_by_role("button", name="Markierung entfernen").click()
    assert page.locator("#id_latitude").input_value() == ""
    assert page.locator(".map-marker--pin").count() == 0

    # the keyboard: Enter on the focused map marks its centre
    region.focus()
    page.keyboard.press("Enter")
    assert page.locator("#id_latitude").input_value().startswith("51.44")

    page.locator("#id_description").fill("Schlagloch mitten auf der Straße")
    page.get_by_role("button", name="Weiter: Angaben prüfen").click()
    page.wait_for_selector("h1:has-text('Angaben prüfen')")
    axe(page)
    assert csp_errors == []


def test_without_javascript_the_maps_stay_hidden(browser, live_server, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/maengel/")
    assert not page.locator("#report-map").is_visible()
    assert page.locator(".card").count() > 0
    page.goto(live_server.url + "/maengel/melden/")
    assert not page.locator("#location-map").is_visible()
    context.close()
