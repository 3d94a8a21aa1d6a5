"""A citizen who uses only the keyboard sends an Anliegen, sees the receipt number and follows
the status link; axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from portal.tickets.models import Ticket
from tests.browser.keyboard import focused, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_keyboard_only_citizen_sends_an_anliegen_and_follows_its_status(
    page, live_server, demo_site, axe, csp_errors
):
    existing = set(Ticket.objects.values_list("pk", flat=True))  # the demo city's tickets
    page.goto(live_server.url + "/anliegen/neu/")
    assert page.get_by_role("heading", name="Anliegen an die Stadt", level=1).is_visible()
    assert "Polizei 110" in page.content()
    axe(page)

    # skip link, then straight to the submit button: an empty form comes back with errors
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    tab_to(page, lambda el: el["text"] == "Anliegen absenden")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert focused(page)["id"] == "error-summary"
    assert "Bitte wählen Sie aus, worum es geht." in page.content()
    assert "Bitte beschreiben Sie Ihr Anliegen." in page.content()
    axe(page)
    assert Ticket.objects.exclude(pk__in=existing).count() == 0

    # the first error link leads to the first category; arrow keys choose another one
    page.keyboard.press("Tab")
    assert "Worum geht es?" in focused(page)["text"]
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_category_0"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("document.activeElement.closest('label').textContent.trim()")
    assert page.locator("#id_category_1").is_checked()

    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_message"
    page.keyboard.type("Die Laterne vor dem Rathaus flackert seit Tagen.")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_address"
    page.keyboard.type("Rathausstraße 31")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_email"
    page.keyboard.type("erika@example.org")
    # the honeypot is out of the tab order: the next stop is the button
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Anliegen absenden"
    page.keyboard.press("Space")

    page.wait_for_url(re.compile(r"/anliegen/eingegangen/"))
    ticket = Ticket.objects.exclude(pk__in=existing).get()
    number = page.locator(".receipt__number").inner_text()
    assert number == ticket.number
    assert re.fullmatch(r"\d{4}-\d{6}", number)
    assert ticket.category.name == chosen
    assert ticket.contact_email == "erika@example.org"
    assert "Arbeitstagen" in page.content()
    axe(page)

    link = tab_to(page, lambda el: el["text"] == "Bearbeitungsstand ansehen")
    assert link["href"].endswith(f"/anliegen/status/{ticket.access_token}/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/anliegen/status/"))
    assert page.get_by_role("heading", name=f"Anliegen {number}", level=1).is_visible()
    assert "eingegangen" in page.locator(".status-light").inner_text()
    assert page.locator('meta[name="robots"]').get_attribute("content").startswith("noindex")
    axe(page)

    assert csp_errors == []


@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_forms_and_receipt_are_accessible_at_desktop_and_phone_width(
    page, live_server, demo_site, axe, csp_errors, viewport
):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(live_server.url + "/anliegen/neu/")
    axe(page)
    assert page.evaluate(OVERFLOW) <= 0
    page.goto(live_server.url + "/barrierefreiheit/")
    page.locator("footer").get_by_role("link", name="Barriere melden").click()
    page.wait_for_url(re.compile(r"/barrierefreiheit/rueckmeldung/"))
    assert "innerhalb eines Monats" in page.content()
    # the page the citizen came from is already filled in
    assert page.locator("#id_page_url").input_value().endswith("/barrierefreiheit/")
    axe(page)

    page.locator("main").get_by_role("button", name="Rückmeldung absenden").click()
    expect(page.locator("body")).to_contain_text("Bitte beschreiben Sie die Barriere.")
    axe(page)

    page.get_by_label("Welche Barriere ist Ihnen aufgefallen?").fill(
        "Die Karte lässt sich nicht mit der Tastatur bedienen."
    )
    page.locator("main").get_by_role("button", name="Rückmeldung absenden").click()
    page.wait_for_url(re.compile(r"/anliegen/eingegangen/"))
    assert "innerhalb von 20 Arbeitstagen" in page.content()
    axe(page)
    assert page.evaluate(OVERFLOW) <= 0  # no horizontal scrolling at phone width (WCAG 1.4.10)
    assert csp_errors == []
