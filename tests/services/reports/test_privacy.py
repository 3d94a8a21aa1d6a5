"""The reporter's name and e-mail address appear nowhere in public: a crawl of every public page,
API, Open311 answer, feed and follower e-mail, and of every task sent to the broker."""

import itertools
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import Client

from portal.core.figures.services import figures_compute
from portal.core.models import OutboxMessage
from portal.core.opendata.services import opendata_publish
from portal.core.subscriptions.services import confirm_code, end_code
from portal.core.tasks import outbox_send_task
from portal.tickets.constants import PublishMode, TicketStatus
from portal.tickets.services import ticket_accept, ticket_change_status, ticket_mark_duplicate
from services.reports.follow import report_follow
from services.reports.forms import ReportFilterForm
from services.reports.models import ApiClient, Report
from tests.conftest import every_ring_sent
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    UserFactory,
    square,
)

from .test_follow import make_report
from .test_views import file_report

pytestmark = pytest.mark.django_db

NAME = "Xaver Geheimname"
EMAIL = "xaver.geheim@example.org"
STAFF_NAME = ("Sabine", "Sachbearbeiterin")
STAFF_EMAIL = "sabine.intern@stadt.example"
SECRETS = (NAME, "Geheimname", EMAIL, "xaver.geheim", *STAFF_NAME, STAFF_EMAIL, "sabine.intern")


