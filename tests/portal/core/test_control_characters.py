"""Control characters, lone surrogates and noncharacters in what citizens and devices send never
reach a page, a feed or an export (portal.core.text): each way in cleans them, and the strict
formats (Atom, Open311 XML, CSV, XLSX) stay valid for text stored before that.

One `\\x01` in an Open311 description used to make every Atom feed answer 500."""

import csv
import io
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from defusedxml import ElementTree
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import JsonResponse
from django.test import Client
from django.urls import include, path
from openpyxl import load_workbook
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.contributions.models import Comment
from participation.contributions.models import Idea as ProjectIdea
from participation.ideas.models import PoolIdea
from participation.polls.models import Answer
from participation.projects.constants import Module
from portal.tickets.constants import CategoryKind, PublishMode, RoutingState
from portal.tickets.models import Ticket
from services.eforms.definitions.sperrmuell import pickup_days
from services.eforms.models import ServiceFormField, ServiceFormPage, Submission
from services.reports.models import ApiClient, Report
from services.reports.services import report_submit
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    UserFactory,
    square,
)
from tests.participation.contributions.conftest import admin_client, citizen, open_project
from tests.participation.factories import field_of_action, phase, project, project_index
from tests.participation.ideas.factories import submitted_idea
from tests.participation.polls.conftest import PollData, make_poll

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FORM = "application/x-www-form-urlencoded"
# what a broken client sends: C0 controls (NUL too), DEL, C1 controls, noncharacters
DIRTY = "Schlag\x00loch\x01 am \x08Markt\x0b\x0c\x1b\x1f\x7f\x85\x9f\ufdd0\ufffe\uffff\U0010ffff"
CLEAN = "Schlagloch am Markt"
# what can have been stored before the cleaning: PostgreSQL refuses NUL in text
STORED = DIRTY.replace("\x00", "")
INSIDE = {"lat": "51.441000", "long": "7.561000"}
# what must never reach a page, a feed or an export (written out here, not taken from the code)
_NONCHARACTERS = "".join(chr(plane * 0x10000 + n) for plane in range(17) for n in (0xFFFE, 0xFFFF))
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)


def dirty(text: str) -> str:
    """`text` with the characters no text of the portal may carry in between."""
    return "\x01".join(text[:4]) + text[4:] + "\x1f\ufffe"


def assert_clean(body: str) -> None:
    found = FORBIDDEN.findall(body)
    assert not found, f"characters that must not be there: {found!r}"


def atom_entries(client, url: str) -> list[dict]:
    """The entries of a feed, after checking that it is well-formed Atom."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert_clean(body)
    return body


def form_token(client, url: str) -> str:
    body = page_text(client, url)
    return re.search(r'name="form_token" value="([^"]+)"', body).group(1)


# --- the Mängelmelder: Open311 and the report form ------------------------------------------------
@pytest.fixture
def streets(db):
    district = DistrictFactory(name="Holzen", area=square(7.48, 51.39, 0.2))
    category = CategoryFactory(
        name="Straßenschaden", slug="strassenschaden", publish_mode=PublishMode.IMMEDIATE,
        default_department=DepartmentFactory(),
    )  # fmt: skip
    return district, category


@pytest.fixture
def api_key(db):
    client = ApiClient(name="Stadt-App")
    client.raw_key = client.issue_key()
    client.save()
    return client.raw_key


def assert_report_shown_clean(client, district, category, text: str) -> None:
    """Every feed, the Open311 list in both formats and the report's page show `text`."""
    report = Report.objects.get()
    assert report.description == text
    for url in (
        "/maengel/feed/",
        f"/maengel/feed/kategorie/{category.slug}/",
        f"/maengel/feed/stadtteil/{district.pk}/",
    ):
        [entry] = atom_entries(client, url)
        assert f"<p>{text}</p>" in entry["summary"]
    xml = client.get("/open311/v2/requests.xml")
    assert ElementTree.fromstring(xml.content).findtext("request/description") == text
    assert client.get("/open311/v2/requests.json").json()[0]["description"] == text
    assert text in page_text(client, f"/maengel/{report.ticket.number}/")


def test_one_control_character_from_a_city_app_no_longer_breaks_the_feeds(client, streets, api_key):
    # the issue's case: one U+0001 in an Open311 description, and every Atom feed answered 500
    data = {"api_key": api_key, "service_code": "strassenschaden", **INSIDE}
    data["description"] = "Schlagloch\x01 vor Nummer 4"
    response = client.post("/open311/v2/requests.json", urlencode(data), content_type=FORM)
    assert response.status_code == 200
    [entry] = atom_entries(client, "/maengel/feed/")
    assert "<p>Schlagloch vor Nummer 4</p>" in entry["summary"]


