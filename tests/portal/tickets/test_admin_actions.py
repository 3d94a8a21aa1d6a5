"""What a clerk does with one ticket in the back office, and the admin's retry of failed jobs."""

from unittest import mock

import pytest
from django.test import Client

from portal.core.models import OutboxMessage
from portal.core.tasks import outbox_send_task
from portal.departments.models import DepartmentMembership
from portal.tickets import tasks
from portal.tickets.constants import EventKind, RoutingState, TicketStatus
from portal.tickets.models import FailedJob, ReplyTemplate, Ticket, TicketEvent
from portal.tickets.services import ticket_change_status, ticket_routing_failed
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    StaffUserFactory,
    UserFactory,
    open_ticket,
    routed_ticket,
)

pytestmark = pytest.mark.django_db

IN_PROGRESS_TEXT = "Ihr Anliegen ist in Bearbeitung. Wir kümmern uns darum."


@pytest.fixture
def desk(client, login_with_second_factor):
    department = DepartmentFactory(name="Tiefbauamt", short_name="TBA")
    other = DepartmentFactory(name="Grünflächenamt", short_name="GFA")
    clerk = StaffUserFactory(email="clerk@stadt.example", first_name="Tilo", last_name="Tiefbau")
    colleague = StaffUserFactory(email="kim@stadt.example", first_name="Kim", last_name="Kollege")
    stranger = StaffUserFactory(email="gruen@stadt.example", first_name="Greta", last_name="Grün")
    DepartmentMembership.objects.create(department=department, user=clerk)
    DepartmentMembership.objects.create(department=department, user=colleague)
    DepartmentMembership.objects.create(department=other, user=stranger)
    category = CategoryFactory(name="Straßenschäden", default_department=department)
    ReplyTemplate.objects.create(
        category=category, status=TicketStatus.IN_PROGRESS, text=IN_PROGRESS_TEXT
    )
    ReplyTemplate.objects.create(
        category=category, status=TicketStatus.DONE, text="Erledigt, danke für den Hinweis!"
    )
    ticket = routed_ticket(
        department=department,
        category=category,
        message="Schlagloch vor Hausnummer 12",
        email="buerger@example.org",
    )
    login_with_second_factor(client, clerk)
    return {
        "client": client,
        "department": department,
        "other": other,
        "clerk": clerk,
        "colleague": colleague,
        "stranger": stranger,
        "category": category,
        "ticket": ticket,
    }


def url(ticket, action: str = "") -> str:
    return f"/admin/anliegen/{ticket.pk}/" + (f"{action}/" if action else "")


