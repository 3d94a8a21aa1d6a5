"""Editor-built forms (Wagtail form builder): a file field, the same review with consent, the same
payment and hand-over as the code-defined forms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.tickets.models import RoutingSettings, Ticket
from portal.tickets.services import ticket_route
from services.eforms.constants import SubmissionStatus
from services.eforms.models import ServiceFormField, ServiceFormPage, Submission
from services.payments.models import Payment
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


@pytest.fixture
def form_page(offer):
    def make(fee=None, category=True):
        service = offer("", title="Anwohnerparkausweis", fee=fee, category=category)
        page = ServiceFormPage(title="Anwohnerparkausweis beantragen", slug="antrag")
        page.form_fields = [
            ServiceFormField(label="Kennzeichen", field_type="singleline", required=True),
            ServiceFormField(
                label="Zone", field_type="dropdown", required=True, choices="Zone A\nZone B"
            ),
            ServiceFormField(label="Fahrzeugschein", field_type="datei", required=True),
        ]
        service.add_child(instance=page)
        return page, service

    return make


def test_the_page_invites_to_start_and_needs_a_sign_in(client, form_page):
    page, _service = form_page()
    html = client.get(page.url).content.decode()
    assert "Antrag beginnen" in html
    response = client.post(f"/antraege/{page.form_key}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_editor_form_with_upload_reaches_the_department(client, form_page, applicant):
    page, service = form_page()
    client.force_login(applicant)
    client.post(f"/antraege/{page.form_key}/")
    submission = Submission.objects.get()
    assert submission.service_title == "Anwohnerparkausweis"
    step = f"/antraege/antrag/{submission.public_id}/schritt/1/"

    # a file that is not what it claims: German error, nothing stored
    response = client.post(
        step,
        {
            "kennzeichen": "UN-AB 123",
            "zone": "Zone A",
            "fahrzeugschein": SimpleUploadedFile("schein.pdf", b"GIF89a not a pdf"),
            "action": "weiter",
        },
    )
    assert response.status_code == 200
    assert "kein PDF-Dokument und kein Foto" in response.content.decode()
    assert not submission.files.exists()

    response = client.post(
        step,
        {
            "kennzeichen": "UN-AB 123",
            "zone": "Zone A",
            "fahrzeugschein": SimpleUploadedFile("schein.pdf", PDF),
            "action": "weiter",
        },
    )
    assert response["Location"].endswith("/pruefen/")
    review = client.get(response["Location"]).content.decode()
    assert "UN-AB 123" in review and "schein.pdf" in review
    sent = client.post(response["Location"], {"consent": "on"})
    assert sent.status_code == 302, sent.content.decode()[-3000:]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED
    assert Ticket.objects.get().category == service.category


def test_a_form_under_a_service_without_a_category_reaches_a_department(
    client, form_page, applicant
):
    """Most services have no application category of their own. Their forms start all the
    same, and the applications arrive as "Sonstiger Antrag" where the routing sends them: here,
    with no rule for them, the fallback department."""
    fallback = DepartmentFactory(name="Bürgerbüro")
    routing = RoutingSettings.load()
    routing.fallback_department = fallback
    routing.save()
    page, service = form_page(category=False)
    assert service.category is None
    client.force_login(applicant)
    assert "Antrag beginnen" in client.get(page.url).content.decode()
    started = client.post(f"/antraege/{page.form_key}/")
    assert started.status_code == 302
    step = client.get(started["Location"])
    assert step.status_code == 200 and "Schritt 1 von 2: Ihre Angaben" in step.content.decode()
    response = client.post(
        started["Location"],
        {
            "kennzeichen": "UN-AB 123",
            "zone": "Zone A",
            "fahrzeugschein": SimpleUploadedFile("schein.pdf", PDF),
            "action": "weiter",
        },
    )
    assert client.post(response["Location"], {"consent": "on"}).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.category.name == "Sonstiger Antrag"
    ticket_route(ticket_id=ticket.pk)  # what the worker does once the application is stored
    ticket.refresh_from_db()
    assert ticket.department == fallback


def test_an_editor_form_of_a_paid_service_is_paid_first(client, form_page, applicant):
    page, _service = form_page(fee="30.00")
    client.force_login(applicant)
    client.post(f"/antraege/{page.form_key}/")
    submission = Submission.objects.get()
    client.post(
        f"/antraege/antrag/{submission.public_id}/schritt/1/",
        {
            "kennzeichen": "UN-AB 123",
            "zone": "Zone B",
            "fahrzeugschein": SimpleUploadedFile("schein.pdf", PDF),
            "action": "weiter",
        },
    )
    response = client.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {"consent": "on"})
    assert response["Location"].startswith("/bezahlen/demo/")
    assert Payment.objects.get().amount_minor == 3000
    assert not Ticket.objects.exists()


def test_an_unpublished_form_page_is_not_offered(client, form_page, applicant):
    page, _service = form_page()
    page.unpublish()
    client.force_login(applicant)
    assert client.get(f"/antraege/{page.form_key}/").status_code == 404
    assert client.get("/antraege/seite-abc/").status_code == 404
