"""An application from the first step to the department: stored before anything else, sent once,
routed through the ticket spine."""

import pytest
from django.core import mail

from portal.tickets.constants import RoutingState
from portal.tickets.models import Ticket
from portal.tickets.services import ticket_route
from services.eforms.constants import SubmissionStatus
from services.eforms.definitions.sperrmuell import pickup_days
from services.eforms.models import Submission

from .conftest import start

pytestmark = pytest.mark.django_db


def _sperrmuell_steps():
    day = pickup_days()[0][0]
    return [
        {"items": ["moebel"], "description": "1 Schrank, 2 Stühle", "volume": "2"},
        {"street": "Hagenstraße 12", "postcode": "58239", "pickup_date": day.isoformat()},
    ]


def test_an_anonymous_visitor_is_asked_to_sign_in(client, offer):
    offer("sperrmuell")
    response = client.get("/antraege/sperrmuell/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/antraege/sperrmuell/")


def test_a_form_without_a_published_service_is_not_offered(client, applicant):
    client.force_login(applicant)
    assert client.get("/antraege/sperrmuell/").status_code == 404
    assert client.get("/antraege/gibt-es-nicht/").status_code == 404


def test_a_free_application_goes_to_the_department_at_once(
    client, offer, applicant, fill, django_capture_on_commit_callbacks
):
    service = offer("sperrmuell", title="Sperrmüll-Abholung")
    client.force_login(applicant)
    assert "Antrag beginnen" in client.get("/antraege/sperrmuell/").content.decode()
    submission = start(client, "sperrmuell")
    assert submission.status == SubmissionStatus.DRAFT
    response = fill(submission, _sperrmuell_steps())
    assert response["Location"] == f"/antraege/antrag/{submission.public_id}/pruefen/"

    review = client.get(response["Location"]).content.decode()
    assert "1 Schrank, 2 Stühle" in review
    assert "Hagenstraße 12" in review
    assert "Für diesen Antrag fällt keine Gebühr an." in review

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"consent": "on"})
    submission.refresh_from_db()
    assert response["Location"] == f"/antraege/antrag/{submission.public_id}/"
    assert submission.status == SubmissionStatus.RELEASED
    assert submission.number.startswith("A-")
    ticket = submission.ticket
    assert ticket.source_kind == "antrag"
    assert ticket.category == service.category
    assert ticket.citizen == applicant
    assert submission.number in ticket.summary
    # no personal data in the queue's summary: it is in the source panel
    assert "Hagenstraße" not in ticket.summary

    ticket_route(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.routing_state == RoutingState.ROUTED
    assert ticket.department == service.department

    page = client.get(response["Location"]).content.decode()
    assert "Vielen Dank! Ihr Antrag ist eingegangen." in page
    assert ticket.number in page


def test_consent_is_required(client, offer, applicant, fill):
    offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    fill(submission, _sperrmuell_steps())
    response = client.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {})
    assert response.status_code == 200
    assert "Bitte bestätigen Sie, dass Ihre Angaben richtig sind." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT
    assert not Ticket.objects.exists()


def test_a_double_submit_sends_once(client, offer, applicant, fill):
    offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    fill(submission, _sperrmuell_steps())
    url = f"/antraege/antrag/{submission.public_id}/pruefen/"
    first = client.post(url, {"consent": "on"})
    second = client.post(url, {"consent": "on"})
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1
    from services.eforms.models import SubmissionSequence

    assert SubmissionSequence.objects.get().last_number == 1  # no number used up twice


def test_steps_cannot_be_skipped_and_errors_are_german(client, offer, applicant):
    offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    assert client.get(f"/antraege/antrag/{submission.public_id}/schritt/2/").status_code == 404
    response = client.post(
        f"/antraege/antrag/{submission.public_id}/schritt/1/", {"action": "weiter"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bitte korrigieren Sie folgende Angaben:" in page
    assert "Bitte wählen Sie mindestens eine Art von Gegenständen." in page


def test_save_and_continue_later_keeps_what_was_typed(client, offer, applicant):
    offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    response = client.post(
        f"/antraege/antrag/{submission.public_id}/schritt/1/",
        {"description": "Ein altes Sofa", "volume": "9", "action": "speichern"},
    )
    assert response["Location"] == "/antraege/meine/"
    submission.refresh_from_db()
    assert submission.data["description"] == "Ein altes Sofa"
    assert "volume" not in submission.data  # invalid values are not kept
    assert submission.step == 0  # the step is not complete
    mine = client.get("/antraege/meine/").content.decode()
    assert "Entwurf fortsetzen" in mine
    assert f"/antraege/antrag/{submission.public_id}/schritt/1/" in mine
    again = client.get(f"/antraege/antrag/{submission.public_id}/schritt/1/").content.decode()
    assert "Ein altes Sofa" in again


def test_changed_answers_are_checked_again_on_submit(client, offer, applicant, fill):
    """A slot taken by others between the step and the submit is noticed."""
    offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    fill(submission, _sperrmuell_steps())
    Submission.objects.filter(pk=submission.pk).update(
        data={**Submission.objects.get(pk=submission.pk).data, "pickup_date": "1999-01-04"}
    )
    response = client.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {"consent": "on"})
    assert response.status_code == 200
    assert "Im Schritt „Ort und Termin“ fehlen Angaben" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_confirmation_mail_is_sent_once_with_the_receipt(
    client, offer, applicant, fill, django_capture_on_commit_callbacks
):
    from portal.core.models import OutboxMessage
    from portal.core.tasks import outbox_send_task

    offer("sperrmuell")
    client.force_login(applicant)
    submission = start(client, "sperrmuell")
    fill(submission, _sperrmuell_steps())
    client.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {"consent": "on"})
    submission.refresh_from_db()
    # owed once in the outbox, sent by its task; a redelivery sends nothing
    confirmation = OutboxMessage.objects.get(kind="eforms.confirmation")
    assert outbox_send_task.apply(args=[confirmation.pk]).get() is True
    assert outbox_send_task.apply(args=[confirmation.pk]).get() is False
    mails = [m for m in mail.outbox if submission.number in m.subject]
    assert len(mails) == 1
    assert mails[0].to == ["erika@example.org"]
    name, content, mimetype = mails[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