def assert_clean(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret.casefold() not in text.casefold(), f"{secret!r} in {where}"


@pytest.fixture
def broker_payloads(monkeypatch):
    """Every task sent to the broker, with its arguments; nothing reaches a broker."""
    sent: list[tuple[str, object, object]] = []

    def record(task, args=None, kwargs=None, **options):
        sent.append((task.name, args, kwargs))

    monkeypatch.setattr("celery.app.task.Task.apply_async", record)
    every_ring_sent(monkeypatch)
    return sent


def send_follower_mails() -> None:
    """Run the outbox's send task for the followers' e-mails, as the worker would."""
    owed = OutboxMessage.objects.filter(kind__startswith="subscriptions.", sent_at__isnull=True)
    for message_id in owed.values_list("pk", flat=True):
        outbox_send_task.apply(args=[message_id])


@pytest.fixture
def world(db, client, broker_payloads, django_capture_on_commit_callbacks):
    """Reports from every channel with the same reporter, handled by staff, and followed."""
    callbacks = django_capture_on_commit_callbacks
    DistrictFactory(name="Schwerte-Mitte", area=square(7.48, 51.39, 0.1))
    DistrictFactory(name="Ergste", area=square(7.58, 51.39, 0.1))
    department = DepartmentFactory(name="Tiefbau")
    staff = StaffUserFactory(first_name=STAFF_NAME[0], last_name=STAFF_NAME[1], email=STAFF_EMAIL)
    lights = CategoryFactory(
        name="Beleuchtung", slug="licht", default_department=department,
        publish_mode=PublishMode.IMMEDIATE,
    )  # fmt: skip
    holes = CategoryFactory(
        name="Schlagloch", slug="loch", default_department=department,
        publish_mode=PublishMode.IMMEDIATE,
    )  # fmt: skip
    graffiti = CategoryFactory(
        name="Graffiti", slug="graffiti", default_department=department,
        publish_mode=PublishMode.AFTER_REVIEW,
    )  # fmt: skip
    reporter = UserFactory(first_name="Xaver", last_name="Geheimname", email=EMAIL)

    reports = []
    with callbacks(execute=True):
        reports.append(make_report(lights, name=NAME, email=EMAIL, description="Lampe aus"))
        reports.append(make_report(holes, name=NAME, email=EMAIL, description="Tiefes Loch"))
        reports.append(make_report(holes, name=NAME, email=EMAIL, description="Noch ein Loch"))
        reports.append(make_report(graffiti, name=NAME, email=EMAIL, description="Schmiererei"))
        reports.append(make_report(lights, user=reporter, description="Laterne flackert"))
    # by the web form, as the reporter types it
    reports.append(file_report(client, lights, callbacks, name=NAME, email=EMAIL))
    # by Open311, with the spec's personal fields
    api_client = ApiClient(name="Stadt-App")
    key = api_client.issue_key()
    api_client.save()
    with callbacks(execute=True):
        response = client.post(
            "/open311/v2/requests.json",
            urlencode({
                "api_key": key, "service_code": "loch", "lat": "51.40", "long": "7.50",
                "description": "Loch per App", "first_name": "Xaver", "last_name": "Geheimname",
                "email": EMAIL, "phone": "0170 1234567",
            }),
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip
    assert response.status_code == 200, response.content
    reports.append(Report.objects.latest("pk"))

    # followers, among them the reporter himself
    follows = []
    for number, address in ((0, "folgt@example.org"), (1, "folgt@example.org"), (0, EMAIL)):
        with callbacks(execute=True):
            follow = report_follow(report=reports[number], email=address)
        send_follower_mails()
        Client().post(f"/maengel/folgen/bestaetigen/{confirm_code(follow)}/")
        follows.append(follow)

    # staff handle the tickets, with public messages
    from portal.tickets.services import ticket_route

    for report in reports:
        if report.ticket.department_id is None:
            ticket_route(ticket_id=report.ticket_id)
    first, second, third = (Report.objects.get(pk=r.pk).ticket for r in reports[:3])
    with callbacks(execute=True):
        ticket_accept(ticket=first, actor=staff, public_message="Wir prüfen das.")
        ticket_change_status(
            ticket=first, actor=staff, status=TicketStatus.IN_PROGRESS,
            public_message="Ein Elektriker ist bestellt.", internal_note=f"Anruf von {NAME}",
        )  # fmt: skip
        ticket_change_status(
            ticket=first, actor=staff, status=TicketStatus.DONE, public_message="Repariert."
        )
        ticket_change_status(
            ticket=second, actor=staff, status=TicketStatus.IN_PROGRESS,
            public_message="Wird ausgebessert.",
        )  # fmt: skip
        ticket_mark_duplicate(ticket=third, actor=staff, original=second)
    send_follower_mails()
    return {
        "reports": [Report.objects.select_related("ticket").get(pk=r.pk) for r in reports],
        "follows": follows,
    }


def test_reporter_and_staff_appear_nowhere_in_public(world, broker_payloads):
    reports = world["reports"]
    published = [r for r in reports if r.is_published]
    assert 3 <= len(published) < len(reports)
    crawler = Client()
    checked = 0

    def get(url, expect=200, **params):
        nonlocal checked
        response = crawler.get(url, params, follow=True)
        assert response.status_code == expect, url
        if response.streaming:  # a file (open data): read it whole
            body = b"".join(response.streaming_content)
            response = HttpResponse(body, content_type=response["Content-Type"])
        assert_clean(f"{url} {params}", response.content.decode())
        checked += 1
        return response

    # the list with every filter combination, and its second page
    form = ReportFilterForm()
    choices = [
        [""] + [c.slug for c in form.fields["kategorie"].queryset],
        [value for value, _label in ReportFilterForm.STATUS_CHOICES],
        [""] + [str(d.pk) for d in form.fields["stadtteil"].queryset],
        [value for value, _label in ReportFilterForm.PERIOD_CHOICES],
    ]
    for category, status, district, period in itertools.product(*choices):
        get("/maengel/", kategorie=category, status=status, stadtteil=district, zeitraum=period)
    get("/maengel/", seite=2)

    for report in reports:
        number = report.ticket.number
        expected = 200 if report.is_published else 404
        text = get(f"/maengel/{number}/", expect=expected).content.decode()
        if report.is_published:
            assert report.public_text in text
        get(f"/anliegen/status/{report.ticket.access_token}/")
        get(f"/anliegen/eingegangen/{report.ticket.access_token}/")  # another browser: status
        get(f"/api/v1/reports/{number}/", expect=expected)
        for fmt in ("json", "xml"):
            get(f"/open311/v2/requests/{number}.{fmt}", expect=expected)

    assert get("/api/v1/reports/").json()["count"] == len(published)
    for fmt in ("json", "xml"):
        get(f"/open311/v2/requests.{fmt}")
    get("/maengel/feed/")
    for district in choices[2][1:]:
        get(f"/maengel/feed/stadtteil/{district}/")
    for category in choices[0][1:]:
        get(f"/maengel/feed/kategorie/{category}/")
    for follow in world["follows"]:
        get(f"/maengel/folgen/bestaetigen/{confirm_code(follow)}/")
        get(f"/maengel/folgen/abmelden/{end_code(follow)}/")

    # the public figures and the open data: every file the catalogue lists
    figures_compute()
    get("/zahlen/")
    opendata_publish()
    get("/offene-daten/")
    catalogue = get("/offene-daten/katalog.ttl").content.decode()
    files = re.findall(r"<(http://[^>]+/offene-daten/[a-z0-9-]+\.(?:csv|geojson))>", catalogue)
    assert len(set(files)) >= 8
    for url in set(files):
        text = get(urlsplit(url).path).content.decode()
        assert text.strip()
    numbers = get("/offene-daten/maengelmeldungen.csv").content.decode()
    for report in reports:
        assert (report.ticket.number in numbers) == report.is_published
        assert report.public_text not in numbers  # no text a citizen wrote
    get("/offene-daten/katalog.rdf")
    assert checked > 100


def test_follower_emails_tell_nothing_about_reporter_or_staff(world):
    follower_mails = [m for m in mail.outbox if "/maengel/folgen/abmelden/" in m.body]
    # 3 confirmations; report 0: 3 changes × 2 followers; report 1: 1 change × 1 follower
    assert len(follower_mails) == 3 + 6 + 1
    for message in follower_mails:
        html = message.alternatives[0][0]
        assert "/maengel/folgen/abmelden/" in message.body and "/maengel/folgen/abmelden/" in html
        # the reporter who follows gets mail, but his address is only in the envelope
        for part in (message.subject, message.body, html):
            assert_clean(f"mail to {message.to}", part)


def test_tasks_carry_ids_only(world, broker_payloads):
    names = {name for name, _args, _kwargs in broker_payloads}
    assert {"tickets.route", "outbox.send"} <= names
    for name, args, kwargs in broker_payloads:
        assert not kwargs, name
        assert all(type(arg) is int for arg in args), (name, args)
