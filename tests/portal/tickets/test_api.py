"""`/api/v1/tickets/` shows staff only their departments' tickets."""

import pytest

from portal.departments.models import DepartmentMembership
from tests.factories import DepartmentFactory, StaffUserFactory, UserFactory, routed_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments():
    a, b = DepartmentFactory(name="Tiefbauamt"), DepartmentFactory(name="Grünflächenamt")
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=a, user=clerk)
    return a, b, clerk


def test_clerk_sees_only_own_department(client, two_departments, login_with_second_factor):
    a, b, clerk = two_departments
    own = routed_ticket(department=a, message="Schlagloch")
    foreign = routed_ticket(department=b, message="Baum umgestürzt")
    login_with_second_factor(client, clerk)

    response = client.get("/api/v1/tickets/")
    assert response.status_code == 200
    numbers = [t["number"] for t in response.json()["results"]]
    assert numbers == [own.number]
    assert client.get(f"/api/v1/tickets/{own.number}/").json()["department"] == "Tiefbauamt"
    assert client.get(f"/api/v1/tickets/{foreign.number}/").status_code == 404
    assert client.get(f"/api/v1/tickets/?department={b.pk}").json()["results"] == []


def test_without_second_factor_or_membership_nothing(client, two_departments):
    a, b, clerk = two_departments
    routed_ticket(department=a)
    client.force_login(clerk)  # a session never confirmed with the second factor
    assert client.get("/api/v1/tickets/").status_code == 403
    client.force_login(UserFactory())  # a citizen
    assert client.get("/api/v1/tickets/").status_code == 403
    client.logout()
    assert client.get("/api/v1/tickets/").status_code == 403


def test_api_is_read_only(client, two_departments, login_with_second_factor):
    a, b, clerk = two_departments
    ticket = routed_ticket(department=a)
    login_with_second_factor(client, clerk)
    response = client.patch(
        f"/api/v1/tickets/{ticket.number}/", {"status": "erledigt"}, content_type="application/json"
    )
    assert response.status_code == 405
    ticket.refresh_from_db()
    assert ticket.status == "eingegangen"


def test_list_in_constant_queries(
    client, two_departments, login_with_second_factor, django_assert_max_num_queries
):
    a, b, clerk = two_departments
    for _ in range(30):
        routed_ticket(department=a)
    login_with_second_factor(client, clerk)
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/tickets/?open=true")
    assert response.json()["count"] == 30


def test_malformed_filters_are_a_400_in_the_error_shape(
    client, two_departments, login_with_second_factor
):
    a, b, clerk = two_departments
    routed_ticket(department=a)
    login_with_second_factor(client, clerk)
    id_message = "Bitte geben Sie als Id eine ganze Zahl ab 1 an."
    for params, field, message in [
        ({"district": "-4.2e+65"}, "district", id_message),
        ({"category": "1.5"}, "category", id_message),
        ({"department": "99999999999999999999"}, "department", "Eine so große Id gibt es nicht."),
        ({"limit": "99999999999999999999", "offset": "-1"}, "offset",
         "Bitte geben Sie eine ganze Zahl ab 0 an."),
    ]:  # fmt: skip
        response = client.get("/api/v1/tickets/", params)
        assert response.status_code == 400, params
        assert response.json() == {
            "detail": "Die Anfrage enthält ungültige Werte.",
            "fields": {field: [message]},
        }
    response = client.get("/api/v1/tickets/", {"received_after": "2026-13-45"})
    assert response.status_code == 400
    [message] = response.json()["fields"]["received_after"]
    assert "Datum" in message  # German, from Django's own form field
    # any ISO 8601 offset, also one PostgreSQL would refuse (it takes ±15:59), is compared in UTC
    far = client.get("/api/v1/tickets/", {"received_after": "0390-02-13T16:43:53.668+16:35"})
    assert far.status_code == 200
    assert far.json()["count"] == 1
    # a moment before the calendar begins is a 400, not a database error
    response = client.get("/api/v1/tickets/", {"received_after": "0001-01-01T00:00:00+16:00"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"received_after": ["Diesen Zeitpunkt gibt es nicht."]}
    assert client.get("/api/v1/tickets/", {"limit": "99999999999999999999"}).json()["count"] == 1
