"""The e-mails of the ticket spine, as the worker builds and sends them: German, plain text and
HTML, the status link for citizens, the admin link (and no citizen data) for departments."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portal.contact.services import contact_submit
from portal.core.models import OutboxMessage
from portal.core.outbox.services import build_email
from portal.core.tasks import outbox_send_task
from portal.departments.models import DepartmentMembership
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Category
from portal.tickets.services import (
    department_digest_create,
    ticket_change_status,
    ticket_hand_over,
    ticket_route,
)
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

STATUS_PREFIX = "http://testserver/anliegen/status/"


def owed(kind: str, **context) -> OutboxMessage:
    """The e-mail of `kind` the ticket services owe, from the kernel's outbox."""
    lookups = {f"context__{name}": value for name, value in context.items()}
    return OutboxMessage.objects.get(kind=f"tickets.{kind}", **lookups)


@pytest.fixture
def department():
    return DepartmentFactory(name="Technische Betriebe", email="tbs@stadt.example")


@pytest.fixture
def category(department):
    return Category.objects.create(
        name="Wilder Müll", slug="wilder-muell", sla_days=3, default_department=department
    )


@pytest.fixture
def citizen():
    return UserFactory(first_name="Erika", last_name="Mustermann", email="erika@example.org")


@pytest.fixture
def clerk(department):
    user = UserFactory(first_name="Interna", last_name="Geheim", email="interna@stadt.example")
    DepartmentMembership.objects.create(department=department, user=user)
    return user


@pytest.fixture
def ticket(category, citizen):
    return contact_submit(
        kind="anliegen",
        category=category,
        message="Sperrmüll am Waldrand, seit einer Woche.",
        user=citizen,
        address="Am Waldrand 3",
    )


def parts(message) -> tuple[str, str]:
    assert len(message.alternatives) == 1
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return message.body, html


def assert_well_formed_html(html: str) -> None:
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in html
    assert "<img" not in html and "<script" not in html
    assert "src=" not in html and "<link" not in html  # no external resources


def test_receipt_e_mail(ticket):
    notification = owed("receipt", ticket=ticket.pk)
    message = build_email(notification)

    assert message.to == ["erika@example.org"]
    assert message.subject == f"[Bürgerportal] Ihr Anliegen {ticket.number} ist eingegangen"
    text, html = parts(message)
    status_url = f"{STATUS_PREFIX}{ticket.access_token}/"
    for part in (text, html):
        assert "Guten Tag," in part
        assert ticket.number in part
        assert "Wilder Müll" in part
        assert "innerhalb von 3 Arbeitstagen" in part
        assert date_format(ticket.due_date, "j. F Y") in part
        assert status_url in part
        assert "Sperrmüll am Waldrand" in part  # a copy of what the citizen wrote
    assert f'href="{status_url}"' in html
    assert "&amp;" not in text and "&#x27;" not in text  # plain text is not HTML-escaped
    assert_well_formed_html(html)


def test_receipt_goes_to_the_contact_address_of_an_anonymous_citizen(category):
    ticket = contact_submit(
        kind="anliegen", category=category, message="Müll", email="lea@example.org"
    )
    message = build_email(owed("receipt"))
    assert message.to == ["lea@example.org"]
    assert ticket.number in message.subject


def test_status_e_mail_shows_the_public_message_but_no_staff_or_notes(ticket, clerk):
    ticket_route(ticket_id=ticket.pk)
    ticket_change_status(
        ticket=ticket,
        actor=clerk,
        status=TicketStatus.IN_PROGRESS,
        public_message="Wir holen den Müll am Montag ab.",
        internal_note="Kolonne 3 einplanen, Anwohner ist schwierig.",
    )
    notification = owed("status")
    message = build_email(notification)

    assert message.to == ["erika@example.org"]
    assert message.subject == f"[Bürgerportal] Ihr Anliegen {ticket.number}: in Bearbeitung"
    text, html = parts(message)
    for part in (text, html):
        assert "in Bearbeitung" in part
        assert "Wir holen den Müll am Montag ab." in part
        assert f"{STATUS_PREFIX}{ticket.access_token}/" in part
        for secret in ("Interna", "Geheim", "interna@", "Kolonne 3", "tbs@stadt.example"):
            assert secret not in part, secret
    assert_well_formed_html(html)


