"""A citizen applies online for a birth certificate, pays on the demo provider's page, comes back,
sees the confirmation and downloads the receipt. The Standesamt sees the application only once it
is paid. axe-core checks every page on the way, the provider's pay page included."""

import re

import pytest
from django.test import Client

from portal.departments.models import Department, DepartmentMembership, MembershipRole
from portal.tickets.models import Ticket
from services.eforms.constants import SubmissionStatus
from services.eforms.models import Submission
from tests.factories import StaffUserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CITIZEN = ("buerger@schwerte.example", "Demo-Buerger-2026")  # from the demo city (README)


def test_citizen_applies_for_a_certificate_pays_and_downloads_the_receipt(
    page,
    live_server,
    demo_site,
    axe,
    csp_errors,
    redis_server,
    start_celery_worker,
    login_with_second_factor,
):
    from services.catalogue.models import ServicePage

    start_celery_worker(redis_server)  # the real worker routes the paid application
    standesamt = Department.objects.get(name="Standesamt")
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(
        user=clerk, department=standesamt, role=MembershipRole.CLERK
    )
    staff = Client()
    login_with_second_factor(staff, clerk)
    tickets_before = Ticket.objects.count()

    # the catalogue entry says what it costs and offers the online application
    service = ServicePage.objects.live().get(form_key="personenstandsurkunde")
    page.goto(live_server.url + service.url)
    axe(page)
    page.get_by_role("link", name=re.compile("Online beantragen")).first.click()

    # sign in first (the application belongs to an account)
    page.wait_for_url(re.compile(r"/accounts/login/"))
    axe(page)
    page.fill("input[name=login]", CITIZEN[0])
    page.fill("input[name=password]", CITIZEN[1])
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/antraege/personenstandsurkunde/"))
    axe(page)
    page.get_by_role("button", name="Antrag beginnen").click()

    # step 1 of 4 (3 steps and the review): the certificate; an empty form comes back with a
    # German error summary
    page.wait_for_selector("h1:has-text('Schritt 1 von 4')")
    axe(page)
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_selector("#error-summary")
    assert "Bitte korrigieren Sie folgende Angaben:" in page.content()
    axe(page)
    page.get_by_label("Geburtsurkunde").check()
    page.get_by_label("Anzahl der Urkunden").fill("2")
    page.get_by_label("Wofür benötigen Sie die Urkunde?").select_option("rente")
    page.get_by_role("button", name="Weiter", exact=True).click()

    # step 2: the person and the event
    page.wait_for_selector("h1:has-text('Schritt 2 von 4')")
    axe(page)
    page.get_by_label("Familienname").fill("Bürger")
    page.get_by_label("Vornamen").fill("Bernd")
    page.get_by_label("Datum des Ereignisses").fill("1985-03-14")
    page.get_by_role("button", name="Weiter", exact=True).click()

    # step 3: entitlement and delivery as a download
    page.wait_for_selector("h1:has-text('Schritt 3 von 4')")
    axe(page)
    page.get_by_label("Ich bin die Person, die in der Urkunde steht.").check()
    page.get_by_label(re.compile("als Download")).check()
    page.get_by_role("button", name="Weiter zur Prüfung").click()

    # review: the fee is computed by the portal (12,00 € and 6,00 € for the second copy);
    # consent is required
    page.wait_for_selector("h1:has-text('Schritt 4 von 4: Angaben prüfen und absenden')")
    axe(page)
    assert "18,00 €" in page.content()
    page.get_by_label(re.compile("Ich versichere")).check()
    page.get_by_role("button", name="Absenden und bezahlen").click()

    # the demo provider's pay page; the application is stored, the department sees nothing yet
    page.wait_for_url(re.compile(r"/bezahlen/demo/"))
    axe(page)
    assert "18,00" in page.content()
    submission = Submission.objects.get(applicant__email=CITIZEN[0])
    assert submission.status == SubmissionStatus.AWAITING_PAYMENT
    assert Ticket.objects.count() == tickets_before
    assert submission.number not in staff.get("/admin/anliegen/").content.decode()
    page.get_by_role("button", name="Bezahlen", exact=True).click()

    # back in the portal: confirmation, receipt and the certificate as downloads
    page.wait_for_url(re.compile(rf"/antraege/antrag/{submission.public_id}/$"))
    page.wait_for_selector("text=Vielen Dank! Ihr Antrag ist eingegangen.")
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Eingangsbestätigung herunterladen (PDF)").click()
    receipt = download_info.value
    assert receipt.suggested_filename == f"Eingangsbestaetigung-{submission.number}.pdf"
    with open(receipt.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # now, and only now, the Standesamt has it: routed by the real worker
    submission.refresh_from_db()
    ticket = submission.ticket
    assert Ticket.objects.count() == tickets_before + 1
    for _ in range(100):
        ticket.refresh_from_db()
        if ticket.department_id:
            break
        page.wait_for_timeout(100)
    assert ticket.department == standesamt
    assert ticket.number in staff.get("/admin/anliegen/").content.decode()

    # Mein Konto lists it with its state
    page.goto(live_server.url + "/antraege/meine/")
    axe(page)
    assert submission.number in page.content()
    assert csp_errors == []
