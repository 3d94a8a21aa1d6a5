"""A citizen who uses only the keyboard reports a defect with the address field (never a map)
and a photo, checks the review page, sends it and gets the receipt number; the real worker routes
it into the right department's queue, and it is listed publicly. axe-core checks every page on
the way."""

import re
import time

import pytest
from django.test import Client
from PIL import Image

from portal.departments.models import DepartmentMembership
from portal.tickets.models import Ticket
from services.reports.models import Report
from tests.browser.keyboard import focused, tab_to
from tests.factories import StaffUserFactory
from tests.services.reports import conftest as report_fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# the fake Nominatim of the Mängelmelder tests: a real HTTP server in a thread
geocoder = report_fixtures.geocoder

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def photo(tmp_path):
    path = tmp_path / "laterne.jpg"
    Image.new("RGB", (320, 240), (40, 60, 90)).save(path, "JPEG")
    return path


def test_keyboard_only_citizen_reports_a_defect_with_address_and_photo(
    page,
    live_server,
    demo_site,
    axe,
    csp_errors,
    tmp_path,
    redis_server,
    start_celery_worker,
    login_with_second_factor,
):
    start_celery_worker(redis_server)  # the real worker routes the report
    demo_reports = Report.objects.count()  # the demo city has some already
    page.goto(live_server.url + "/maengel/melden/")
    assert page.get_by_role("heading", name="Mangel melden", level=1).is_visible()
    assert "Polizei 110" in page.content()
    axe(page)

    # skip link, then straight to the button: the empty form comes back with errors
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    tab_to(page, lambda el: el["text"] == "Weiter: Angaben prüfen")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert focused(page)["id"] == "error-summary"
    assert "Bitte wählen Sie aus, was Sie melden möchten." in page.content()
    assert "Bitte beschreiben Sie den Mangel." in page.content()
    axe(page)
    assert Report.objects.count() == demo_reports

    # the first error link leads to the first category; arrow keys choose the next one
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_category_0"
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_category_1").is_checked()
    chosen = page.locator("label[for=id_category_1]").inner_text().strip()
    assert chosen == "Straßenbeleuchtung defekt"

    # the category's Zusatzfragen appear right under it, and the status line says so
    questions = page.locator("[data-attribute-fields] .report-attributes")
    questions.wait_for()
    assert "Zusatzfragen zu „Straßenbeleuchtung defekt“" in questions.inner_text()
    status = page.locator("[data-attribute-status]")
    assert "2 Zusatzfragen" in status.inner_text()
    axe(page)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_attr_leuchtennummer"
    page.keyboard.type("SW-1234")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_attr_schaden_0"
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_attr_schaden_1").is_checked()

    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_address"
    page.keyboard.type("Rathausstr. 31")
    tab_to(page, lambda el: el["id"] == "id_description")
    page.keyboard.type("Die Laterne vor dem Rathaus ist seit Tagen dunkel.")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_photo_1"
    page.locator(":focus").set_input_files(photo(tmp_path))
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_alt_1"
    page.keyboard.type("Dunkle Laterne vor dem Rathaus")
    tab_to(page, lambda el: el["id"] == "id_email")
    page.keyboard.type("erika@example.org")
    # the honeypot is out of the tab order: the next stop is the button
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Weiter: Angaben prüfen"
    page.keyboard.press("Enter")

    page.wait_for_selector("h1:has-text('Angaben prüfen')")
    content = page.content()
    assert "Rathausstraße 31" in content
    assert "Stadtteil Schwerte-Mitte" in content
    assert "SW-1234" in content and "Leuchte flackert" in content
    assert page.get_by_alt_text("Dunkle Laterne vor dem Rathaus").is_visible()
    assert Report.objects.count() == demo_reports
    axe(page)

    tab_to(page, lambda el: el["text"] == "Meldung absenden")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/anliegen/eingegangen/"))
    assert Report.objects.count() == demo_reports + 1
    report = Report.objects.select_related("ticket", "category").latest("pk")
    number = page.locator(".receipt__number").inner_text()
    assert number == report.ticket.number
    assert report.category.name == chosen
    assert report.address == "Rathausstraße 31"
    assert report.attributes == {"leuchtennummer": "SW-1234", "schaden": "flackert"}
    assert report.photos.get().alt_text == "Dunkle Laterne vor dem Rathaus"
    axe(page)

    # the worker routes it to the category's department, where a clerk finds it in the queue
    department = report.category.default_department
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ticket = Ticket.objects.get(pk=report.ticket_id)
        if ticket.department_id:
            break
        time.sleep(0.2)
    assert ticket.department == department
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=department, user=clerk)
    staff = Client()
    login_with_second_factor(staff, clerk)
    assert number in staff.get("/admin/anliegen/").content.decode()

    page.goto(live_server.url + "/maengel/")
    assert number in page.content()
    axe(page)
    page.get_by_role("link", name=re.compile(number)).click()
    page.wait_for_url(re.compile(rf"/maengel/{number}/"))
    assert page.get_by_role("heading", name=chosen, level=1).is_visible()
    assert "erika@example.org" not in page.content()
    assert "SW-1234" not in page.content()  # the answers are for staff only
    axe(page)

    assert csp_errors == []