def reload(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_detail_shows_header_source_location_contact_and_timeline(desk):
    ticket = desk["ticket"]
    Ticket.objects.filter(pk=ticket.pk).update(address="Hauptstraße 12")
    page = desk["client"].get(url(ticket)).content.decode()
    assert f"Anliegen {ticket.number}" in page
    assert "Tiefbauamt" in page
    assert ticket.due_date.strftime("%d.%m.%Y") in page
    assert "Hauptstraße 12" in page
    assert "buerger@example.org" in page  # staff see the contact
    # the source, inline: the contact request as the citizen wrote it
    assert "Anliegen an die Stadt" in page and "Schlagloch vor Hausnummer 12" in page
    # the timeline: receipt and routing, with the routing note
    assert "Ihr Anliegen ist eingegangen." in page
    assert "Zugeordnet an Tiefbauamt" in page
    assert "nur intern" in page


def test_accept_puts_ticket_in_review_with_an_event(desk):
    ticket = desk["ticket"]
    response = desk["client"].post(url(ticket, "annehmen"), {"public_message": ""}, follow=True)
    assert response.status_code == 200
    assert f"Sie haben die Zuständigkeit für {ticket.number} übernommen." in (
        response.content.decode()
    )
    ticket = reload(ticket)
    assert ticket.status == TicketStatus.IN_REVIEW
    assert ticket.get_status_display() == "in Prüfung"
    assert ticket.assignee == desk["clerk"]
    event = ticket.events.get(kind=EventKind.ACCEPTED)
    assert event.actor == desk["clerk"]
    assert (event.from_status, event.to_status) == (TicketStatus.RECEIVED, TicketStatus.IN_REVIEW)
    # accepting twice is refused in German, and the button is gone
    response = desk["client"].post(url(ticket, "annehmen"), {})
    assert response.status_code == 400
    assert "Die Zuständigkeit wurde bereits übernommen." in response.content.decode()
    assert ticket.events.filter(kind=EventKind.ACCEPTED).count() == 1


def test_hand_over_requires_a_reason_and_notifies_the_new_department(desk):
    ticket, other = desk["ticket"], desk["other"]
    response = desk["client"].post(url(ticket, "abgeben"), {"department": other.pk, "reason": ""})
    assert response.status_code == 400
    assert "Bitte geben Sie einen Grund für die Abgabe an." in response.content.decode()
    assert reload(ticket).department == desk["department"]

    response = desk["client"].post(
        url(ticket, "abgeben"), {"department": other.pk, "reason": "Baumwurzel, nicht Straße"}
    )
    # the clerk no longer sees the ticket, so they go back to their queue
    assert response.status_code == 302 and response["Location"] == "/admin/anliegen/"
    ticket = reload(ticket)
    assert ticket.department == other and ticket.assignee is None
    event = ticket.events.get(kind=EventKind.HANDED_OVER)
    assert event.internal_note == "Baumwurzel, nicht Straße"
    assert OutboxMessage.objects.filter(
        kind="tickets.department_new",
        context__ticket=ticket.pk,
        context__department=other.pk,
        context__event=event.pk,
    ).exists()
    assert desk["client"].get(url(ticket)).status_code == 404


def test_assign_only_to_members_of_the_department(desk):
    ticket = desk["ticket"]
    page = desk["client"].get(url(ticket)).content.decode()
    assert "Kim Kollege" in page and "Greta Grün" not in page  # only members are offered

    response = desk["client"].post(url(ticket, "zuweisen"), {"assignee": desk["stranger"].pk})
    assert response.status_code == 400
    assert "gültige Auswahl" in response.content.decode()
    assert reload(ticket).assignee is None

    response = desk["client"].post(url(ticket, "zuweisen"), {"assignee": desk["colleague"].pk})
    assert response.status_code == 302
    assert reload(ticket).assignee == desk["colleague"]
    assert ticket.events.get(kind=EventKind.ASSIGNED).internal_note == "Zugewiesen an Kim Kollege."


def test_status_change_with_a_prefilled_textbaustein(desk):
    ticket = desk["ticket"]
    client = desk["client"]
    # without JavaScript: the status as a GET parameter prefills its Textbaustein ...
    page = client.get(url(ticket) + "?status=in_bearbeitung").content.decode()
    assert f"\n{IN_PROGRESS_TEXT}</textarea>" in page
    # ... and so does the "Textbaustein einsetzen" button, without changing anything
    response = client.post(
        url(ticket, "status"), {"status": "in_bearbeitung", "load_template": "1"}
    )
    assert response.status_code == 200
    assert f"\n{IN_PROGRESS_TEXT}</textarea>" in response.content.decode()
    assert reload(ticket).status == TicketStatus.RECEIVED

    response = client.post(
        url(ticket, "status"),
        {"status": "in_bearbeitung", "public_message": IN_PROGRESS_TEXT, "internal_note": "Bauhof"},
        follow=True,
    )
    assert "Der Status von" in response.content.decode()
    ticket = reload(ticket)
    assert ticket.status == TicketStatus.IN_PROGRESS
    event = ticket.events.get(kind=EventKind.STATUS)
    assert event.public_message == IN_PROGRESS_TEXT and event.internal_note == "Bauhof"
    assert event.actor == desk["clerk"]
    # the citizen gets an e-mail about the public step
    assert OutboxMessage.objects.filter(kind="tickets.status", context__event=event.pk).exists()


def test_only_allowed_transitions_are_offered_and_others_refused_in_german(desk):
    ticket = desk["ticket"]
    ticket_change_status(ticket=ticket, actor=desk["clerk"], status=TicketStatus.DONE)
    page = desk["client"].get(url(ticket)).content.decode()
    assert 'value="in_pruefung"' in page  # reopening is the only way on
    assert 'value="in_bearbeitung"' not in page
    assert "Als Duplikat markieren" not in page

    response = desk["client"].post(
        url(ticket, "status"), {"status": "in_bearbeitung", "public_message": "Doch nicht"}
    )
    assert response.status_code == 400
    assert "Dieser Statuswechsel ist im Moment nicht möglich." in response.content.decode()
    assert reload(ticket).status == TicketStatus.DONE

    # a bulk status change meets the workflow's own German message
    response = desk["client"].post(
        "/admin/anliegen/sammelaktion/",
        {"action": "status", "status": "in_bearbeitung", "ticket": [ticket.pk]},
        follow=True,
    )
    assert "Von „erledigt“ kann nicht zu „in Bearbeitung“ gewechselt werden." in (
        response.content.decode()
    )
    assert reload(ticket).status == TicketStatus.DONE


def test_internal_note(desk):
    ticket = desk["ticket"]
    response = desk["client"].post(url(ticket, "notiz"), {"note": "  "})
    assert response.status_code == 400
    assert "Die Notiz ist leer." in response.content.decode()
    desk["client"].post(url(ticket, "notiz"), {"note": "Bauhof informiert"})
    event = ticket.events.get(kind=EventKind.NOTE)
    assert event.internal_note == "Bauhof informiert" and not event.is_public


def test_mark_duplicate_by_number(desk):
    ticket = desk["ticket"]
    original = routed_ticket(department=desk["department"], category=desk["category"])
    response = desk["client"].post(url(ticket, "duplikat"), {"original": "2099-999999"})
    assert response.status_code == 400
    assert "Es gibt kein Anliegen mit der Nummer 2099-999999" in response.content.decode()

    response = desk["client"].post(url(ticket, "duplikat"), {"original": original.number})
    assert response.status_code == 302
    ticket = reload(ticket)
    assert ticket.status == TicketStatus.DUPLICATE and ticket.duplicate_of == original
    assert ticket.public_status_label == f"Duplikat von {original.number}"
    page = desk["client"].get(url(ticket)).content.decode()
    assert f"Duplikat von {original.number}" in page


def test_close_as_not_feasible_needs_a_reason(desk):
    ticket = desk["ticket"]
    response = desk["client"].post(
        url(ticket, "abschliessen"), {"status": "nicht_umsetzbar", "reason": ""}
    )
    assert response.status_code == 400
    assert "Bitte begründen Sie, warum das Anliegen nicht umsetzbar ist." in (
        response.content.decode()
    )
    assert reload(ticket).status == TicketStatus.RECEIVED

    response = desk["client"].post(
        url(ticket, "abschliessen"),
        {"status": "nicht_umsetzbar", "reason": "Privatgrundstück, nicht städtisch."},
    )
    assert response.status_code == 302
    ticket = reload(ticket)
    assert ticket.status == TicketStatus.NOT_FEASIBLE
    assert ticket.status_reason == "Privatgrundstück, nicht städtisch."
    assert ticket.closed_at is not None


def test_close_as_done_with_the_prefilled_text(desk):
    ticket = desk["ticket"]
    page = desk["client"].get(url(ticket)).content.decode()
    assert "\nErledigt, danke für den Hinweis!</textarea>" in page
    desk["client"].post(
        url(ticket, "abschliessen"),
        {"status": "erledigt", "reason": "Erledigt, danke für den Hinweis!"},
    )
    assert reload(ticket).status == TicketStatus.DONE


def test_bulk_accept_and_assign(desk):
    first = desk["ticket"]
    second = routed_ticket(department=desk["department"], category=desk["category"])
    client = desk["client"]
    response = client.post(
        "/admin/anliegen/sammelaktion/",
        {"action": "accept", "ticket": [first.pk, second.pk], "next": "/admin/anliegen/?q=x"},
    )
    assert response["Location"] == "/admin/anliegen/?q=x"
    assert {reload(t).status for t in (first, second)} == {TicketStatus.IN_REVIEW}

    response = client.post(
        "/admin/anliegen/sammelaktion/",
        {"action": "assign", "ticket": [first.pk, second.pk], "assignee": desk["colleague"].pk},
        follow=True,
    )
    assert "2 Anliegen bearbeitet" in response.content.decode()
    assert {reload(t).assignee for t in (first, second)} == {desk["colleague"]}

    # parameters missing: nothing happens, and the clerk is told why
    response = client.post(
        "/admin/anliegen/sammelaktion/",
        {"action": "hand_over", "ticket": [first.pk], "department": desk["other"].pk},
        follow=True,
    )
    assert "Bitte geben Sie einen Grund für die Abgabe an." in response.content.decode()
    assert reload(first).department == desk["department"]
    response = client.post("/admin/anliegen/sammelaktion/", {"action": "accept"}, follow=True)
    assert "Bitte wählen Sie mindestens ein Anliegen aus." in response.content.decode()


@pytest.fixture
def admin_client(login_with_second_factor):
    client = Client()
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def test_failed_job_retry_re_enqueues_once(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    ticket = open_ticket(category=CategoryFactory())
    ticket_routing_failed(ticket_id=ticket.pk, error="Keine Regel, kein Fachbereich")
    job = FailedJob.objects.get()
    sent = []
    monkeypatch.setattr(
        tasks.ticket_route_task, "apply_async", lambda args, **kw: sent.append(args)
    )

    page = admin_client.get("/admin/anliegen/fehlgeschlagen/").content.decode()
    assert "Keine Regel, kein Fachbereich" in page and ticket.number in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/anliegen/fehlgeschlagen/{job.pk}/erneut/")
    assert response.status_code == 302
    assert sent == [[ticket.pk]]
    job.refresh_from_db()
    assert job.retried_at is not None
    assert reload(ticket).routing_state == RoutingState.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/anliegen/fehlgeschlagen/{job.pk}/erneut/", follow=True
        )
    assert "Dieser Auftrag wurde bereits erneut gestartet." in response.content.decode()
    assert sent == [[ticket.pk]]
    assert (
        "erneut gestartet am"
        in admin_client.get("/admin/anliegen/fehlgeschlagen/").content.decode()
    )


def test_a_failed_e_mail_is_listed_and_sent_once_on_retry(
    admin_client, outbox_worker, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = open_ticket(email="b@example.org")
    receipt = OutboxMessage.objects.get(kind="tickets.receipt", context__ticket=ticket.pk)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError
    ):
        assert outbox_send_task.apply(args=[receipt.pk]).failed()
    assert mailoutbox == []

    page = admin_client.get("/admin/anliegen/fehlgeschlagen/").content.decode()
    assert "Fehlgeschlagene E-Mails" in page
    assert f"tickets.receipt ({receipt.pk})" in page and "ConnectionRefusedError" in page
    assert "b@example.org" not in page

    retry = f"/admin/anliegen/fehlgeschlagen/e-mail/{receipt.pk}/erneut/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(retry, follow=True)
    assert "Die E-Mail wird erneut gesendet." in response.content.decode()
    assert [m.to for m in mailoutbox] == [["b@example.org"]]
    assert ticket.number in mailoutbox[0].subject
    assert "Keine fehlgeschlagenen E-Mails." in response.content.decode()
    assert admin_client.post(retry).status_code == 404  # sent: nothing to retry


def test_timeline_events_are_not_changed_by_the_views(desk):
    """The timeline is append-only: actions add events, never rewrite earlier ones."""
    ticket = desk["ticket"]
    before = list(TicketEvent.objects.filter(ticket=ticket).values_list("pk", "internal_note"))
    desk["client"].post(url(ticket, "annehmen"), {})
    desk["client"].post(url(ticket, "notiz"), {"note": "Eins"})
    after = list(TicketEvent.objects.filter(ticket=ticket).values_list("pk", "internal_note"))
    assert after[: len(before)] == before and len(after) == len(before) + 2
