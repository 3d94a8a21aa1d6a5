"""Consent before third parties (issue 15, item 5): with the default settings the map tiles come
from another host, so a page with a map sends nothing there until the citizen clicks "Karte
laden" in the box that names the host; the choice is remembered in this browser. 0 axe
violations, keyboard only. That the address field works without ever loading the map is
test_report_flow.py's keyboard-only report."""

import base64
from urllib.parse import urlsplit

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PAGES_WITH_A_MAP = ["/maengel/", "/maengel/melden/", "/vorhabenliste/"]


def test_no_request_leaves_the_portal_until_the_map_is_allowed(
    page, live_server, demo_site, axe, csp_errors
):
    tile_host = urlsplit(settings.MAP_TILE_URL).netloc
    assert tile_host and tile_host not in live_server.url  # the default: another host
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.route(
        f"https://{tile_host}/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    own = urlsplit(live_server.url).netloc

    for path in PAGES_WITH_A_MAP:
        page.goto(live_server.url + path)
        consent = page.locator(".map-consent")
        assert tile_host in consent.inner_text()
        assert "IP-Adresse" in consent.inner_text()
        axe(page)
    assert set(hosts) == {own}

    # keyboard only: to the button, Enter; the map starts and asks the tile host
    button = page.get_by_role("button", name="Karte laden")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".map-marker")
    assert tile_host in hosts
    assert page.locator(".map-consent").count() == 0
    axe(page)

    # remembered in this browser: the other pages show their map at once
    page.goto(live_server.url + "/maengel/")
    page.wait_for_selector(".leaflet-container")
    assert page.locator(".map-consent").count() == 0
    assert csp_errors == []