@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_report_pages_fit_desktop_and_phone_width(
    page, live_server, demo_site, axe, csp_errors, viewport
):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(live_server.url + "/maengel/melden/")
    page.locator("label[for=id_category_0]").click()
    page.locator("#id_address").fill("Unbekannte Allee 3")
    page.locator("#id_description").fill("Schlagloch")
    page.get_by_role("button", name="Weiter: Angaben prüfen").click()
    page.wait_for_selector("#error-summary")  # the form comes back (slow under load)
    assert "Diese Straße kennen wir nicht" in page.content()
    axe(page)
    assert page.evaluate(OVERFLOW) <= 0

    page.locator("#id_address").fill("Hüsingstraße 4")
    page.get_by_role("button", name="Weiter: Angaben prüfen").click()
    page.wait_for_selector("h1:has-text('Angaben prüfen')")
    axe(page)
    assert page.evaluate(OVERFLOW) <= 0
    page.get_by_role("button", name="Meldung absenden").click()
    page.wait_for_url(re.compile(r"/anliegen/eingegangen/"))

    page.goto(live_server.url + "/maengel/?status=offen")
    axe(page)
    assert page.evaluate(OVERFLOW) <= 0
    page.locator(".card a").first.click()
    page.wait_for_url(re.compile(r"/maengel/\d{4}-\d{6}/"))
    axe(page)
    assert page.evaluate(OVERFLOW) <= 0
    assert csp_errors == []


def test_switching_categories_keeps_each_ones_answers(
    page, live_server, demo_site, axe, csp_errors
):
    page.goto(live_server.url + "/maengel/melden/")
    lights = page.get_by_label("Straßenbeleuchtung defekt")
    waste = page.get_by_label("Wilder Müll / illegale Ablagerung")
    lights.check()
    page.get_by_label("Leuchtennummer").fill("SW-77")
    waste.check()
    page.get_by_role("group", name="Was wurde abgeladen?").wait_for()
    assert page.get_by_label("Leuchtennummer").count() == 0
    assert "1 Zusatzfrage" in page.locator("[data-attribute-status]").inner_text()
    page.get_by_label("Elektrogeräte").check()
    axe(page)
    lights.check()
    assert page.get_by_label("Leuchtennummer").input_value() == "SW-77"
    page.get_by_label("Straßenschäden / Schlagloch").check()
    page.wait_for_function(
        "() => !document.querySelector('[data-attribute-fields] .report-attributes')"
    )
    assert page.locator("[data-attribute-status]").inner_text() == ""
    assert csp_errors == []


def test_address_suggestions_from_the_geocoder(page, live_server, demo_site, geocoder, csp_errors):
    geocoder.results = [report_fixtures.place("51.442345", "7.557123", "Hagener Straße", "12")]
    page.goto(live_server.url + "/maengel/melden/")
    page.locator("#id_address").type("Hagener Str 12")
    page.wait_for_function(
        """() => [...document.querySelectorAll('#street-list option')]
            .some(o => o.value === 'Hagener Straße 12, 58239 Schwerte')"""
    )
    assert geocoder.requests[-1]["query"]["q"] == "Hagener Str 12"
    assert csp_errors == []
