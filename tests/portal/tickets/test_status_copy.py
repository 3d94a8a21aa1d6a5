"""A copy of what was sent with an Anliegen, for a person without an account (Art. 15 GDPR): the
status link offers it, the link to the copy goes only to the address given with the Anliegen."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.core.mydata.models import DataExport
from tests.factories import CategoryFactory, UserFactory, open_ticket

pytestmark = pytest.mark.django_db

ADDRESS = "anna.anonym@example.org"


def _download_link(address: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [address]]
    assert "Ihre Daten stehen zum Herunterladen bereit" in message.subject
    return re.search(r"https?://[^/\s]+(/datenauskunft/\S+/)", message.body).group(1)


def test_a_person_without_account_gets_a_copy_of_what_was_sent_by_e_mail(
    client, commit_each_request
):
    category = CategoryFactory(name="Wilder Müll")
    ticket = open_ticket(category=category, email=ADDRESS, message="Sperrmüll am Waldrand.")
    other = open_ticket(category=category, email=ADDRESS, message="Eine ganz andere Sache.")
    status_url = f"/anliegen/status/{ticket.access_token}/"
    page = client.get(status_url).content.decode()
    assert "Kopie meiner Angaben anfordern" in page

    mail.outbox.clear()
    response = client.post(f"{status_url}daten/", follow=True)
    assert "schicken Ihnen den Link" in response.content.decode()
    link = _download_link(ADDRESS)
    # the link is not on the status page: anyone may hold the status link
    assert link not in client.get(status_url).content.decode()

    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("daten.json"))["daten"]
    (row,) = data["tickets.Ticket"]["eintraege"]
    assert row["id"] == ticket.pk and row["summary"] == "Sperrmüll am Waldrand."
    assert "access_token" not in row  # the status link itself is not handed out
    assert other.summary not in archive.read("daten.json").decode()
    assert "Sperrmüll am Waldrand." in archive.read("daten.html").decode()


def test_with_an_account_the_status_page_points_to_meine_daten(client, commit_each_request):
    user = UserFactory()
    ticket = open_ticket(user=user, message="Laterne defekt")
    status_url = f"/anliegen/status/{ticket.access_token}/"
    page = client.get(status_url).content.decode()
    assert "/konto/meine-daten/" in page and "Kopie meiner Angaben anfordern" not in page
    client.post(f"{status_url}daten/")
    assert not DataExport.objects.exists()


def test_without_an_address_there_is_nowhere_to_send_the_copy(client, commit_each_request):
    ticket = open_ticket(message="Laterne defekt")
    status_url = f"/anliegen/status/{ticket.access_token}/"
    assert "keine E-Mail-Adresse angegeben" in client.get(status_url).content.decode()
    client.post(f"{status_url}daten/")
    assert not DataExport.objects.exists()


def test_copies_per_anliegen_are_limited_per_day(client, commit_each_request):
    ticket = open_ticket(email=ADDRESS)
    url = f"/anliegen/status/{ticket.access_token}/daten/"
    for _ in range(3):
        client.post(url)
    response = client.post(url, follow=True)
    assert "mehrere Kopien angefordert" in response.content.decode()
    assert DataExport.objects.count() == 3


def test_an_unknown_or_expired_copy_link(client, commit_each_request, settings, time_machine):
    assert client.get("/datenauskunft/unbekannt/").status_code == 404
    ticket = open_ticket(email=ADDRESS)
    client.post(f"/anliegen/status/{ticket.access_token}/daten/")
    link = _download_link(ADDRESS)
    time_machine.move_to(timezone.now() + timedelta(days=settings.PRIVACY_EXPORT_DAYS, minutes=1))
    response = client.get(link)
    assert response.status_code == 410
    assert "Der Link ist abgelaufen" in response.content.decode()
