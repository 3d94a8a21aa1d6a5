"""Every absolute URL the portal hands out comes from the one setting BASE_URL: API lists and their
page links, CSV/XLSX exports, Open311, the Atom feeds, pages that show a link to copy, and
e-mails. The test client asks as "testserver"; every link must still name BASE_URL."""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import override_settings
from openpyxl import load_workbook

from participation.ideas.services import idea_category, idea_support
from portal.core import doorbell
from portal.core.tasks import outbox_send_task
from portal.tickets.constants import PublishMode
from portal.tickets.public_views import RECEIPTS_KEY
from services.catalogue.models import ServiceIndexPage
from services.reports.models import ReportPhoto
from services.reports.services import report_submit
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    open_ticket,
    square,
)
from tests.participation.factories import home_page, project
from tests.participation.ideas.factories import citizen, submitted_idea
from tests.participation.ideas.test_admin import admin_client
from tests.services.catalogue.conftest import build_service

pytestmark = pytest.mark.django_db

BASE_URL = "https://buergerportal.example.de"
URL = re.compile(r"https?://[^\s\"'<>]+")
# other sites' addresses the portal names on purpose
FOREIGN = ("http://wiki.open311.org/GeoReport_v2", "http://www.w3.org/2005/Atom")


def xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


# (what, path, staff only, how to read the body); limit=1&offset=1: every API list has a
# "previous" page link, and a "next" one where there are more entries
ADDRESSES = [
    ("API index", "/api/v1/", False, None),
    ("API Fachbereiche", "/api/v1/departments/?limit=1&offset=1", False, None),
    ("API Stadtteile", "/api/v1/districts/?limit=1&offset=1", False, None),
    ("API Mängelmeldungen", "/api/v1/reports/?limit=1&offset=1", False, None),
    ("API Leistungen", "/api/v1/services/?limit=1&offset=1", False, None),
    ("API Vorhaben", "/api/v1/projects/?limit=1&offset=1", False, None),
    ("API Ideen", "/api/v1/ideas/?limit=1&offset=1", False, None),
    ("API Anliegen", "/api/v1/tickets/?limit=1&offset=1", True, None),
    ("Export Vorhabenliste CSV", "/vorhabenliste/export/csv/", False, None),
    ("Export Vorhabenliste XLSX", "/vorhabenliste/export/xlsx/", False, xlsx_text),
    ("Export Ratsliste CSV", "/admin/ideenpool/ratsliste/csv/", True, None),
    ("Open311 discovery JSON", "/open311/v2/discovery.json", False, None),
    ("Open311 discovery XML", "/open311/v2/discovery.xml", False, None),
    ("Open311 requests", "/open311/v2/requests.json", False, None),
    ("Feed Mängelmeldungen", "/maengel/feed/", False, None),
    ("Feed Ideenpool", "/ideenpool/feed/", False, None),
]


@pytest.fixture
def portal(settings):
    """Two of everything a list shows, so that every list has a page link."""
    settings.IDEAS_QUORUM_SUPPORTS = 1  # an idea on the council list
    department = DepartmentFactory()
    DepartmentFactory()
    DistrictFactory(name="Mitte", area=square(7.5, 51.4, 0.1))
    DistrictFactory(name="Ergste", area=square(7.7, 51.4, 0.1))
    lights = CategoryFactory(default_department=department, publish_mode=PublishMode.IMMEDIATE)
    reports = [
        report_submit(
            category=lights,
            description=f"Laterne {n} dunkel",
            latitude=Decimal("51.44"),
            longitude=Decimal("7.56"),
            email="erika@example.org",
        )  # fmt: skip
        for n in (1, 2)
    ]
    ReportPhoto.objects.create(
        report=reports[0], image=ContentFile(b"x", name="laterne.jpg"), width=1, height=1
    )
    home = home_page()
    catalogue = home.add_child(instance=ServiceIndexPage(title="Leistungen", slug="leistungen"))
    catalogue.add_child(
        instance=build_service(form_key="personenstandsurkunde", is_online=True, has_fee=True)
    )
    catalogue.add_child(instance=build_service())
    project(title="Marktplatz"), project(title="Radweg")

    category = idea_category()
    category.default_department = department
    category.save()
    ideas = [submitted_idea(title=f"Idee {n}") for n in (1, 2)]
    idea_support(actor=citizen(), idea=ideas[0])
    clerk = StaffUserFactory(is_superuser=True)
    clerk.department_memberships.create(department=department)
    return {"reports": reports, "clerk": clerk}


@override_settings(BASE_URL=BASE_URL)
def test_every_absolute_url_in_api_exports_open311_and_feeds_names_base_url(client, portal):
    staff = admin_client(portal["clerk"])
    wrong = []
    for what, path, staff_only, read in ADDRESSES:
        response = (staff if staff_only else client).get(path)
        assert response.status_code == 200, (what, response.status_code)
        body = read(response.content) if read else response.content.decode("utf-8-sig")
        urls = [url for url in URL.findall(body) if not url.startswith(FOREIGN)]
        assert urls, f"{what}: no absolute URL to check"
        wrong += [(what, url) for url in urls if not url.startswith(BASE_URL + "/")]
    assert wrong == []


@override_settings(BASE_URL=BASE_URL)
def test_the_receipt_page_shows_the_status_link_under_base_url(client, db):
    ticket = open_ticket(email="erika@example.org")
    session = client.session
    session[RECEIPTS_KEY] = [ticket.access_token]
    session.save()
    text = client.get(f"/anliegen/eingegangen/{ticket.access_token}/").content.decode()
    assert f"{BASE_URL}/anliegen/status/{ticket.access_token}/" in text
    assert "http://testserver" not in text


@override_settings(BASE_URL=BASE_URL)
def test_e_mail_links_name_base_url(
    client, portal, monkeypatch, django_capture_on_commit_callbacks
):
    doorbell.unpause()
    task = outbox_send_task
    monkeypatch.setattr(task, "apply_async", lambda args, **kw: task.apply(args=args))
    number = portal["reports"][0].ticket.number
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/maengel/{number}/unterstuetzen/", {"email": "nachbar@example.org"})
    (message,) = mail.outbox
    for text in (message.body, message.alternatives[0][0]):
        urls = URL.findall(text)
        assert f"{BASE_URL}/maengel/{number}/" in urls
        assert urls and all(url.startswith(BASE_URL + "/") for url in urls), urls