@pytest.mark.parametrize("encoding", ["form-encoded", "multipart"])
def test_an_open311_request_with_control_characters_keeps_every_feed_valid(
    client, streets, api_key, encoding
):
    data = {"api_key": api_key, "service_code": "strassenschaden", **INSIDE}
    data["description"] = DIRTY
    if encoding == "form-encoded":
        response = client.post("/open311/v2/requests.json", urlencode(data), content_type=FORM)
    else:
        response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 200, response.content
    assert_report_shown_clean(client, *streets, CLEAN)


def test_a_too_big_open311_body_still_gets_open311s_error(client, streets, api_key, settings):
    # the middleware must not read the body before the view: Open311 answers this in its format
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = {"api_key": api_key, "service_code": "strassenschaden", **INSIDE}
    response = client.post("/open311/v2/requests.xml", {**data, "description": "x" * 2000})
    assert response.status_code == 400
    assert ElementTree.fromstring(response.content).findtext("error/description") == (
        "Die Anfrage ist zu groß."
    )


def test_the_report_form_with_control_characters_keeps_every_feed_valid(client, streets):
    district, category = streets
    token = form_token(client, "/maengel/melden/")
    data = {
        "form_token": token,
        "category": category.pk,
        "address": dirty("Hagener Str. 12"),
        "description": DIRTY,
        "name": dirty("Erika Muster"),
        "email": "erika@example.org",
    }
    review = client.post("/maengel/melden/", data)
    assert review.status_code == 200
    assert_clean(review.content.decode())
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', review.content.decode())
    )
    response = client.post("/maengel/melden/", {**hidden, "schritt": "absenden"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter_name == "Erika Muster"
    assert report.address.startswith("Hagener Stra")  # the street list writes it out
    assert_report_shown_clean(client, district, category, CLEAN)


# --- the contact forms ----------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/anliegen/neu/", "/barrierefreiheit/rueckmeldung/"])
def test_a_contact_message_with_control_characters_reaches_page_and_export_clean(client, url):
    department = DepartmentFactory()
    category = CategoryFactory(
        slug="beleuchtung", kind=CategoryKind.REPORT, default_department=department
    )
    client.force_login(UserFactory())  # the status page shows the message to its sender only
    data = {"form_token": form_token(client, url), "message": DIRTY}
    if url == "/anliegen/neu/":
        data |= {"category": category.pk, "address": dirty("Hagener Str. 12")}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    ticket = Ticket.objects.get()
    assert CLEAN in page_text(client, f"/anliegen/status/{ticket.access_token}/")

    clerk = StaffUserFactory()
    clerk.department_memberships.create(department=department)
    Ticket.objects.update(department=department, routing_state=RoutingState.ROUTED)
    export = admin_client(clerk).get("/admin/anliegen/export/")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][-1] == ticket.summary
    assert CLEAN in rows[1][-1]
    assert_clean(export.content.decode("utf-8-sig"))


# --- participation --------------------------------------------------------------------------------
def test_an_idea_for_the_pool_with_control_characters_keeps_its_feed_valid(db):
    author = citizen()
    client = Client()
    client.force_login(author)
    data = {
        "form_token": form_token(client, "/ideenpool/neu/"),
        "title": dirty("Trinkbrunnen am Markt"),
        "text": DIRTY,
        "field_of_action": field_of_action("ZM 03", "Gesundheit").pk,
        "district": "",
        "address": dirty("Marktplatz"),
        "improves": "",
    }
    response = client.post("/ideenpool/neu/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    idea = PoolIdea.objects.get()
    assert (idea.title, idea.text, idea.address) == ("Trinkbrunnen am Markt", CLEAN, "Marktplatz")
    [entry] = atom_entries(client, "/ideenpool/feed/")
    assert entry["title"] == "Trinkbrunnen am Markt" and CLEAN in entry["summary"]
    assert CLEAN in page_text(client, f"/ideenpool/{idea.pk}/")
    assert_clean(client.get("/api/v1/ideas/").content.decode())


def test_ideas_and_comments_on_a_project_arrive_clean(db):
    project_index()
    vorhaben = open_project(modules=(Module.IDEAS, Module.COMMENTS), title="Stadtpark")
    client = Client()
    client.force_login(citizen())
    base = f"/mitmachen/vorhaben/{vorhaben.pk}"
    idea = {"idee-title": dirty("Wasserspielplatz"), "idee-text": DIRTY, "idee-address": ""}
    assert client.post(f"{base}/idee/", idea).status_code == 302
    assert client.post(f"{base}/kommentar/", {"kommentar-text": DIRTY}).status_code == 302
    assert ProjectIdea.objects.get().title == "Wasserspielplatz"
    assert Comment.objects.get().text == CLEAN
    body = page_text(client, vorhaben.get_url())
    assert "Wasserspielplatz" in body and body.count(CLEAN) >= 2


def test_free_texts_of_a_poll_arrive_clean_for_the_moderators(db):
    vorhaben = project(title="Neuer Marktplatz")
    phase(vorhaben, modules=[Module.POLLS])
    poll = make_poll(vorhaben)
    data = PollData(poll)
    values = data.valid(**{data.name(2): DIRTY, data.name(0, "_other"): dirty("Trinkbrunnen")})
    del values[data.name(0)]
    response = Client().post(f"/umfragen/{poll.pk}/antworten/", values)
    assert response.status_code == 302
    texts = {
        answer.text or answer.other_text
        for answer in Answer.objects.exclude(text="", other_text="")
    }
    assert texts == {CLEAN, "Trinkbrunnen"}

    moderator = StaffUserFactory()
    moderator.groups.add(Group.objects.get_or_create(name="Moderation")[0])
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    body = page_text(admin_client(moderator), f"/admin/umfragen/{poll.pk}/ergebnisse/")
    assert CLEAN in body and "Trinkbrunnen" in body


# --- online applications --------------------------------------------------------------------------
def offer_form(form_key: str = ""):
    """A published service page that offers the code-defined form `form_key` (or none)."""
    from wagtail.models import Site

    from services.catalogue.models import ServiceIndexPage, ServicePage

    root = Site.objects.get(is_default_site=True).root_page
    index = root.add_child(instance=ServiceIndexPage(title="Dienstleistungen", slug="dl"))
    department = DepartmentFactory()
    category = CategoryFactory(kind=CategoryKind.APPLICATION, default_department=department)
    page = ServicePage(
        title="Dienst", slug=f"dienst-{form_key or 'seite'}", teaser="Ein Dienst der Stadt.",
        department=department, is_online=True, form_key=form_key, category=category,
    )  # fmt: skip
    index.add_child(instance=page)
    return page


def test_the_text_fields_of_an_application_arrive_clean(client):
    offer_form("sperrmuell")
    client.force_login(UserFactory())
    assert client.post("/antraege/sperrmuell/").status_code == 302
    submission = Submission.objects.get()
    steps = [
        {"items": ["moebel"], "description": DIRTY, "volume": "2"},
        {
            "street": dirty("Hagenstraße 12"),
            "postcode": "58239",
            "pickup_date": pickup_days()[0][0].isoformat(),
        },
    ]
    for number, data in enumerate(steps, start=1):
        url = f"/antraege/antrag/{submission.public_id}/schritt/{number}/"
        response = client.post(url, {**data, "action": "weiter"})
        assert response.status_code == 302, response.content.decode()[-2000:]
    review = page_text(client, response["Location"])
    assert CLEAN in review and "Hagenstraße 12" in review
    response = client.post(response["Location"], {"consent": "on"})
    assert response.status_code == 302
    assert CLEAN in page_text(client, response["Location"])
    submission.refresh_from_db()
    assert submission.data["description"] == CLEAN


def test_an_editor_built_form_takes_its_text_clean(client):
    page = ServiceFormPage(title="Anwohnerparkausweis beantragen", slug="antrag")
    page.form_fields = [
        ServiceFormField(label="Kennzeichen", field_type="singleline", required=True),
        ServiceFormField(label="Anmerkung", field_type="multiline", required=True),
    ]
    offer_form().add_child(instance=page)
    client.force_login(UserFactory())
    assert client.post(f"/antraege/{page.form_key}/").status_code == 302
    submission = Submission.objects.get()
    data = {"kennzeichen": dirty("UN-AB 123"), "anmerkung": DIRTY, "action": "weiter"}
    response = client.post(f"/antraege/antrag/{submission.public_id}/schritt/1/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    review = page_text(client, response["Location"])
    assert "UN-AB 123" in review and CLEAN in review


# --- the mechanism itself, over HTTP: a plain view and a REST API view ----------------------------
def echo_form(request):
    """What the middleware leaves of a query string and a form body."""
    return JsonResponse(
        {
            "data": request.POST.dict(),
            "files": [upload.name for upload in request.FILES.getlist("file")],
            "query": request.GET.dict(),
        }
    )


class EchoAPI(APIView):
    """What the REST API's parsers leave of a body."""

    permission_classes: list = []
    authentication_classes: list = []

    def post(self, request):
        # request.data holds the files too; request.POST only a form body's fields
        data = request.POST.dict() if request.POST else request.data
        files = [upload.name for upload in request.FILES.getlist("file")]
        return Response({"data": data, "files": files, "query": request.query_params})


urlpatterns = [
    path("echo/", echo_form),
    path("echo-api/", EchoAPI.as_view()),
    path("", include("portal.urls")),
]


def send(client, url: str, encoding: str):
    body = {"text": "Lampe\x01 aus\ufffe", "list": "a\x1fb"}
    if encoding == "form-encoded":
        return client.post(url + "?q=x%01y", urlencode(body), content_type=FORM)
    upload = SimpleUploadedFile("sch\x01ein\x7f.pdf", b"%PDF-1.4", content_type="application/pdf")
    return client.post(url + "?q=x%01y", {**body, "file": upload})


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("encoding", ["form-encoded", "multipart"])
@pytest.mark.parametrize("url", ["/echo/", "/echo-api/"], ids=["django", "rest-api"])
def test_query_strings_form_bodies_and_file_names_are_cleaned(client, url, encoding):
    response = send(client, url, encoding)
    assert response.status_code == 200
    assert response.json() == {
        "data": {"text": "Lampe aus", "list": "ab"},
        "files": ["schein.pdf"] if encoding == "multipart" else [],
        "query": {"q": "xy"},
    }


@pytest.mark.urls(__name__)
def test_the_rest_api_cleans_json_bodies_even_of_lone_surrogates(client):
    # JSON can carry what no form body can: lone surrogates (a high one after a low one is no pair)
    raw = (
        '{"text": "Lampe\\u0001 aus\\udfff\\ud800\\ufffe", "list": ["a\\u001fb", 3], '
        '"nested": {"key\\u0002": ["\\u0003c\\ud83d"]}}'
    )
    response = client.post("/echo-api/", raw, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["data"] == {
        "text": "Lampe aus",
        "list": ["ab", 3],
        "nested": {"key": ["c"]},
    }


# --- already stored: the strict formats stay valid ------------------------------------------------
def test_text_stored_before_the_cleaning_leaves_feeds_and_open311_valid(client, streets):
    district, category = streets
    report = report_submit(
        category=category, description=STORED, address=dirty("Hagener Str. 12"),
        latitude=Decimal(INSIDE["lat"]), longitude=Decimal(INSIDE["long"]),
    )  # fmt: skip
    assert report.description == STORED  # the service stores what it gets
    district.name = dirty("Holzen")
    district.save()
    [entry] = atom_entries(client, f"/maengel/feed/stadtteil/{district.pk}/")
    assert entry["title"] == "Straßenschaden: Hagener Str. 12"
    assert f"<p>{CLEAN}</p>" in entry["summary"]
    for url in ("/maengel/feed/", f"/maengel/feed/kategorie/{category.slug}/"):
        assert len(atom_entries(client, url)) == 1
    xml = client.get("/open311/v2/requests.xml")
    assert ElementTree.fromstring(xml.content).findtext("request/description") == CLEAN

    submitted_idea(title=dirty("Mehr Bänke"), text=STORED, route=False)
    [entry] = atom_entries(client, "/ideenpool/feed/")
    assert entry["title"] == "Mehr Bänke" and CLEAN in entry["summary"]


def test_text_stored_before_the_cleaning_leaves_the_exports_readable(client):
    project_index()
    project(title=dirty("=Marktplatz"), summary=STORED, slug="markt")
    csv_response = client.get("/vorhabenliste/export/csv/")
    assert csv_response.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    # cleaned first, then kept from being a formula
    assert rows[1][:2] == ["'=Marktplatz", CLEAN]
    xlsx_response = client.get("/vorhabenliste/export/xlsx/")
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert list(sheet.iter_rows(min_row=2, max_col=2, values_only=True)) == [
        ("'=Marktplatz", CLEAN)
    ]

    department = DepartmentFactory()
    clerk = StaffUserFactory()
    clerk.department_memberships.create(department=department)
    idea = submitted_idea(title=dirty("@Mehr Bänke"), text=STORED, route=False)
    Ticket.objects.filter(pk=idea.ticket_id).update(department=department, summary=STORED)
    PoolIdea.objects.filter(pk=idea.pk).update(quorum_reached_at=idea.submitted_at)
    staff = admin_client(clerk)
    for url, column, expected in [
        ("/admin/anliegen/export/", -1, CLEAN),
        ("/admin/ideenpool/ratsliste/csv/", 0, "'@Mehr Bänke"),
    ]:
        response = staff.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        assert_clean(body)
        assert list(csv.reader(io.StringIO(body), delimiter=";"))[1][column] == expected
