"""The Vorhabenliste in Debian's Chromium: from the home page to the list, filter, map and its
equivalent list, then a project page with its timeline; axe on every page, no CSP errors.
The test machine has no network: map tiles are answered locally."""

import base64
import re

import pytest
from playwright.sync_api import expect

from participation.projects.models import ProjectPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def tiles(page):
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_citizen_finds_a_project_and_its_running_consultation(
    page, live_server, demo_site, axe, csp_errors, tiles, viewport
):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(live_server.url + "/")
    page.locator("main").get_by_role("link", name="Mitmachen").click()
    assert page.url.endswith("/vorhabenliste/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vorhabenliste"
    assert "Alle 30 Vorhaben" in page.locator("#project-results-title").inner_text()

    # the map asks before tiles come from another host; then it shows the projects that have a
    # place, and each marker's project is in the list
    axe(page)
    page.get_by_role("button", name="Karte laden").click()
    region = page.get_by_role("region", name="Karte der Vorhaben")
    region.wait_for()
    page.wait_for_selector(".map-marker")
    assert "Die Karte zeigt" in page.locator("[data-project-map-status]").inner_text()
    axe(page)
    assert no_horizontal_scroll(page)

    # filter "Beteiligung läuft": a plain GET form
    page.get_by_label("Nur Vorhaben, bei denen Beteiligung läuft").check()
    page.get_by_role("button", name="Vorhaben anzeigen").click()
    assert "beteiligung=on" in page.url
    results = page.locator(".project-list .card__title").all_inner_texts()
    assert "Neugestaltung des Marktplatzes" in results
    page.wait_for_selector(".map-marker")
    marker_titles = [
        page.locator(".map-marker").nth(i).get_attribute("title")
        for i in range(page.locator(".map-marker").count())
    ]
    assert marker_titles
    for title in marker_titles:
        assert title.split(":")[0] in results
    axe(page)

    page.get_by_role("link", name="Neugestaltung des Marktplatzes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neugestaltung des Marktplatzes")
    current = page.locator('.project-phases [aria-current="step"]')
    assert current.count() == 1
    assert "Online-Beteiligung" in current.inner_text()
    assert "Konsultation" in current.inner_text()
    assert "Was mit Ihren Beiträgen geschieht" in current.inner_text()
    expect(page.get_by_role("heading", name="Veranstaltungen", exact=True)).to_be_visible()
    assert page.get_by_role("link", name=re.compile("Zum Livestream")).count() == 1
    axe(page)
    assert no_horizontal_scroll(page)
    assert csp_errors == []


def test_marker_popup_leads_to_the_project(page, live_server, demo_site, axe, tiles):
    page.goto(live_server.url + "/vorhabenliste/?stand=abgeschlossen")
    page.get_by_role("button", name="Karte laden").click()
    page.wait_for_selector(".map-marker")
    with_place = ProjectPage.objects.filter(status="abgeschlossen", latitude__isnull=False).count()
    assert page.locator(".map-marker").count() == with_place
    marker = page.locator(".map-marker").first
    title = marker.get_attribute("title").split(":")[0]
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup").get_by_role("link", name="Vorhaben ansehen")
    link.wait_for()
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    axe(page)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    axe(page)
