"""Datenschutz-Anfragen in the admin: a request by letter. Staff of the group "Datenschutz" find
a person's data by address, build the copy and erase; the Löschprotokoll holds counts only."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from portal.accounts.models import User
from portal.core.retention.models import ErasureLog
from portal.tickets.models import Ticket
from tests.factories import StaffUserFactory, UserFactory, open_ticket

pytestmark = pytest.mark.django_db

ADDRESS = "brief.schreiberin@example.org"


@pytest.fixture
def officer(login_with_second_factor, commit_each_request):
    user = StaffUserFactory(email="datenschutz@stadt.example")
    user.groups.add(Group.objects.get(name="Datenschutz"))
    login_with_second_factor(commit_each_request, user)
    return commit_each_request


@pytest.fixture
def citizen():
    user = UserFactory(email=ADDRESS, first_name="Berta", last_name="Briefeschreiberin")
    with_account = open_ticket(user=user, message="Schlagloch vor Hausnummer 4")
    without = open_ticket(email=ADDRESS, message="Ampel ist dauerhaft rot")
    return user, with_account, without


def test_staff_find_copy_and_erase_a_persons_data(officer, citizen):
    user, with_account, without = citizen
    page = officer.get("/admin/datenschutz-anfragen/", {"email": ADDRESS.upper()})
    text = page.content.decode()
    assert "Ein Konto mit dieser Adresse besteht" in text
    assert "Anliegen" in text and "Auskunft erstellen" in text

    response = officer.post(
        "/admin/datenschutz-anfragen/", {"action": "export", "email": ADDRESS}, follow=True
    )
    text = response.content.decode()
    assert "Herunterladen" in text
    link = text.split('href="/datenauskunft/')[1].split('"')[0]
    download = officer.get(f"/datenauskunft/{link}")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("daten.json"))["daten"]
    sent = {row["id"] for row in data["tickets.Ticket"]["eintraege"]}
    assert sent == {with_account.pk, without.pk}  # with the account and without it

    # the copy is for staff only: the citizen's own login does not open it
    citizen_client = Client()
    citizen_client.force_login(user)
    assert citizen_client.get(f"/datenauskunft/{link}").status_code == 404

    response = officer.post(
        "/admin/datenschutz-anfragen/", {"action": "erase", "email": ADDRESS}, follow=True
    )
    assert "Bitte bestätigen Sie die Löschung." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    response = officer.post(
        "/admin/datenschutz-anfragen/",
        {"action": "erase", "email": ADDRESS, "confirm": "on"},
        follow=True,
    )
    assert "Gelöscht oder von der Person gelöst" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    for ticket in Ticket.objects.filter(pk__in=[with_account.pk, without.pk]):
        assert ticket.citizen_id is None and ticket.contact_email == ""
    log = officer.get("/admin/loeschprotokoll/").content.decode()
    assert "Löschung auf Antrag (Verwaltung)" in log and "auf Antrag" in log
    assert ADDRESS not in log and "Briefeschreiberin" not in log
    assert not ErasureLog.objects.filter(label__icontains="example.org").exists()


def test_an_address_without_data(officer):
    text = officer.get("/admin/datenschutz-anfragen/", {"email": "niemand@example.org"})
    text = text.content.decode()
    assert "Kein Konto mit dieser Adresse" in text
    assert "keine Daten gespeichert" in text


def test_only_the_group_datenschutz_may_open_it(login_with_second_factor):
    clerk = Client()
    login_with_second_factor(clerk, StaffUserFactory())
    response = clerk.get("/admin/datenschutz-anfragen/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_superusers_account_is_not_erased_here(officer):
    admin = UserFactory(email="chefin@stadt.example", is_superuser=True, is_staff=True)
    response = officer.post(
        "/admin/datenschutz-anfragen/",
        {"action": "erase", "email": admin.email, "confirm": "on"},
        follow=True,
    )
    assert "kann hier nicht gelöscht werden" in response.content.decode()
    assert User.objects.filter(pk=admin.pk).exists()
