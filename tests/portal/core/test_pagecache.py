"""Public pages from the cache for visitors without an account (portal.core.pagecache): every
public page and list is stored, a write that changes what it shows is seen at once, nobody sees
what was stored for another, and forms on stored pages still work with and without JavaScript."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from participation.contributions.services import comment_create
from portal.tickets.constants import PublishMode, TicketStatus
from portal.tickets.services import ticket_change_status, ticket_route
from services.reports.models import Report
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DepartmentFactory, StaffUserFactory, UserFactory
from tests.participation.contributions.conftest import citizen
from tests.participation.factories import phase, project, project_index

pytestmark = pytest.mark.django_db

HIT = "hit"
# Pages that are forms (or lead to one): they carry a CSRF token or are never stored.
FORM_PAGES = re.compile(
    r"^/(maengel/melden/|barrierefreiheit/rueckmeldung/|mitmachpool/$|maengel/benachrichtigungen/$|ideenpool/neu/|mitmachen/(idee|kommentar)/\d+/melden/)"
)
# the public lists of the API and the feeds
LISTS = [
    "/api/v1/reports/",
    "/api/v1/ideas/",
    "/api/v1/projects/",
    "/api/v1/services/",
    "/api/v1/districts/",
    "/open311/v2/services.json",
    "/open311/v2/requests.json",
    "/maengel/feed/",
    "/ideenpool/feed/",
]


@pytest.fixture(autouse=True)
def _site_settings(db):
    """The site's settings exist, as on a running site (the first page view creates them)."""
    from wagtail.models import Site

    from portal.cms.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))


def served_from_cache(response) -> bool:
    return response.get("X-Page-Cache") == HIT


def visitor() -> Client:
    return Client()


OPEN_DATA_FILES = re.compile(r"^/offene-daten/[a-z0-9-]+\.(?:csv|geojson)$")


def test_every_public_page_and_list_comes_from_the_cache(demo_site):
    """Crawls the site from the home page as a visitor without an account."""
    client = visitor()
    seen, todo, stored = set(), ["/", *LISTS], 0
    while todo:
        url = todo.pop(0)
        if url in seen or len(seen) >= 150:
            continue
        seen.add(url)
        first = client.get(url)
        if first.status_code != 200:
            continue
        again = client.get(url)
        if FORM_PAGES.match(url):
            assert not served_from_cache(again), url
        else:
            assert served_from_cache(again), url
            assert again.content == first.content, url
            assert not again.cookies, url
            assert again["Cache-Control"] == "public, max-age=0, must-revalidate", url
            assert "Cookie" in again["Vary"], url
            stored += 1
        client.cookies.clear()
        if "html" in first["Content-Type"]:
            for href in re.findall(r'href="(/[^"#]*)"', first.content.decode()):
                if href.startswith(("/static/", "/media/", "/admin/", "/accounts/", "/konto/")):
                    continue
                if OPEN_DATA_FILES.match(href) or href.startswith(("/api/docs/", "/api/schema/")):
                    continue  # files written each night, like /static/; the API's Swagger UI
                todo.append(href.replace("&amp;", "&"))
    assert stored > 60


