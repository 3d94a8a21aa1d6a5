"""Nothing is cut off: the category tiles of the report form wrap their words on a phone and on a
desktop, and the clerk's queue fits a 1280 px screen without scrolling sideways. axe-core checks
every page on the way. Screenshots for a human look go to LAYOUT_SCREENSHOTS (not compared)."""

import os
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from portal.accounts.models import User
from portal.tickets.constants import CategoryKind
from tests.browser.test_clerk_flow import CLERK_EMAIL, CLERK_PASSWORD, axe_admin, log_in
from tests.factories import CategoryFactory, routed_ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(os.environ.get("LAYOUT_SCREENSHOTS", "var/screenshots"))

# Elements whose content is wider than their box (1 px for rounding); for each: its text and
# the two widths, so that a failure names the clipped words.
CLIPPED = """
(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => [el.textContent.trim().replace(/\\s+/g, " "), el.scrollWidth, el.clientWidth])
"""


OVERFLOWING_ANCESTORS = """
(selector) => {
    const wide = [];
    for (let el = document.querySelector(selector); el; el = el.parentElement) {
        if (el.scrollWidth > el.clientWidth + 1) {
            wide.push([el.tagName, el.className, el.scrollWidth, el.clientWidth]);
        }
    }
    return wide;
}
"""


def clipped(page, selector: str) -> list:
    return page.evaluate(CLIPPED, selector)


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_category_tiles_wrap_their_words_at_every_width(page, live_server, demo_site, axe, width):
    # an editor's category with a word longer than any tile is wide
    long_name = "Straßenentwässerungseinrichtungen verstopft"
    CategoryFactory(name=long_name, kind=CategoryKind.REPORT, sort_order=1)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/maengel/melden/")
    tiles = page.locator(".category-choice__label")
    assert tiles.count() >= 8
    names = tiles.all_inner_texts()
    assert "Straßenbeleuchtung defekt" in names and long_name in names
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".category-choices").screenshot(path=str(SCREENSHOTS / f"tiles-{width}.png"))

    assert clipped(page, ".category-choice__label, .category-choice__label > span") == []
    assert clipped(page, "html") == []  # no sideways scrolling (WCAG 1.4.10 reflow)
    axe(page)


def test_the_clerks_queue_fits_a_1280_px_screen(page, live_server, demo_site, axe):
    clerk = User.objects.get(email=CLERK_EMAIL)
    department = clerk.department_memberships.get().department
    # a long word in the summary must not widen the table either
    routed_ticket(
        department=department,
        message="Straßenentwässerungseinrichtungsüberprüfungsergebnis " * 4,
        address="Hagener Straße 123, 58239 Schwerte-Westhofen",
    )
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url + "/admin/anliegen/", CLERK_EMAIL, CLERK_PASSWORD, secret)
    rows = page.locator("table.backoffice-table tbody tr")
    assert rows.count() >= 3  # the Tiefbauamt's demo reports and ours
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "queue-1280.png"), full_page=True)

    # Wagtail's content area scrolls by itself: no box from the table up to the page is wider
    # than it shows, and every column is on the screen
    assert page.evaluate(OVERFLOWING_ANCESTORS, "table.backoffice-table") == []
    assert page.locator("table.backoffice-table thead th").last.evaluate(
        "(th) => th.getBoundingClientRect().right <= document.documentElement.clientWidth"
    )
    axe_admin(axe, page)
