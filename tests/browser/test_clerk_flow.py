"""A clerk's day in the back office, in Debian's Chromium, with axe-core on every admin page."""

import io
import os
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core.management import call_command

from portal.accounts.models import User
from portal.contact.services import contact_submit
from portal.tickets.constants import EventKind, TicketStatus
from portal.tickets.models import Category, Ticket
from portal.tickets.services import ticket_route, ticket_routing_failed
from tests.mfa import totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLERK_EMAIL = "tiefbau@schwerte.example"
CLERK_PASSWORD = "Demo-Tiefbau-2026"  # the demo account's password (README)
IN_PROGRESS_TEXT = "Ihr Anliegen ist in Bearbeitung. Wir kümmern uns darum."
# Screenshots for a human look at the pages; not compared by the test.
SCREENSHOTS = Path(os.environ.get("CLERK_FLOW_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def ticket(demo_site):
    """A citizen's concern from the contact form, routed to the Tiefbauamt by its category."""
    ticket = contact_submit(
        kind="anliegen",
        category=Category.objects.get(slug="strassenschaden"),
        message="Tiefes Schlagloch vor der Rohrmeisterei, Radfahrer weichen auf die Fahrbahn aus.",
        email="buerger@example.org",
        address="Ruhrstraße 20",
    )
    return ticket_route(ticket_id=ticket.pk)


def log_in(page, url: str, email: str, password: str, secret: str) -> None:
    page.goto(url)
    assert "/accounts/login/" in page.url
    page.get_by_label("E-Mail").first.fill(email)
    page.get_by_label("Passwort").first.fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main").locator("button[type=submit]").first.click()
    page.wait_for_url(url, timeout=60_000)  # the first admin page of a session is the slowest


def test_clerk_accepts_and_answers_a_ticket(page, live_server, ticket, axe):
    assert ticket.department.short_name == "TBA"
    clerk = User.objects.get(email=CLERK_EMAIL)
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})

    # login: password, then the second factor from the authenticator app
    log_in(page, live_server.url + "/admin/anliegen/", CLERK_EMAIL, CLERK_PASSWORD, secret)

    # the queue of the Tiefbauamt
    assert page.get_by_role("heading", name="Warteschlange", level=2).is_visible()
    row = page.locator("table.backoffice-table tbody tr", has_text=ticket.number)
    assert row.count() == 1
    assert "Straßenschäden / Schlagloch" in row.inner_text()
    assert "eingegangen" in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "queue.png"), full_page=True)
    axe_admin(axe, page)

    # the ticket
    row.get_by_role("link", name=ticket.number).click()
    page.wait_for_url(f"**/admin/anliegen/{ticket.pk}/")
    assert page.get_by_role("heading", name=f"Anliegen {ticket.number}", level=2).is_visible()
    assert page.get_by_text("Tiefes Schlagloch vor der Rohrmeisterei").first.is_visible()
    axe_admin(axe, page)

    # accept responsibility
    page.locator("#h-accept + form").get_by_role("button", name="Zuständigkeit übernehmen").click()
    page.wait_for_url(f"**/admin/anliegen/{ticket.pk}/")
    assert page.get_by_text(
        f"Sie haben die Zuständigkeit für {ticket.number} übernommen."
    ).is_visible()
    assert page.locator(".backoffice-facts").get_by_text("in Prüfung").is_visible()
    axe_admin(axe, page)

    # change the status: the Textbaustein of the chosen status is filled in
    select = page.locator("#status-status")
    message = page.locator("#status-public_message")
    assert message.input_value() == IN_PROGRESS_TEXT  # prefilled for the default choice
    select.select_option(TicketStatus.FORWARDED)
    assert message.input_value() == ""  # no Textbaustein for this status
    select.select_option(TicketStatus.IN_PROGRESS)
    assert message.input_value() == IN_PROGRESS_TEXT
    page.locator("#status form").get_by_role("button", name="Status ändern").click()
    page.wait_for_url(f"**/admin/anliegen/{ticket.pk}/**")

    # the public step is in the timeline
    timeline = page.locator(".ticket-timeline")
    last = timeline.locator("li").last
    assert "in Prüfung → in Bearbeitung" in last.inner_text()
    assert IN_PROGRESS_TEXT in last.inner_text()
    assert "für Bürger*innen sichtbar" in last.inner_text()
    assert "Tilo Tiefbau" in last.inner_text()
    axe_admin(axe, page)
    page.set_viewport_size({"width": 1400, "height": 2300})
    page.goto(page.url.split("#")[0])
    page.screenshot(path=str(SCREENSHOTS / "detail.png"))

    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.assignee == clerk
    event = ticket.events.get(kind=EventKind.STATUS)
    assert event.public_message == IN_PROGRESS_TEXT and event.is_public


def test_admin_tool_pages_have_no_axe_violations(page, live_server, ticket, axe):
    """Statistics, failed jobs, the rule tester and the Löschprotokoll, as the admin sees them."""
    admin = User.objects.get(email="admin@schwerte.example")
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    stuck = contact_submit(kind="anliegen", category=ticket.category, message="Ampel dauerhaft rot")
    ticket_routing_failed(ticket_id=stuck.pk, error="Broker nicht erreichbar")
    base = live_server.url + "/admin/anliegen/"
    log_in(page, base + "statistik/", admin.email, "Demo-Admin-2026", secret)
    assert page.locator("table.tickets-stats").get_by_text("Tiefbauamt").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "statistics.png"))
    axe_admin(axe, page)
    page.goto(base + "fehlgeschlagen/")
    assert page.get_by_text("Broker nicht erreichbar").is_visible()
    axe_admin(axe, page)
    page.goto(base + "regeln-testen/")
    page.get_by_label("Kategorie").select_option(label="Straßenschäden / Schlagloch")
    page.get_by_label("Text des Anliegens").fill("Loch auf der B 236 bei Geisecke")
    page.locator("main").get_by_role("button", name="Testen").click()
    result = page.locator(".rules-result")
    result.wait_for()
    assert "Straßen.NRW (Landesstraßen)" in result.inner_text()
    assert "Regel 10 „Landesstraßen gehen an Straßen.NRW“" in result.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "rules_test.png"))
    axe_admin(axe, page)
    page.goto(base + f"?f=1&q={ticket.number}")
    axe_admin(axe, page)
    # the Löschprotokoll after a run of the retention job
    call_command("apply_retention", stdout=io.StringIO())
    page.goto(live_server.url + "/admin/loeschprotokoll/")
    assert page.get_by_text("Nie bestätigte Benachrichtigungen").first.is_visible()
    axe_admin(axe, page)


def axe_admin(axe, page) -> None:
    """axe-core on an admin page once Wagtail's messages have settled.

    Wagtail's messages ("Erfolgreich angemeldet", our success messages) fade in: the list starts
    at opacity 0 and takes 0.5 s to reach full opacity. Checked mid-fade, the white text on the
    green of a success message blends with the page, and axe reports `color-contrast` on
    `.success`, although the settled message has a ratio of 4.53:1. So we wait until the
    messages are fully shown, which measures what a person reads; no axe rule is switched off.
    """
    page.wait_for_function(
        "() => [...document.querySelectorAll('.messages > ul')]"
        ".every((ul) => getComputedStyle(ul).opacity === '1')"
    )
    axe(page)
