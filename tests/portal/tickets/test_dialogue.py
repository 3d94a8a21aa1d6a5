"""The dialogue with the citizen over HTTP: a clerk's question stops the SLA clock, the citizen
answers through the status link (with a photo), says "nicht behoben" and rates the work; an
unanswered question is reminded of and then closed, documented."""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from portal.departments.models import DepartmentMembership
from portal.tickets.constants import EventKind, TicketStatus
from portal.tickets.models import Ticket, TicketAttachment, TicketFeedback
from portal.tickets.services import ticket_change_status, ticket_questions_due
from tests.factories import CategoryFactory, DepartmentFactory, StaffUserFactory, routed_ticket

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
MONDAY = datetime.datetime(2027, 2, 1, 10, 0, tzinfo=BERLIN)
CITIZEN = "fragende@example.org"
QUESTION = "Ist das Schlagloch vor Hausnummer 12 oder vor 14?"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def clock():
    """Monday, 1 February 2027, 10:00; the test moves it on (`clock.move_to`)."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clerk_client(login_with_second_factor, commit_each_request):
    return commit_each_request


@pytest.fixture
def citizen(commit_each_request, django_capture_on_commit_callbacks):
    """A second browser (the citizen's) whose requests commit like the clerk's."""
    browser = Client()
    request = browser.request

    def committed(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(**kwargs)

    browser.request = committed
    return browser


@pytest.fixture
def case(clock, db):
    department = DepartmentFactory(name="Tiefbauamt", email="tiefbau@stadt.example")
    clerk = StaffUserFactory(first_name="Tilo", last_name="Tiefbau")
    DepartmentMembership.objects.create(department=department, user=clerk)
    category = CategoryFactory(default_department=department, sla_days=10)
    ticket = routed_ticket(
        department=department, category=category, message="Schlagloch", email=CITIZEN
    )
    return {"ticket": ticket, "clerk": clerk, "department": department}


def ask(client, login, case, *, public=False):
    login(client, case["clerk"])
    data = {"question": QUESTION, **({"public": "on"} if public else {})}
    response = client.post(f"/admin/anliegen/{case['ticket'].pk}/rueckfrage/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Ticket.objects.get(pk=case["ticket"].pk)


def status_url(ticket, suffix=""):
    return f"/anliegen/status/{ticket.access_token}/{suffix}"


def test_a_question_pauses_the_clock_until_the_answer_with_a_photo(
    clerk_client, login_with_second_factor, case, mailoutbox, files_on_disk, clock, citizen
):
    due_before = case["ticket"].due_date
    assert due_before == datetime.date(2027, 2, 15)  # 10 working days from Monday, 1 February
    ticket = ask(clerk_client, login_with_second_factor, case)
    assert ticket.status == TicketStatus.WAITING
    assert ticket.due_date == due_before
    # the citizen is asked by e-mail, with the way to answer
    mail = [m for m in mailoutbox if m.to == [CITIZEN]][-1]
    assert mail.subject.endswith(f"Rückfrage zu Ihrem Anliegen {ticket.number}")
    assert QUESTION in mail.body and ticket.access_token in mail.body

    page = citizen.get(status_url(ticket)).content.decode()
    assert "Rückfrage an Sie" in page and QUESTION in page
    assert "Die Frist ruht, bis Sie unsere Rückfrage beantworten" in page
    # Thursday: three working days later (Tuesday, Wednesday, Thursday)
    clock.move_to(MONDAY + datetime.timedelta(days=3))
    response = citizen.post(
        status_url(ticket, "antwort/"),
        {
            "text": "Vor Hausnummer 14, direkt am Gullydeckel.",
            "photo": SimpleUploadedFile("loch.jpg", jpeg(), content_type="image/jpeg"),
        },
        follow=True,
    )
    assert "Vielen Dank für Ihre Antwort" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_REVIEW  # back where it was when asked
    assert ticket.due_date == datetime.date(2027, 2, 18)
    assert ticket.paused_days == 3 and ticket.waiting_since is None
    answer = ticket.events.get(kind=EventKind.ANSWER)
    assert answer.citizen_message == "Vor Hausnummer 14, direkt am Gullydeckel."
    photo = TicketAttachment.objects.get(event=answer)
    # in the private storage, never under MEDIA_ROOT (which the web server may serve)
    assert photo.image.path.startswith(str(files_on_disk / "private"))
    # the department hears of it
    to_department = [m for m in mailoutbox if m.to == ["tiefbau@stadt.example"]]
    assert any("Antwort auf Ihre Rückfrage" in m.subject for m in to_department)

    # the clerk sees answer and photo in the timeline; nobody else gets the photo
    login_with_second_factor(clerk_client, case["clerk"])
    detail = clerk_client.get(f"/admin/anliegen/{ticket.pk}/").content.decode()
    assert "Vor Hausnummer 14, direkt am Gullydeckel." in detail
    photo_url = f"/admin/anliegen/{ticket.pk}/foto/{photo.pk}/"
    assert photo_url in detail
    served = clerk_client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert citizen.get(photo_url).status_code in (302, 403)
    # the answer's text is not on the status page (anyone with the link could read it)
    page = citizen.get(status_url(ticket)).content.decode()
    assert "Antwort auf die Rückfrage eingegangen" in page
    assert "Gullydeckel" not in page


def test_a_private_question_stays_off_public_pages_and_a_public_one_is_shown(
    clerk_client, login_with_second_factor, case
):
    ticket = ask(clerk_client, login_with_second_factor, case)
    event = ticket.events.get(kind=EventKind.QUESTION)
    assert event.public_message == "" and event.citizen_message == QUESTION
    assert event.is_public  # the line is, its text is not
    ticket_change_status(
        ticket=ticket, actor=case["clerk"], status=TicketStatus.IN_REVIEW
    )  # answered by phone
    ticket = ask(clerk_client, login_with_second_factor, case, public=True)
    assert ticket.events.filter(kind=EventKind.QUESTION).last().public_message == QUESTION


def test_a_second_answer_is_refused_in_german_and_the_first_kept(
    clerk_client, login_with_second_factor, case
):
    ticket = ask(clerk_client, login_with_second_factor, case)
    citizen = Client()
    assert citizen.post(status_url(ticket, "antwort/"), {"text": "Erste"}).status_code == 302
    response = citizen.post(status_url(ticket, "antwort/"), {"text": "Zweite"})
    assert response.status_code == 400
    assert "keine offene Rückfrage" in response.content.decode()
    assert "Zweite" in response.content.decode()  # what was typed is not lost
    assert [e.citizen_message for e in ticket.events.filter(kind=EventKind.ANSWER)] == ["Erste"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "  "}, "Bitte schreiben Sie Ihre Antwort."),
        ({"text": "x" * 4001}, "höchstens 4000 Zeichen"),
        (
            {"text": "Foto", "photo": SimpleUploadedFile("a.jpg", b"kein Bild", "image/jpeg")},
            "Foto",
        ),
    ],
)
def test_a_bad_answer_gets_a_german_error(
    clerk_client, login_with_second_factor, case, data, message
):
    ticket = ask(clerk_client, login_with_second_factor, case)
    response = Client().post(status_url(ticket, "antwort/"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_an_unanswered_question_is_reminded_once_then_closed(
    clerk_client,
    login_with_second_factor,
    case,
    mailoutbox,
    django_capture_on_commit_callbacks,
    clock,
):
    ticket = ask(clerk_client, login_with_second_factor, case)
    reminders = lambda: [m for m in mailoutbox if "Erinnerung" in m.subject]  # noqa: E731
    # four working days later: nothing yet; five: a reminder, once
    for days, expected in ((4, 0), (7, 1), (8, 1)):
        clock.move_to(MONDAY + datetime.timedelta(days=days))
        with django_capture_on_commit_callbacks(execute=True):
            ticket_questions_due()
        assert len(reminders()) == expected, days
    assert QUESTION in reminders()[0].body
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    # ten working days after the question (Monday, 15 February): a documented closing
    clock.move_to(MONDAY + datetime.timedelta(days=14))
    with django_capture_on_commit_callbacks(execute=True):
        assert ticket_questions_due() == {"reminded": 0, "closed": 1}
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NOT_FEASIBLE
    closing = ticket.events.get(kind=EventKind.NO_ANSWER)
    assert "keine Antwort erhalten" in closing.public_message
    assert "01.02.2027" in closing.public_message
    assert any("keine Antwort erhalten" in m.body for m in mailoutbox if m.to == [CITIZEN])


def test_the_citizen_reopens_a_done_ticket_within_the_period(
    commit_each_request, case, mailoutbox, settings, clock
):
    ticket = case["ticket"]
    clock.move_to(MONDAY + datetime.timedelta(days=1))
    ticket_change_status(ticket=ticket, actor=case["clerk"], status=TicketStatus.DONE)
    citizen = commit_each_request
    clock.move_to(MONDAY + datetime.timedelta(days=8))
    page = citizen.get(status_url(ticket)).content.decode()
    assert "Ist es noch nicht behoben?" in page
    response = citizen.post(
        status_url(ticket, "nicht-behoben/"),
        {"reason": "Das Loch ist nur mit Sand gefüllt, es ist wieder offen."},
        follow=True,
    )
    assert "wieder geöffnet" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_REVIEW
    assert ticket.department == case["department"] and ticket.closed_at is None
    assert ticket.due_date == datetime.date(2027, 2, 23)  # a new period from Tuesday, 9 Feb.
    event = ticket.events.get(kind=EventKind.REOPENED)
    assert "nur mit Sand gefüllt" in event.citizen_message
    to_department = [m for m in mailoutbox if m.to == ["tiefbau@stadt.example"]]
    assert any("nicht behoben" in m.subject for m in to_department)

    # closed again, and after the period the form is gone and a POST refused
    ticket_change_status(ticket=ticket, actor=case["clerk"], status=TicketStatus.DONE)
    clock.shift(datetime.timedelta(days=settings.TICKETS_REOPEN_WITHIN_DAYS + 1))
    assert "Ist es noch nicht behoben?" not in citizen.get(status_url(ticket)).content.decode()
    response = citizen.post(status_url(ticket, "nicht-behoben/"), {"reason": "Immer noch"})
    assert response.status_code == 400
    assert "nicht mehr wieder geöffnet werden" in response.content.decode()


def test_satisfaction_is_asked_after_closing_and_never_public(client, case):
    ticket = case["ticket"]
    assert (
        "Sind Sie mit der Bearbeitung zufrieden?"
        not in client.get(status_url(ticket)).content.decode()
    )
    assert client.post(status_url(ticket, "bewertung/"), {"rating": "4"}).status_code == 400
    ticket_change_status(ticket=ticket, actor=case["clerk"], status=TicketStatus.DONE)
    page = client.get(status_url(ticket)).content.decode()
    assert "Sind Sie mit der Bearbeitung zufrieden?" in page

    response = client.post(status_url(ticket, "bewertung/"), {"rating": "7"})
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Bewertung von 1 bis 5." in response.content.decode()
    data = {"rating": "4", "comment": "Schnell, aber die Ränder bröckeln."}
    assert client.post(status_url(ticket, "bewertung/"), data).status_code == 302
    assert client.post(status_url(ticket, "bewertung/"), {"rating": "5"}).status_code == 302
    feedback = TicketFeedback.objects.get(ticket=ticket)
    assert (feedback.rating, feedback.comment) == (5, "")
    assert "Ihre Bewertung: 5 von 5" in client.get(status_url(ticket)).content.decode()


def test_the_clerk_cannot_ask_without_an_address(clerk_client, login_with_second_factor, case):
    ticket = case["ticket"]
    Ticket.objects.filter(pk=ticket.pk).update(contact_email="")
    login_with_second_factor(clerk_client, case["clerk"])
    response = clerk_client.post(f"/admin/anliegen/{ticket.pk}/rueckfrage/", {"question": "?"})
    assert response.status_code == 400
    assert re.search(r"keine E-Mail-Adresse", response.content.decode())
    assert Ticket.objects.get(pk=ticket.pk).status != TicketStatus.WAITING


def test_a_signed_in_citizen_finds_the_question_in_mein_konto(
    clerk_client, login_with_second_factor, case, client
):
    from tests.factories import UserFactory

    person = UserFactory(email="konto@example.org")
    Ticket.objects.filter(pk=case["ticket"].pk).update(citizen=person, contact_email="")
    ticket = ask(clerk_client, login_with_second_factor, case)
    client.force_login(person)
    page = client.get("/konto/anliegen/").content.decode()
    assert "Rückfrage an Sie" in page
    assert f"/anliegen/status/{ticket.access_token}/#antworten" in page
    response = client.post(status_url(ticket, "antwort/"), {"text": "Vor Nummer 14."})
    assert response.status_code == 302
    # signed in, the person sees their own answer on the status page; the link alone does not
    page = client.get(status_url(ticket)).content.decode()
    assert "Antwort auf die Rückfrage eingegangen" in page and "Vor Nummer 14." in page
    client.logout()
    assert "Vor Nummer 14." not in client.get(status_url(ticket)).content.decode()