def test_department_e_mail_has_what_the_department_needs_and_no_citizen_data(
    ticket, department, citizen
):
    ticket_route(ticket_id=ticket.pk)
    notification = owed("department_new")
    message = build_email(notification)

    assert message.to == ["tbs@stadt.example"]
    assert message.subject == f"[Bürgerportal] Neues Anliegen {ticket.number}: Wilder Müll"
    text, html = parts(message)
    admin_url = "http://testserver" + reverse("tickets_admin:detail", args=[ticket.pk])
    for part in (text, html):
        assert "Technische Betriebe" in part
        assert ticket.number in part
        assert "Wilder Müll" in part
        assert "Sperrmüll am Waldrand" in part
        assert "Am Waldrand 3" in part
        assert date_format(ticket.due_date, "j. F Y") in part
        assert admin_url in part
        # privacy: the department answers through the portal
        for personal in ("erika@example.org", "Erika", "Mustermann", ticket.access_token):
            assert personal not in part, personal
    assert citizen.email not in message.subject
    assert_well_formed_html(html)


def test_department_e_mail_after_a_hand_over_gives_the_reason(ticket, clerk):
    ticket_route(ticket_id=ticket.pk)
    other = DepartmentFactory(name="Grünflächenamt", email="gfa@stadt.example")
    ticket_hand_over(
        ticket=ticket, actor=clerk, department=other, reason="Liegt im Wald, nicht an der Straße."
    )
    notification = owed("department_new", department=other.pk)
    message = build_email(notification)

    assert message.to == ["gfa@stadt.example"]
    assert "an Sie abgegeben" in message.subject
    text, html = parts(message)
    assert "Liegt im Wald" in text and "Liegt im Wald" in html
    assert "erika@example.org" not in text + html


def test_department_digest_lists_overdue_and_new_tickets(category, department, citizen):
    new = contact_submit(kind="anliegen", category=category, message="Neu", user=citizen)
    old = contact_submit(kind="anliegen", category=category, message="Alt", user=citizen)
    for ticket in (new, old):
        ticket_route(ticket_id=ticket.pk)
    week_ago = timezone.now() - timezone.timedelta(days=7)
    type(old).objects.filter(pk=old.pk).update(
        received_at=week_ago, due_date=timezone.localdate() - timezone.timedelta(days=2)
    )
    old.refresh_from_db()

    notification = department_digest_create(department_id=department.pk)
    message = build_email(notification)

    assert message.to == ["tbs@stadt.example"]
    assert (
        message.subject == "[Bürgerportal] Tagesübersicht Technische Betriebe: 1 überfällig, 1 neu"
    )
    text, html = parts(message)
    queue_url = "http://testserver" + reverse("tickets_admin:queue")
    for part in (text, html):
        assert "Überfällig" in part and "Neu in den letzten 24 Stunden" in part
        assert old.number in part and new.number in part
        assert "Wilder Müll" in part
        assert date_format(old.due_date, "j. F Y") in part
        assert queue_url in part
        assert reverse("tickets_admin:detail", args=[old.pk]) in part
        assert "erika@example.org" not in part and "Mustermann" not in part
    assert (
        text.index(old.number)
        < text.index("Neu in den letzten 24 Stunden")
        < text.index(new.number)
    )
    assert_well_formed_html(html)


def test_the_send_task_sends_once_and_records_it(ticket):
    notification = owed("receipt", ticket=ticket.pk)
    mail.outbox.clear()

    outbox_send_task(notification.pk)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["erika@example.org"]
    notification.refresh_from_db()
    assert notification.sent_at is not None

    outbox_send_task(notification.pk)  # a redelivered task
    assert len(mail.outbox) == 1


def test_no_e_mail_address_means_no_notification(category):
    contact_submit(kind="anliegen", category=category, message="Ohne Adresse")
    assert not OutboxMessage.objects.filter(kind="tickets.receipt").exists()
