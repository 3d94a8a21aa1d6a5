"""Statistics for heads and admins, the routing rule tester, and the "Anliegen" menu."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.departments.models import DepartmentMembership, MembershipRole
from portal.tickets.constants import TicketStatus
from portal.tickets.models import RoutingRule, RoutingSettings, Ticket
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def make(number: int, *, department, category, status=TicketStatus.RECEIVED, **fields) -> Ticket:
    return Ticket.objects.create(
        number=f"2026-{number:06d}",
        source_kind="anliegen",
        category=category,
        summary="Test",
        department=department,
        status=status,
        **fields,
    )


def test_statistics_counts_and_median(client, login_with_second_factor):
    tba = DepartmentFactory(name="Tiefbauamt")
    gfa = DepartmentFactory(name="Grünflächenamt")
    head = StaffUserFactory(email="leitung@stadt.example")
    head.groups.add(Group.objects.get(name="Fachbereichsleitung"))
    DepartmentMembership.objects.create(department=tba, user=head, role=MembershipRole.HEAD)
    category = CategoryFactory()
    now = timezone.now()
    today = timezone.localdate()
    make(1, department=tba, category=category, due_date=today - datetime.timedelta(days=1))
    make(2, department=tba, category=category, status=TicketStatus.IN_PROGRESS)
    for number, days in ((3, 1), (4, 2), (5, 6)):
        make(
            number,
            department=tba,
            category=category,
            status=TicketStatus.DONE,
            received_at=now - datetime.timedelta(days=days),
            closed_at=now,
        )
    make(6, department=gfa, category=category)
    login_with_second_factor(client, head)

    page = client.get("/admin/anliegen/statistik/").content.decode()
    assert "Grünflächenamt" not in page
    row = re.search(r"<th scope=\"row\">Tiefbauamt</th>(.*?)</tr>", page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in row.split("<td>")[1:]]
    # eingegangen, in Prüfung, in Bearbeitung, erledigt, nicht umsetzbar, Duplikat, weitergel.,
    # Rückfrage
    assert cells[:8] == ["1", "0", "1", "3", "0", "0", "0", "0"]
    assert cells[8:11] == ["2", "1", "5"]  # open, overdue, total
    assert cells[11].startswith("2,0 Tage")  # the median of 1, 2 and 6 days
    # the head sees the Statistik item in the menu
    assert "/admin/anliegen/statistik/" in client.get("/admin/").content.decode()


def test_admin_sees_statistics_of_all_departments(admin_client):
    DepartmentFactory(name="Tiefbauamt")
    DepartmentFactory(name="Grünflächenamt")
    page = admin_client.get("/admin/anliegen/statistik/").content.decode()
    assert "Tiefbauamt" in page and "Grünflächenamt" in page


def test_rules_tester_shows_department_and_rule_without_creating_anything(admin_client):
    road = DepartmentFactory(name="Tiefbauamt")
    state = DepartmentFactory(name="Straßen.NRW")
    fallback = DepartmentFactory(name="Bürgerbüro")
    RoutingSettings.objects.update_or_create(pk=1, defaults={"fallback_department": fallback})
    category = CategoryFactory(name="Straßenschäden", default_department=road)
    other = CategoryFactory(name="Sonstiges")
    district = DistrictFactory(name="Holzen")
    RoutingRule.objects.create(
        position=10, name="Landesstraßen", category=category, keyword="B 236", department=state
    )
    url = "/admin/anliegen/regeln-testen/"

    page = admin_client.get(url).content.decode()
    assert "Zuordnungsregeln testen" in page and "Entschieden durch" not in page

    def resolve(**params):
        params = {"source_kind": "anliegen", **params}
        return admin_client.get(url, params).content.decode()

    page = resolve(category=category.pk, text="Loch auf der B 236", district=district.pk)
    assert "Straßen.NRW" in page and "Regel 10 „Landesstraßen“" in page
    page = resolve(category=category.pk, text="Loch im Gehweg")
    assert "Tiefbauamt" in page and "Fachbereich der Kategorie" in page
    page = resolve(category=other.pk, text="Frage")
    assert "Bürgerbüro" in page and "Auffang-Fachbereich" in page
    assert not Ticket.objects.exists()


def test_rule_listing_links_to_the_tester(admin_client):
    page = admin_client.get("/admin/snippets/tickets/routingrule/").content.decode()
    assert "/admin/anliegen/regeln-testen/" in page and "Regeln testen" in page


def test_editor_with_rule_permission_may_test_rules(client, login_with_second_factor):
    from django.contrib.auth.models import Permission

    editor = StaffUserFactory(email="redaktion@stadt.example")
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="tickets", codename="change_routingrule")
    )
    login_with_second_factor(client, editor)
    assert client.get("/admin/anliegen/regeln-testen/").status_code == 200
    # but no queue: they work in no department
    assert client.get("/admin/anliegen/").status_code == 302


def test_admin_menu_has_all_items(admin_client):
    dashboard = admin_client.get("/admin/").content.decode()
    for path in ("", "statistik/", "fehlgeschlagen/", "regeln-testen/"):
        assert f"/admin/anliegen/{path}" in dashboard
    assert "Warteschlange" in dashboard and "Fehlgeschlagene Auftr" in dashboard  # JSON-escaped
