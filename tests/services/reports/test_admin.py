"""Moderation and Open311 access in the Wagtail admin."""

import re
from decimal import Decimal

import pytest

from portal.tickets.constants import PublishMode
from services.reports.models import ApiClient, Report
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DistrictFactory, UserFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def test_issuing_an_api_key_shows_it_once_and_stores_only_its_hash(editor):
    response = editor.post(
        "/admin/snippets/reports/apiclient/add/",
        {"name": "Schwerte-App", "contact": "App-Team", "revoked_at": ""},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    key = re.search(r"<code>([\w-]{40,})</code>", html).group(1)
    client = ApiClient.objects.get()
    assert ApiClient.for_key(key) == client
    assert key not in (client.key_hash, client.key_prefix)
    assert editor.get("/admin/snippets/reports/apiclient/").content.decode().count(key) == 0


def test_publishing_with_an_edited_public_text_keeps_the_original(editor):
    DistrictFactory(area=square(7.55, 51.43, 0.02))
    report = report_submit(
        category=CategoryFactory(publish_mode=PublishMode.AFTER_REVIEW),
        description="Mein Nachbar Herr Schmidt hat Müll abgeladen",
        latitude=Decimal("51.44"),
        longitude=Decimal("7.56"),
    )
    response = editor.post(
        f"/admin/snippets/reports/report/edit/{report.pk}/",
        {"public_description": "Müll abgeladen", "is_published": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.is_published and report.public_text == "Müll abgeladen"
    assert report.published_at is not None
    assert "Schmidt" in report.description
    assert Report.objects.count() == 1
    # the timeline keeps what was changed, for staff only
    note = report.ticket.events.get(kind="note")
    assert "Herr Schmidt" in note.internal_note and "Müll abgeladen" in note.internal_note
    assert "veröffentlicht" in note.internal_note
    assert not note.is_public


def test_the_ticket_shows_the_report_inline(editor):
    from portal.tickets.services import ticket_route
    from tests.factories import DepartmentFactory

    DistrictFactory(area=square(7.55, 51.43, 0.02))
    report = report_submit(
        category=CategoryFactory(default_department=DepartmentFactory()),
        description="Gullydeckel lose",
        latitude=Decimal("51.44"),
        longitude=Decimal("7.56"),
        address="Rathausstraße 31",
    )
    ticket = ticket_route(ticket_id=report.ticket_id)
    html = editor.get(f"/admin/anliegen/{ticket.pk}/").content.decode()
    assert "Gullydeckel lose" in html and "Rathausstraße 31" in html
    assert f"/admin/snippets/reports/report/edit/{report.pk}/" in html
