"""A citizen's first visit, in Debian's Chromium, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = [
    ("/", "Bürgerportal Schwerte"),
    ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
    ("/suche/?q=Schwerte", "Suche"),
    ("/zahlen/", "Anliegen und Mängelmeldungen"),
    ("/offene-daten/", "Nutzungsbedingungen"),
    ("/maengel/benachrichtigungen/", "Benachrichtigungen über neue Mängelmeldungen"),
    ("/accounts/login/", "Anmelden"),
    ("/accounts/signup/", "Registrieren"),
    ("/accounts/password/reset/", "Passwort"),
    ("/gibt-es-nicht/", "Seite nicht gefunden"),
]


@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_public_pages_have_no_axe_violations(
    page, live_server, demo_site, axe, csp_errors, viewport
):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    for path, text in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == (404 if "gibt-es-nicht" in path else 200), path
        assert text in page.content(), path
        axe(page)
        # no horizontal scrolling at phone width (WCAG 1.4.10 reflow)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)
    assert csp_errors == []


def test_keyboard_user_reaches_main_content_through_skip_link(page, live_server, demo_site, axe):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the next Tab lands inside the main content, not back in the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_form_errors_are_summarised_and_focused(page, live_server, demo_site, axe):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Passwort").first.fill("falsch")
    page.get_by_label("E-Mail").first.fill("niemand@example.org")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    axe(page)


def test_citizen_signs_up_and_logs_in(outbox_worker, page, live_server, demo_site, axe, mailoutbox):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("E-Mail").first.fill("neu@example.org")
    page.get_by_label("Passwort (Pflichtfeld)", exact=True).fill("Ruhrufer-2026!")
    page.get_by_label("Passwort (Wiederholung)").fill("Ruhrufer-2026!")
    page.locator("main").get_by_role("button", name="Registrieren").click()
    expect(page.locator("body")).to_contain_text(re.compile("bestätig", re.IGNORECASE))
    axe(page)
    (confirmation,) = [m for m in mailoutbox if m.to == ["neu@example.org"]]  # via the outbox
    link = re.search(r"http://[^/]+(/accounts/confirm-email/\S+)", confirmation.body).group(1)

    page.goto(live_server.url + link)
    axe(page)
    page.locator("main").get_by_role("button", name="Bestätigen").click()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-Mail").first.fill("neu@example.org")
    page.get_by_label("Passwort (Pflichtfeld)", exact=True).fill("Ruhrufer-2026!")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.goto(live_server.url + "/konto/")
    assert page.get_by_role("heading", name="Mein Konto", level=1).is_visible()
    assert "neu@example.org" in page.content()
    axe(page)
