"""Administrators manage staff accounts in the Wagtail admin, with the e-mail address as login."""

import pytest
from django.contrib.auth.models import Group

from portal.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def test_user_list_and_create(admin_client, django_assert_max_num_queries):
    UserFactory.create_batch(40)
    admin_client.get("/admin/users/")
    with django_assert_max_num_queries(25):
        response = admin_client.get("/admin/users/")
    assert response.status_code == 200

    form = admin_client.get("/admin/users/new/")
    assert form.status_code == 200
    response = admin_client.post(
        "/admin/users/new/",
        {
            "email": "neue.kollegin@stadt.example",
            "first_name": "Nora",
            "last_name": "Neu",
            "password1": "Sachbearbeitung-2026",
            "password2": "Sachbearbeitung-2026",
            "groups": [Group.objects.get(name="Sachbearbeitung").pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="neue.kollegin@stadt.example")
    assert user.groups.filter(name="Sachbearbeitung").exists()
    assert user.check_password("Sachbearbeitung-2026")
