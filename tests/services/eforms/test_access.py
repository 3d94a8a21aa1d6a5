"""A citizen sees only their own applications, receipts, documents and uploads; staff only those
of their department's tickets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.departments.models import DepartmentMembership, MembershipRole
from services.eforms.constants import SubmissionStatus
from services.eforms.models import Submission, SubmissionFile
from services.eforms.uploads import checked_upload
from tests.factories import DepartmentFactory, StaffUserFactory, UserFactory

from .conftest import start
from .test_flow import _sperrmuell_steps

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


@pytest.fixture
def released(client, offer, applicant, fill):
    """A released application of the applicant, with an uploaded proof."""
    service = offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    fill(submission, _sperrmuell_steps())
    clean = checked_upload(SimpleUploadedFile("vollmacht.pdf", PDF))
    SubmissionFile.objects.create(
        submission=submission,
        field="proof",
        file=clean,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=clean.size,
    )
    client.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {"consent": "on"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED
    client.logout()
    return submission, service


def _urls(submission):
    base = f"/antraege/antrag/{submission.public_id}"
    return {
        "get": [
            f"{base}/",
            f"{base}/schritt/1/",
            f"{base}/pruefen/",
            f"{base}/eingangsbestaetigung.pdf",
            f"{base}/dokument/urkunde.pdf",
        ],
        "post": [f"{base}/bezahlen/", f"{base}/zurueckziehen/", f"{base}/pruefen/"],
    }


def test_another_citizen_gets_not_found_everywhere(client, released):
    submission, _service = released
    client.force_login(UserFactory())
    urls = _urls(submission)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, {"consent": "on"}).status_code == 404, url
    assert submission.number not in client.get("/antraege/meine/").content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED


def test_an_anonymous_visitor_is_sent_to_the_login(client, released):
    submission, _service = released
    for url in _urls(submission)["get"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_applicant_gets_the_receipt(client, released, applicant):
    submission, _service = released
    client.force_login(applicant)
    response = client.get(f"/antraege/antrag/{submission.public_id}/eingangsbestaetigung.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")


def test_a_draft_has_no_receipt(client, offer, applicant):
    offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    url = f"/antraege/antrag/{submission.public_id}/eingangsbestaetigung.pdf"
    assert client.get(url).status_code == 404


def test_uploads_are_for_the_departments_staff_only(client, released, login_with_second_factor):
    submission, service = released
    stored = SubmissionFile.objects.get(submission=submission)
    url = f"/admin/antraege/datei/{stored.pk}/"

    outsider = StaffUserFactory()
    DepartmentMembership.objects.create(
        user=outsider, department=DepartmentFactory(), role=MembershipRole.CLERK
    )
    login_with_second_factor(client, outsider)
    refused = client.get(url)  # Wagtail's admin answers a refusal with a redirect and a message
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert not hasattr(refused, "streaming_content")
    client.logout()

    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(
        user=clerk, department=service.department, role=MembershipRole.CLERK
    )
    from portal.tickets.services import ticket_route

    ticket_route(ticket_id=submission.ticket_id)
    login_with_second_factor(client, clerk)
    detail = client.get(f"/admin/anliegen/{submission.ticket_id}/").content.decode()
    assert submission.number in detail
    assert "Hagenstraße 12" in detail  # the answers, for staff only
    assert "Nachweis herunterladen: vollmacht.pdf" in detail
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_my_applications_list_has_constant_queries(
    client, applicant, django_assert_max_num_queries
):
    Submission.objects.bulk_create(
        Submission(
            form_key="sperrmuell",
            service_title="Sperrmüll",
            applicant=applicant,
            status=SubmissionStatus.RELEASED if n % 2 else SubmissionStatus.DRAFT,
            number=f"A-2026-{n:06d}" if n % 2 else None,
        )
        for n in range(60)
    )
    Submission.objects.create(form_key="sperrmuell", service_title="fremd", applicant=UserFactory())
    client.force_login(applicant)
    # session, user, count, page, site + settings (created on first use), permissions
    with django_assert_max_num_queries(12):
        response = client.get("/antraege/meine/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Entwurf fortsetzen") == 10  # 20 per page, every second one a draft
    assert "fremd" not in page