def test_an_unchanged_page_costs_a_304(demo_site):
    client = visitor()
    etag = client.get("/maengel/")["ETag"]
    response = client.get("/maengel/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert client.head("/maengel/").status_code == 200


# --- a write changes what is shown at once -------------------------------------------------------
@pytest.fixture
def report():
    department = DepartmentFactory()
    category = CategoryFactory(
        name="Straßenbeleuchtung", publish_mode=PublishMode.IMMEDIATE, default_department=department
    )
    submitted = report_submit(
        category=category,
        description="Laterne am Marktplatz ist dunkel",
        latitude=Decimal("51.4436"),
        longitude=Decimal("7.5653"),
    )
    ticket_route(ticket_id=submitted.ticket.pk)
    return Report.objects.get(pk=submitted.pk)


def page_of(report) -> str:
    return f"/maengel/{report.ticket.number}/"


def test_a_new_report_is_on_the_list_at_once(demo_site):
    client = visitor()
    before = client.get("/maengel/")
    assert served_from_cache(client.get("/maengel/"))
    assert "Gullydeckel klappert" not in before.content.decode()
    report_submit(
        category=CategoryFactory(publish_mode=PublishMode.IMMEDIATE),
        description="Gullydeckel klappert",
        latitude=Decimal("51.4436"),
        longitude=Decimal("7.5653"),
    )
    after = client.get("/maengel/")
    assert not served_from_cache(after)
    assert "Gullydeckel klappert" in after.content.decode()


def test_a_status_change_is_on_the_report_page_at_once(report):
    client = visitor()
    assert "in Bearbeitung" not in client.get(page_of(report)).content.decode()
    assert served_from_cache(client.get(page_of(report)))
    ticket_change_status(
        ticket=report.ticket, actor=StaffUserFactory(), status=TicketStatus.IN_PROGRESS
    )
    assert "in Bearbeitung" in client.get(page_of(report)).content.decode()


def test_a_support_is_counted_on_the_page_at_once(report):
    client = visitor()
    assert "außerdem betroffen" not in client.get(page_of(report)).content.decode()
    citizen = Client()
    citizen.force_login(UserFactory())
    citizen.post(f"{page_of(report)}unterstuetzen/")
    assert "1 Person ist außerdem betroffen" in client.get(page_of(report)).content.decode()


def test_a_hidden_and_a_republished_report(report):
    client = visitor()
    assert client.get(page_of(report)).status_code == 200
    assert served_from_cache(client.get(page_of(report)))
    report.is_published = False
    report.save()
    assert client.get(page_of(report)).status_code == 404
    report.is_published = True
    report.save()
    assert client.get(page_of(report)).status_code == 200


def test_a_comment_and_a_new_phase_show_on_the_project_page():
    project_index()
    vorhaben = project(title="Neugestaltung des Marktplatzes", slug="marktplatz")
    phase(vorhaben, name="Online-Beteiligung", running=True)
    client = visitor()
    url = vorhaben.url
    assert "Mehr Bänke bitte" not in client.get(url).content.decode()
    assert served_from_cache(client.get(url))
    comment_create(actor=citizen(), target=vorhaben, text="Mehr Bänke bitte")
    assert "Mehr Bänke bitte" in client.get(url).content.decode()
    phase(vorhaben, name="Planungswerkstatt", running="future")
    assert "Planungswerkstatt" in client.get(url).content.decode()


def test_a_published_cms_page_is_seen_at_once(demo_site):
    from portal.cms.models import StandardPage

    client = visitor()
    page = StandardPage.objects.get(slug="impressum")
    assert "Neue Anschrift" not in client.get(page.url).content.decode()
    assert served_from_cache(client.get(page.url))
    page.title = "Neue Anschrift"
    page.save_revision().publish()
    assert "Neue Anschrift" in client.get(page.url).content.decode()
    # a draft changes nothing public, and the page stays stored
    page.title = "Entwurf"
    page.save_revision()
    assert "Entwurf" not in client.get(page.url).content.decode()


def test_each_of_several_transactions_is_seen_and_a_bulk_write_sets_two_versions(report):
    """A transaction sets a new version at its first public write and when it commits, not at
    every row; the next transaction sets its own."""
    from django.core.cache import cache
    from django.db import transaction

    from portal.core.pagecache import VERSION_KEY

    client = visitor()
    for status, label in (
        (TicketStatus.IN_PROGRESS, "in bearbeitung"),
        (TicketStatus.DONE, "erledigt"),
    ):
        before = client.get(page_of(report)).content.decode()
        assert served_from_cache(client.get(page_of(report)))
        with transaction.atomic():
            ticket_change_status(
                ticket=Report.objects.get(pk=report.pk).ticket,
                actor=StaffUserFactory(),
                status=status,
            )
        after = client.get(page_of(report)).content.decode()
        assert after != before and label in after.lower()

    before = cache.get(VERSION_KEY)
    with transaction.atomic():
        report.description = "Laterne am Marktplatz flackert"
        report.save()
        first = cache.get(VERSION_KEY)
        for _ in range(20):
            report.save()
        assert cache.get(VERSION_KEY) == first != before
    assert "flackert" in client.get(page_of(report)).content.decode()


# --- nobody sees what was stored for another ------------------------------------------------------
def test_a_signed_in_person_never_meets_the_cache(report):
    client = visitor()
    client.get(page_of(report))
    person = UserFactory(display_name="Henrike Quarzmann")
    signed_in = Client()
    signed_in.force_login(person)
    mine = signed_in.get(page_of(report))
    assert not served_from_cache(mine)
    assert "no-store" in mine["Cache-Control"]
    # and what she saw is not stored for anyone else
    signed_in.get("/")
    for url in ("/", page_of(report)):
        assert "Quarzmann" not in client.get(url).content.decode()


def test_a_visitor_with_a_cookie_of_the_portal_gets_the_page_made_for_them(report):
    client = visitor()
    client.get(page_of(report))
    client.cookies["umfrage"] = "beantwortet"
    assert not served_from_cache(client.get(page_of(report)))
    # the CSRF cookie alone says nothing about the visitor
    other = visitor()
    other.cookies["csrftoken"] = "x" * 32
    assert served_from_cache(other.get(page_of(report)))


# --- forms on stored pages ------------------------------------------------------------------------
def test_a_form_on_a_stored_page_works_with_the_token_fetched_for_this_browser(report):
    client = Client(enforce_csrf_checks=True)
    page = client.get(page_of(report)).content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in page
    assert not client.cookies  # the page carries nothing of this visitor
    token = client.get("/formular-token/").json()["token"]
    response = client.post(
        f"{page_of(report)}folgen/",
        {"folgen-email": "anwohner@example.org", "csrfmiddlewaretoken": token},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 302


def test_without_javascript_the_entries_are_offered_once_more(report):
    client = Client(enforce_csrf_checks=True)
    client.get(page_of(report))
    response = client.post(
        f"{page_of(report)}folgen/",
        {"folgen-email": "anwohner@example.org", "csrfmiddlewaretoken": ""},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bitte senden Sie Ihre Eingabe noch einmal ab" in page
    assert 'value="anwohner@example.org"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    again = client.post(
        f"{page_of(report)}folgen/",
        {"folgen-email": "anwohner@example.org", "csrfmiddlewaretoken": token},
    )
    assert again.status_code == 302


def test_a_form_sent_from_another_site_is_refused_without_a_second_chance(report):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{page_of(report)}folgen/",
        {"folgen-email": "anwohner@example.org"},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "anwohner@example.org" not in page
    assert "Ihre Sitzung ist abgelaufen" in page
