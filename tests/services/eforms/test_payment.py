"""A fee-bearing application: stored first, paid on the (demo) provider's page, handed to the
department exactly once – after the payment, never before."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.tickets.models import Ticket
from services.eforms.constants import SubmissionStatus
from services.eforms.models import Submission
from services.payments.constants import PaymentState
from services.payments.models import Payment
from services.payments.services import payment_refresh, payments_reconcile

from .conftest import start

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


def certificate_steps(copies="2", delivery="download"):
    return [
        {"kind": "geburt", "copies": copies, "purpose": "rente"},
        {
            "family_name": "Muster",
            "given_names": "Erika",
            "event_date": "1990-05-01",
            "event_place": "Schwerte",
        },
        {"relation": "selbst", "delivery": delivery},
    ]


@pytest.fixture
def applied(client, offer, applicant, fill):
    """Erika has filled in a certificate application and pressed "Absenden und bezahlen"."""

    def apply(**step_options):
        service = offer("personenstandsurkunde", title="Personenstandsurkunde")
        client.force_login(applicant)
        submission = start(client, "personenstandsurkunde")
        fill(submission, certificate_steps(**step_options))
        response = client.post(
            f"/antraege/antrag/{submission.public_id}/pruefen/",
            # an amount in the POST body is ignored: the fee comes from the stored answers
            {"consent": "on", "amount": "1", "fee_minor": "1", "amount_minor": "1"},
        )
        submission.refresh_from_db()
        return submission, service, response

    return apply


def _pay_on_provider_page(client, response, action="pay"):
    assert response.status_code == 302
    pay_page = response["Location"]
    assert pay_page.startswith("/bezahlen/demo/")
    page = client.get(pay_page)
    assert page.status_code == 200
    back = client.post(pay_page, {"action": action})
    assert back.status_code == 302
    return back["Location"]


def test_the_department_gets_the_application_only_after_payment(client, applied):
    submission, service, response = applied()
    assert submission.status == SubmissionStatus.AWAITING_PAYMENT
    assert submission.fee_minor == 1800
    payment = Payment.objects.get()
    assert payment.amount_minor == 1800  # 12,00 € + one more copy 6,00 €, whatever the POST said
    assert not Ticket.objects.exists()

    return_url = _pay_on_provider_page(client, response)
    assert not Ticket.objects.exists()  # the return is only a hint until the status is fetched
    detail = client.get(return_url)
    assert detail["Location"] == f"/antraege/antrag/{submission.public_id}/"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED
    ticket = Ticket.objects.get()
    assert ticket.category == service.category
    page = client.get(detail["Location"]).content.decode()
    assert "Vielen Dank! Ihr Antrag ist eingegangen." in page
    assert payment.reference in page

    receipt = client.get(f"/antraege/antrag/{submission.public_id}/eingangsbestaetigung.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    document = client.get(f"/antraege/antrag/{submission.public_id}/dokument/urkunde.pdf")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")


def test_the_receipt_names_number_fee_and_payment_reference(client, applied):
    from services.eforms.pdf import receipt_context

    submission, _service, response = applied()
    client.get(_pay_on_provider_page(client, response))
    submission.refresh_from_db()
    context = receipt_context(submission)
    assert context["fee"] == "18,00 €"
    assert context["payment"].reference.startswith("ZB-")
    labels = [label for _title, rows in context["sections"] for label, _value in rows]
    assert "Welche Urkunde benötigen Sie?" in [str(label) for label in labels]


def test_post_asks_for_the_whole_address_block_and_offers_no_download(
    client, offer, applicant, fill
):
    offer("personenstandsurkunde")
    client.force_login(applicant)
    submission = start(client, "personenstandsurkunde")
    steps = certificate_steps(delivery="post")
    without_address = client.post(
        f"/antraege/antrag/{submission.public_id}/schritt/1/", {**steps[0], "action": "weiter"}
    )
    assert without_address.status_code == 302
    fill(submission, steps[:2])
    response = client.post(
        f"/antraege/antrag/{submission.public_id}/schritt/3/", {**steps[2], "action": "weiter"}
    )
    html = response.content.decode()
    for label in ("Name der Empfängerin oder des Empfängers", "Adresszusatz (freiwillig)",
                  "Straße und Hausnummer", "Postleitzahl", "Ort"):  # fmt: skip
        assert f"{label}</label>" in html
    assert "Bitte geben Sie an, an wen wir die Urkunde schicken sollen." in html
    steps[2].update(
        recipient_name="Erika Muster",
        address_extra="c/o Familie Beispiel",
        street="Hagenstraße 12",
        postcode="58239",
        city="Schwerte",
    )
    fill(submission, steps)
    review = client.get(f"/antraege/antrag/{submission.public_id}/pruefen/").content.decode()
    for line in ("Erika Muster", "c/o Familie Beispiel", "Hagenstraße 12", "58239", "Schwerte"):
        assert f"<dd>{line}</dd>" in review
    response = client.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {"consent": "on"})
    client.get(_pay_on_provider_page(client, response))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED
    document = client.get(f"/antraege/antrag/{submission.public_id}/dokument/urkunde.pdf")
    assert document.status_code == 404
    assert (
        "Urkunde (PDF)"
        not in client.get(f"/antraege/antrag/{submission.public_id}/").content.decode()
    )


def test_status_checked_twice_releases_once(client, applied):
    submission, _service, response = applied()
    return_url = _pay_on_provider_page(client, response)
    client.get(return_url)
    client.get(return_url)  # back button: the return page again
    payment = Payment.objects.get()
    payment_refresh(payment_id=payment.pk)
    payments_reconcile()
    assert Ticket.objects.count() == 1
    submission.refresh_from_db()
    assert submission.ticket_id == Ticket.objects.get().pk


def test_a_declined_payment_can_be_retried_with_a_new_payment(client, applied):
    submission, _service, response = applied()
    detail = client.get(_pay_on_provider_page(client, response, action="decline"))
    page = client.get(detail["Location"]).content.decode()
    assert "Die Zahlung wurde abgelehnt. Es wurde kein Geld abgebucht." in page
    assert "Jetzt 18,00 € bezahlen" in page
    assert not Ticket.objects.exists()

    retry = client.post(f"/antraege/antrag/{submission.public_id}/bezahlen/")
    assert Payment.objects.count() == 2
    client.get(_pay_on_provider_page(client, retry))
    assert Ticket.objects.count() == 1
    states = sorted(Payment.objects.values_list("state", flat=True))
    assert states == sorted([PaymentState.FAILED, PaymentState.SUCCEEDED])


def test_coming_back_early_resumes_the_same_payment(client, applied):
    submission, _service, response = applied()
    first = response["Location"]
    again = client.post(f"/antraege/antrag/{submission.public_id}/bezahlen/")
    assert again["Location"] == first
    assert Payment.objects.count() == 1


def test_a_user_who_never_returns_is_settled_by_reconciliation(client, applied):
    submission, _service, response = applied()
    pay_page = response["Location"]
    client.get(pay_page)
    client.post(pay_page, {"action": "pay"})  # the browser is closed before the return
    assert not Ticket.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        payments_reconcile()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED
    assert Ticket.objects.count() == 1


def test_an_abandoned_payment_expires_and_nothing_is_released(client, applied, settings):
    submission, _service, _response = applied()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        payments_reconcile()
    payment = Payment.objects.get()
    assert payment.state == PaymentState.FAILED
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.AWAITING_PAYMENT
    assert not Ticket.objects.exists()


def test_an_unpaid_application_can_be_withdrawn(client, applied):
    submission, _service, _response = applied()
    response = client.post(f"/antraege/antrag/{submission.public_id}/zurueckziehen/")
    assert response["Location"] == "/antraege/meine/"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    # a payment finished later (the payer was still on the page) releases nothing
    payment = Payment.objects.get()
    payment_refresh(payment_id=payment.pk)
    assert not Ticket.objects.exists()


def test_a_proof_upload_travels_with_the_application(client, offer, applicant, fill):
    offer("personenstandsurkunde")
    client.force_login(applicant)
    submission = start(client, "personenstandsurkunde")
    steps = certificate_steps()
    fill(submission, steps[:2])
    response = client.post(
        f"/antraege/antrag/{submission.public_id}/schritt/3/",
        {
            "relation": "interesse",
            "delivery": "download",
            "proof": SimpleUploadedFile("Vollmacht Erika.pdf", PDF, "application/pdf"),
            "action": "weiter",
        },
    )
    assert response.status_code == 302
    stored = Submission.objects.get().files.get()
    assert stored.original_name == "Vollmacht Erika.pdf"
    assert "Erika" not in stored.file.name
    review = client.get(response["Location"]).content.decode()
    assert "Vollmacht Erika.pdf" in review
