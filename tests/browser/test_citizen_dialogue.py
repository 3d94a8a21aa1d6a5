"""The closed loop in Debian's Chromium, with axe-core on every page: a clerk asks the citizen a
question, the SLA clock stands still until the citizen answers through the status link with a
photo, the ticket is back in the queue with the answer in its timeline; later the citizen says
"nicht behoben" and the ticket reopens."""

import datetime
import zoneinfo

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from PIL import Image

from portal.accounts.models import User
from portal.contact.services import contact_submit
from portal.tickets.constants import EventKind, TicketStatus
from portal.tickets.models import Category, Ticket, TicketAttachment
from portal.tickets.services import ticket_change_status, ticket_route
from tests.browser.test_clerk_flow import CLERK_EMAIL, CLERK_PASSWORD, axe_admin, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
MONDAY = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=BERLIN)
THURSDAY = MONDAY + datetime.timedelta(days=3, hours=1)
QUESTION = "Liegt das Schlagloch auf der Fahrbahn oder auf dem Radweg?"
ANSWER = "Auf dem Radweg, etwa zwei Meter vor der Einfahrt."


def working_days_after(start: datetime.date, end: datetime.date) -> int:
    """Counted here without the portal's code: Monday to Friday, not an NRW public holiday."""
    import holidays

    nrw = holidays.Germany(subdiv="NW", years=range(start.year, end.year + 1))
    days = (start + datetime.timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in nrw)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def ticket(clock, demo_site):
    ticket = contact_submit(
        kind="anliegen",
        category=Category.objects.get(slug="strassenschaden"),
        message="Tiefes Schlagloch an der Ruhrstraße 20, Radfahrer weichen aus.",
        email="buerger@example.org",
        address="Ruhrstraße 20",
    )
    return ticket_route(ticket_id=ticket.pk)


def test_question_answer_and_reopen(browser, live_server, ticket, clock, axe, tmp_path):
    clerk = User.objects.get(email=CLERK_EMAIL)
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)
    due_before = ticket.due_date
    detail_url = live_server.url + f"/admin/anliegen/{ticket.pk}/"

    # the clerk asks
    staff = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = staff.new_page()
    log_in(page, detail_url, CLERK_EMAIL, CLERK_PASSWORD, secret)
    form = page.locator("#rueckfrage form")
    form.get_by_label("Ihre Frage an die Bürgerin oder den Bürger").fill(QUESTION)
    form.get_by_role("button", name="Rückfrage stellen").click()
    page.wait_for_url(f"**/admin/anliegen/{ticket.pk}/**")
    assert page.get_by_text(f"Die Rückfrage zu {ticket.number} ist gestellt.").is_visible()
    assert page.locator(".backoffice-facts").get_by_text("ruht seit").is_visible()
    axe_admin(axe, page)
    staff.close()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING and ticket.due_date == due_before

    # three days later the citizen answers through the status link, with a photo
    clock.move_to(THURSDAY)
    photo = tmp_path / "radweg.jpg"
    Image.new("RGB", (640, 480), (90, 90, 90)).save(photo, "JPEG")
    citizen = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(live_server.url + f"/anliegen/status/{ticket.access_token}/")
    assert citizen.get_by_text("Rückfrage an Sie").first.is_visible()
    assert citizen.get_by_text(QUESTION).first.is_visible()
    axe(citizen)
    citizen.get_by_label("Ihre Antwort").fill(ANSWER)
    citizen.get_by_label("Foto (optional)").set_input_files(str(photo))
    citizen.get_by_role("button", name="Antwort senden").click()
    citizen.get_by_text("Vielen Dank für Ihre Antwort.").wait_for()
    assert citizen.get_by_text("Antwort auf die Rückfrage eingegangen").is_visible()
    axe(citizen)

    ticket.refresh_from_db()
    paused = working_days_after(MONDAY.date(), THURSDAY.date())
    assert paused == 3
    assert ticket.status == TicketStatus.IN_REVIEW
    assert ticket.due_date == _add_working_days(due_before, paused)
    assert TicketAttachment.objects.filter(ticket=ticket).count() == 1

    # back in the clerk's queue, the answer and the photo in the timeline
    staff = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = staff.new_page()
    log_in(page, live_server.url + "/admin/anliegen/", CLERK_EMAIL, CLERK_PASSWORD, secret)
    row = page.locator("table.backoffice-table tbody tr", has_text=ticket.number)
    assert "in Prüfung" in row.inner_text()
    row.get_by_role("link", name=ticket.number).click()
    page.wait_for_url(f"**/admin/anliegen/{ticket.pk}/")
    timeline = page.locator(".ticket-timeline")
    assert timeline.get_by_text(ANSWER).is_visible()
    image = timeline.get_by_role("img", name="Foto 1 zur Antwort")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 640
    axe_admin(axe, page)
    staff.close()

    # done; a week later the citizen says it is not fixed
    ticket_change_status(ticket=ticket, actor=clerk, status=TicketStatus.DONE)
    clock.move_to(THURSDAY + datetime.timedelta(days=7))
    citizen.goto(live_server.url + f"/anliegen/status/{ticket.access_token}/")
    assert citizen.get_by_role("heading", name="Ist es noch nicht behoben?").is_visible()
    axe(citizen)
    citizen.get_by_label("Was ist noch nicht behoben?").fill("Das Loch ist wieder offen.")
    citizen.get_by_role("button", name="Nicht behoben – wieder öffnen").click()
    citizen.get_by_text("Ihr Anliegen ist wieder geöffnet.").wait_for()
    assert citizen.get_by_text("Wieder geöffnet: nicht behoben").is_visible()
    axe(citizen)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == TicketStatus.IN_REVIEW
    assert ticket.events.filter(kind=EventKind.REOPENED).count() == 1


def _add_working_days(start: datetime.date, days: int) -> datetime.date:
    current = start
    while days:
        current += datetime.timedelta(days=1)
        if working_days_after(current - datetime.timedelta(days=1), current):
            days -= 1
    return current
