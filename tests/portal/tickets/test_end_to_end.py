"""The whole loop with the real parts: a citizen's contact form, the real worker routing it by
the first matching rule, the clerk handling it in the admin, and the citizen following every
public step on the status page and by e-mail."""

import re

import pytest
from django.test import Client

from portal.core.models import OutboxMessage
from portal.departments.models import Department, DepartmentMembership, District
from portal.tickets.constants import EventKind, RoutingState, TicketStatus
from portal.tickets.models import Category, RoutingRule, Ticket
from tests.factories import StaffUserFactory
from tests.waiting import filed_mails, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_contact_form_to_department_to_citizen(
    client, demo_site, redis_server, start_celery_worker, login_with_second_factor, tmp_path
):
    mail_dir = tmp_path / "mail"
    start_celery_worker(
        redis_server,
        TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TEST_EMAIL_FILE_PATH=str(mail_dir),
    )
    playground = Category.objects.get(slug="spielplatz")
    youth = Department.objects.get(short_name="JA")
    ergste = District.objects.get(name="Ergste")
    RoutingRule.objects.create(
        position=1, name="Spielplätze in Ergste", category=playground, district=ergste,
        department=youth,
    )  # fmt: skip
    # a later rule that would also match must not win
    RoutingRule.objects.create(position=2, name="Alle Spielplätze", category=playground,
                               department=Department.objects.get(short_name="GFA"))  # fmt: skip

    # the citizen, anonymous, sends the form
    page = client.get("/anliegen/neu/")
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(
        "/anliegen/neu/",
        {
            "form_token": token,
            "category": playground.pk,
            "message": "Die Schaukel auf dem Spielplatz am Freischütz hat eine gerissene Kette.",
            "address": "Am Freischütz, Ergste",
            "latitude": "51.4150",
            "longitude": "7.5600",
            "email": "eltern@example.org",
        },
        follow=True,
    )
    assert response.status_code == 200
    ticket = Ticket.objects.get(summary__startswith="Die Schaukel auf dem Spielplatz am Freisch")
    assert ticket.number in response.content.decode()

    # the worker routes it by the first matching rule
    def routed():
        ticket.refresh_from_db()
        return ticket.routing_state == RoutingState.ROUTED

    assert wait_until(routed), "not routed"
    assert ticket.department == youth
    assert ticket.events.get(kind=EventKind.ROUTED).rule.name == "Spielplätze in Ergste"

    # the clerk of the Jugendamt finds it in the queue, accepts and answers
    clerk = StaffUserFactory(first_name="Jana", last_name="Jugend")
    DepartmentMembership.objects.create(department=youth, user=clerk)
    staff = Client()
    login_with_second_factor(staff, clerk)
    queue = staff.get("/admin/anliegen/")
    assert ticket.number in queue.content.decode()
    assert staff.get(f"/admin/anliegen/{ticket.pk}/").status_code == 200
    assert staff.post(f"/admin/anliegen/{ticket.pk}/annehmen/", {}).status_code == 302
    response = staff.post(
        f"/admin/anliegen/{ticket.pk}/status/",
        {
            "status": TicketStatus.IN_PROGRESS,
            "public_message": "Die Kette wird am Donnerstag getauscht.",
            "internal_note": "Firma Spielgeräte Ruhr beauftragt",
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS

    # the citizen follows it on the status page: every public step, nothing internal
    status_page = client.get(f"/anliegen/status/{ticket.access_token}/").content.decode()
    for text in ("eingegangen", "in Prüfung", "in Bearbeitung", "am Donnerstag getauscht"):
        assert text in status_page, text
    assert "Spielgeräte Ruhr" not in status_page
    assert "Jugend" not in status_page.replace("Jugendamt", "")

    # and by e-mail: receipt, "in Prüfung", "in Bearbeitung"; the department got one mail
    def all_sent():
        return not OutboxMessage.objects.filter(
            context__ticket=ticket.pk, sent_at__isnull=True
        ).exists()

    assert wait_until(all_sent), list(
        OutboxMessage.objects.filter(context__ticket=ticket.pk).values_list("key", "sent_at")
    )
    sent = filed_mails(mail_dir)
    to_citizen = [m for m in sent if "To: eltern@example.org" in m]
    to_department = [m for m in sent if f"To: {youth.email}" in m]
    assert len(to_citizen) == 3, [m[:300] for m in sent]
    assert len(to_department) == 1
    assert ticket.number in to_department[0]
    assert "eltern@example.org" not in to_department[0]
    assert any("am Donnerstag getauscht" in m for m in to_citizen)
    assert all(ticket.access_token in m for m in to_citizen)
