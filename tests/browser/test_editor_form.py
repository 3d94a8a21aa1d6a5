"""An editor puts a service online with the form builder, under a service that has no application
category; a citizen fills the form in and sends it; the real worker routes the application into a
department's queue. axe-core checks every page on the way, the admin's included."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupPagePermission

from portal.departments.models import Department, DepartmentMembership, MembershipRole
from portal.tickets.models import Ticket
from services.catalogue.models import ServiceIndexPage, ServicePage
from services.eforms.models import ServiceFormPage, Submission
from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory
from tests.mfa import totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CITIZEN = ("buerger@schwerte.example", "Demo-Buerger-2026")  # from the demo city (README)
SERVICE_SLUG = "fundsachen"  # a demo service with neither an online form nor a category


def editor_with_second_factor(catalogue: ServiceIndexPage) -> tuple:
    """A member of the catalogue's editorial team: may add, edit and publish its pages."""
    team = Group.objects.create(name="Redaktion Leistungskatalog")
    team.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission_type in ("add", "change", "publish"):
        GroupPagePermission.objects.create(
            group=team, page=catalogue, permission_type=permission_type
        )
    editor = UserFactory(email="redaktion@schwerte.example", first_name="Rita", is_staff=True)
    editor.groups.add(team)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    return editor, secret


def axe_admin(axe, page) -> None:
    """axe once Wagtail's messages have faded in (see test_clerk_flow.axe_admin)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.messages > ul')]"
        ".every((ul) => getComputedStyle(ul).opacity === '1')"
    )
    axe(page)


def test_an_editor_built_form_under_a_service_without_category_reaches_a_queue(
    page,
    browser,
    live_server,
    demo_site,
    axe,
    csp_errors,
    redis_server,
    start_celery_worker,
    login_with_second_factor,
):
    start_celery_worker(redis_server)  # the real worker routes the application
    service = ServicePage.objects.get(slug=SERVICE_SLUG)
    assert service.category is None and not service.get_children().exists()
    editor, secret = editor_with_second_factor(ServiceIndexPage.objects.get())

    # the editor: password and second factor, then straight on to a new page under the service
    add_url = f"{live_server.url}/admin/pages/{service.pk}/add_subpage/"
    page.goto(add_url)
    assert "/accounts/login/" in page.url
    axe(page)
    page.get_by_label("E-Mail").first.fill(editor.email)
    page.get_by_label("Passwort").first.fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    axe(page)
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main").locator("button[type=submit]").first.click()
    # one page type fits under a service: Wagtail opens its editor at once
    page.wait_for_url(f"**/admin/pages/add/eforms/serviceformpage/{service.pk}/", timeout=60_000)
    axe_admin(axe, page)

    # the form builder: a title and two fields, then publish
    page.locator("#id_title").fill("Verlust melden")
    fields = [("Was haben Sie verloren?", "singleline"), ("Wo und wann ungefähr?", "multiline")]
    for index, (label, field_type) in enumerate(fields):
        page.locator("#id_form_fields-ADD").click()
        page.locator(f"#id_form_fields-{index}-label").fill(label)
        page.locator(f"#id_form_fields-{index}-field_type").select_option(field_type)
        page.locator(f"#id_form_fields-{index}-required").check()
    footer = page.locator("footer")
    footer.locator("[data-w-dropdown-target=toggle]").click()
    footer.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(f"**/admin/pages/{service.pk}/")
    assert "Verlust melden" in page.locator(".messages").inner_text()
    axe_admin(axe, page)
    form_page = ServiceFormPage.objects.child_of(service).live().get()

    # the citizen, in a browser of their own: from the service page to the form
    citizen_context = browser.new_context(locale="de-DE")
    citizen = citizen_context.new_page()
    citizen.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    citizen.goto(live_server.url + service.url)
    axe(citizen)
    citizen.get_by_role("link", name="Online beantragen").first.click()
    citizen.wait_for_url(re.compile(re.escape(form_page.url) + "$"))
    assert "Ihr Antrag in 2 Schritten" in citizen.content()
    axe(citizen)
    citizen.get_by_role("button", name="Antrag beginnen").click()
    citizen.wait_for_url(re.compile(r"/accounts/login/"))
    axe(citizen)
    citizen.fill("input[name=login]", CITIZEN[0])
    citizen.fill("input[name=password]", CITIZEN[1])
    citizen.get_by_role("button", name="Anmelden").click()
    citizen.wait_for_url(re.compile(rf"/antraege/{form_page.form_key}/$"))
    axe(citizen)
    citizen.get_by_role("button", name="Antrag beginnen").click()
    citizen.wait_for_selector("h1:has-text('Schritt 1 von 2: Ihre Angaben')")
    axe(citizen)
    citizen.get_by_label("Was haben Sie verloren?").fill("Schwarzer Rucksack mit Laptop")
    citizen.get_by_label("Wo und wann ungefähr?").fill("Bushaltestelle Rathaus, Montag früh")
    citizen.get_by_role("button", name="Weiter zur Prüfung").click()
    citizen.wait_for_selector("h1:has-text('Schritt 2 von 2')")
    assert "Schwarzer Rucksack mit Laptop" in citizen.content()
    axe(citizen)
    citizen.get_by_label(re.compile("Ich versichere")).check()
    citizen.get_by_role("button", name="Antrag absenden").click()
    citizen.wait_for_selector("text=Ihr Antrag ist abgeschickt.")
    axe(citizen)
    citizen_context.close()

    # the worker routes it: "Sonstiger Antrag", to the fallback department (the Bürgerbüro)
    submission = Submission.objects.get(form_key=form_page.form_key)
    ticket = submission.ticket
    assert ticket.category.name == "Sonstiger Antrag"
    deadline = time.monotonic() + 20
    while ticket.department_id is None and time.monotonic() < deadline:
        citizen.wait_for_timeout(100)
        ticket.refresh_from_db()
    buergerbuero = Department.objects.get(short_name="BB")
    assert ticket.department == buergerbuero

    # and it is in the Bürgerbüro's queue
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(
        user=clerk, department=buergerbuero, role=MembershipRole.CLERK
    )
    staff = Client()
    login_with_second_factor(staff, clerk)
    queue = staff.get("/admin/anliegen/").content.decode()
    assert ticket.number in queue and "Sonstiger Antrag" in queue
    assert Ticket.objects.filter(submission=submission).count() == 1
    assert csp_errors == []
