"""Editors manage departments, their staff and the districts in the Wagtail admin."""

import json

import pytest

from portal.departments.models import Department, District, MembershipRole
from tests.factories import DepartmentFactory, StaffUserFactory, UserFactory, square

pytestmark = pytest.mark.django_db

DEPARTMENTS = "/admin/snippets/departments/department/"
DISTRICTS = "/admin/snippets/departments/district/"


@pytest.fixture
def editor(client, login_with_second_factor):
    admin = UserFactory(is_superuser=True, is_staff=True)
    login_with_second_factor(client, admin)
    return client


def test_department_list_in_constant_queries(editor, django_assert_max_num_queries):
    names = [f"Fachbereich {number:03d}" for number in range(60)]
    for name in names:
        DepartmentFactory(name=name)
    editor.get(DEPARTMENTS)  # warm per-process caches
    with django_assert_max_num_queries(25):
        response = editor.get(DEPARTMENTS)
    assert response.status_code == 200
    content = response.content.decode()
    assert sum(name in content for name in names) >= 20  # a full page of them


def test_create_department_with_staff(editor):
    clerk = StaffUserFactory(email="clerk@stadt.example")
    response = editor.post(
        DEPARTMENTS + "add/",
        {
            "name": "Tiefbauamt",
            "short_name": "TBA",
            "email": "tiefbau@stadt.example",
            "kind": "amt",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": str(clerk.pk),
            "memberships-0-role": MembershipRole.HEAD,
            "memberships-0-ORDER": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    department = Department.objects.get(short_name="TBA")
    membership = department.memberships.get()
    assert membership.user == clerk and membership.role == MembershipRole.HEAD


def test_district_with_broken_polygon_is_refused_in_german(editor):
    response = editor.post(
        DISTRICTS + "add/",
        {"name": "Holzen", "kind": "stadtteil", "area": json.dumps({"type": "Point"})},
    )
    assert response.status_code == 200
    assert "Polygon" in response.content.decode()
    assert not District.objects.exists()

    response = editor.post(
        DISTRICTS + "add/",
        {"name": "Holzen", "kind": "stadtteil", "area": json.dumps(square(7.54, 51.45))},
    )
    assert response.status_code == 302
    assert District.objects.get().contains(latitude=51.455, longitude=7.545)


def test_clerk_without_editor_rights_cannot_change_departments(client, login_with_second_factor):
    clerk = StaffUserFactory()
    login_with_second_factor(client, clerk)
    assert client.get("/admin/").status_code == 200
    response = client.get(DEPARTMENTS + "add/")
    assert response.status_code in (302, 403)
    assert not Department.objects.exists()
