"""The public web side of the Mängelmelder: the report form with its review step, the list, the
report page and "Ich bin auch betroffen"."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from portal.tickets.constants import PublishMode, TicketStatus
from portal.tickets.models import Category, Ticket
from services.reports.models import Report, ReportPhoto, ReportSupport
from services.reports.services import report_publish, report_submit
from services.reports.streets import street_locate
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, UserFactory, square
from tests.services.reports.inputs import png_bomb

pytestmark = pytest.mark.django_db

CREATE = "/maengel/melden/"
LIST = "/maengel/"
NAME = "Erika Geheimname"
EMAIL = "erika.geheim@example.org"


@pytest.fixture
def city():
    # covers every street of services/reports/streets.py
    return DistrictFactory(name="Schwerte-Mitte", area=square(7.48, 51.39, 0.2))


@pytest.fixture
def lights(city):
    return CategoryFactory(
        name="Straßenbeleuchtung defekt", slug="beleuchtung", icon="lamp",
        default_department=DepartmentFactory(), publish_mode=PublishMode.IMMEDIATE,
    )  # fmt: skip


@pytest.fixture
def graffiti(city):
    return CategoryFactory(name="Graffiti", slug="graffiti", publish_mode=PublishMode.AFTER_REVIEW)


def jpeg_with_gps(name="laterne.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (120, 80), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Testkamera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 26.0, 40.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get(0x010F) == "Testkamera"
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_named_jpg() -> SimpleUploadedFile:
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile("foto.jpg", pdf, content_type="image/jpeg")


def form_token(client) -> str:
    response = client.get(CREATE)
    assert response.status_code == 200
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def hidden_inputs(response) -> dict:
    pairs = re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()
    )
    return {name: html.unescape(value) for name, value in pairs}


def report_data(category, /, **overrides) -> dict:
    return {
        "category": category.pk,
        "address": "Hagener Str. 12",
        "description": "Die Laterne vor Hausnummer 12 ist seit Tagen dunkel.",
        "name": NAME,
        "email": EMAIL,
        **overrides,
    }


def review(client, data, token=None):
    return client.post(CREATE, {"form_token": token or form_token(client), **data})


def submit_review(client, review_response, django_capture_on_commit_callbacks, step="absenden"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(CREATE, {**hidden_inputs(review_response), "schritt": step})


def file_report(client, category, callbacks, **overrides) -> Report:
    response = review(client, report_data(category, **overrides))
    assert response.status_code == 200, response.content.decode()
    response = submit_review(client, response, callbacks)
    assert response.status_code == 302
    return Report.objects.latest("pk")


def assert_nothing_stored():
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert Ticket.objects.count() == 0


# --- the report form ---------------------------------------------------------------------------
def test_form_offers_categories_streets_and_the_emergency_numbers(client, lights):
    Category.objects.get_or_create(slug="allgemein", defaults={"name": "Allgemeine Anfrage"})
    text = client.get(CREATE).content.decode()
    assert "Straßenbeleuchtung defekt" in text
    for category in Category.objects.filter(slug__in=["barrierefreiheit", "allgemein"]):
        assert category.name not in text
    assert '<option value="Hüsingstraße">' in text
    assert 'list="street-list"' in text
    assert "Polizei 110" in text and "Feuerwehr 112" in text
    assert 'accept="image/jpeg,image/png,image/webp,image/heic"' in text
    assert "nie veröffentlicht" in text


def test_a_report_through_the_address_field_is_reviewed_then_stored_once(
    client, lights, city, django_capture_on_commit_callbacks
):
    response = review(
        client,
        {**report_data(lights), "photo_1": jpeg_with_gps(), "alt_1": "Dunkle Laterne am Abend"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Angaben prüfen" in text
    assert "Hagener Straße 12" in text  # resolved from "Hagener Str. 12"
    assert "Stadtteil Schwerte-Mitte" in text
    assert "Dunkle Laterne am Abend" in text
    assert_nothing_stored()  # the review step writes nothing

    # the photo shown on the review page is the cleaned one, for this session only
    photo_url = re.search(r'src="(/maengel/melden/foto/[^"]+)"', text).group(1)
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
    assert Client().get(photo_url).status_code == 404

    response = submit_review(client, response, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    ticket = report.ticket
    assert response.status_code == 302
    assert response["Location"] == f"/anliegen/eingegangen/{ticket.access_token}/"
    assert report.category == lights
    assert report.address == "Hagener Straße 12"
    street = street_locate("Hagener Straße")
    assert (report.latitude, report.longitude) == (street.latitude, street.longitude)
    assert ticket.district == city
    assert report.reporter_name == NAME and report.reporter_email == EMAIL
    assert report.is_published

    photo = report.photos.get()
    assert photo.alt_text == "Dunkle Laterne am Abend"
    stored = Image.open(photo.image.open("rb"))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "xmp" not in stored.info
    assert not photo.image.name.endswith("laterne.jpg")

    receipt = client.get(response["Location"])
    assert ticket.number in receipt.content.decode()


def test_a_second_post_of_the_same_form_leads_to_the_same_receipt(
    client, lights, django_capture_on_commit_callbacks
):
    first = review(client, report_data(lights))
    carried = {**hidden_inputs(first), "schritt": "absenden"}
    with django_capture_on_commit_callbacks(execute=True):
        one = client.post(CREATE, carried)
        two = client.post(CREATE, carried)
    assert one.status_code == two.status_code == 302
    assert one["Location"] == two["Location"]
    assert Report.objects.count() == 1


def test_change_brings_the_form_back_filled_with_the_photo_kept(
    client, lights, django_capture_on_commit_callbacks
):
    first = review(client, {**report_data(lights), "photo_1": jpeg_with_gps()})
    back = client.post(CREATE, {**hidden_inputs(first), "schritt": "aendern"})
    text = back.content.decode()
    assert back.status_code == 200
    assert "Mangel melden" in text and "Die Laterne vor Hausnummer 12" in text
    assert "Foto 1 ist hinzugefügt." in text
    assert_nothing_stored()

    # the citizen changes the street and removes the photo
    token = hidden_inputs(back)["form_token"]
    data = {**report_data(lights), "form_token": token, "address": "Ruhrstraße 3", "remove_1": "on"}
    second = client.post(CREATE, data)
    assert "Ruhrstraße 3" in second.content.decode()
    submit_review(client, second, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.address == "Ruhrstraße 3"
    assert report.photos.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": ""}, "Bitte beschreiben Sie den Mangel."),
        ({"description": "x" * 4001}, "höchstens 4000 Zeichen"),
        ({"address": "Unbekannte Allee 7"}, "Diese Straße kennen wir nicht"),
        ({"address": ""}, "Bitte geben Sie an, wo der Mangel ist"),
        (
            {"address": "", "latitude": "52.520000", "longitude": "13.400000"},
            "außerhalb des Stadtgebiets",
        ),
        ({"category": ""}, "Bitte wählen Sie aus, was Sie melden möchten."),
        ({"photo_2": "pdf"}, "kein Foto im Format JPEG, PNG, WebP oder HEIC"),
        ({"photo_2": "bomb"}, "mehr als 40 Megapixel"),
        ({"photo_2": "11mb"}, "größer als 10 MB"),
        ({"email": "keine-adresse"}, "Bitte geben Sie eine gültige E-Mail-Adresse an."),
    ],
    ids=["no-description", "too-long", "unknown-street", "no-address", "outside", "no-category",
         "pdf-as-jpg", "png-bomb", "11-mb", "bad-email"],
)  # fmt: skip
def test_mistakes_come_back_in_german_and_nothing_is_stored(
    client, lights, overrides, message, django_capture_on_commit_callbacks
):
    if overrides.get("photo_2") == "pdf":
        overrides = {**overrides, "photo_2": pdf_named_jpg()}
    elif overrides.get("photo_2") == "bomb":  # 48 KB, 20000×20000 pixels
        bomb = png_bomb()
        overrides = {**overrides, "photo_2": SimpleUploadedFile("bild.png", bomb, "image/png")}
    elif overrides.get("photo_2") == "11mb":
        big = b"\xff\xd8\xff\xe0" + b"\0" * (11 * 1024 * 1024)
        overrides = {**overrides, "photo_2": SimpleUploadedFile("gross.jpg", big, "image/jpeg")}
    data = report_data(lights, **overrides)
    response = review(client, data)
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert message in text
    assert 'id="error-summary"' in text
    assert "<title>Fehler:" in text
    # the final step refuses the same input too
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CREATE, {**hidden_inputs(response), **data, "schritt": "absenden"})
    assert_nothing_stored()


def test_a_point_outside_the_city_refused_by_the_service_shows_on_the_address_field(
    client, lights, monkeypatch
):
    """Should the form's own check let a point through, the service's refusal still lands on
    the address field, and nothing is stored."""
    monkeypatch.setattr("services.reports.forms.report_location_check", lambda **kw: None)
    first = review(client, report_data(lights, address="", latitude="52.5", longitude="13.4"))
    response = client.post(CREATE, {**hidden_inputs(first), "schritt": "absenden"})
    text = response.content.decode()
    assert "außerhalb des Stadtgebiets" in text
    assert 'href="#id_address"' in text
    assert_nothing_stored()


def test_the_honeypot_stores_nothing(client, lights):
    response = review(client, report_data(lights, homepage="http://spam.example"))
    assert "Vielen Dank für Ihre Meldung" in response.content.decode()
    assert_nothing_stored()


def test_without_a_valid_form_token_the_form_comes_back_filled(client, lights):
    response = client.post(CREATE, {**report_data(lights), "form_token": "erfunden"})
    text = response.content.decode()
    assert "zu lange geöffnet" in text
    assert "Die Laterne vor Hausnummer 12" in text
    assert_nothing_stored()


def test_a_logged_in_citizen_is_not_asked_for_an_e_mail_address(
    client, lights, django_capture_on_commit_callbacks
):
    user = UserFactory(email="konto@example.org")
    client.force_login(user)
    assert 'name="email"' not in client.get(CREATE).content.decode()
    report = file_report(client, lights, django_capture_on_commit_callbacks, email="")
    assert report.reporter == user and report.ticket.citizen == user


# --- publication -------------------------------------------------------------------------------
def test_immediate_categories_are_listed_at_once_others_after_review(
    client, lights, graffiti, django_capture_on_commit_callbacks
):
    light = file_report(client, lights, django_capture_on_commit_callbacks)
    paint = file_report(
        client, graffiti, django_capture_on_commit_callbacks, description="Graffiti an der Brücke"
    )
    text = client.get(LIST).content.decode()
    assert light.ticket.number in text
    assert paint.ticket.number not in text
    assert client.get(f"/maengel/{paint.ticket.number}/").status_code == 404

    report_publish(report=paint, public_description="Graffiti an einer Brücke")
    assert paint.ticket.number in client.get(LIST).content.decode()
    detail = client.get(f"/maengel/{paint.ticket.number}/").content.decode()
    assert "Graffiti an einer Brücke" in detail
    assert "Graffiti an der Brücke" not in detail  # the edited public text, not the original


# --- list and report page ----------------------------------------------------------------------
def make_report(category, *, lat="51.445000", lon="7.565000", **kwargs) -> Report:
    return report_submit(
        category=category,
        description=kwargs.pop("description", "Laterne dunkel"),
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        name=kwargs.pop("name", NAME),
        email=kwargs.pop("email", EMAIL),
        **kwargs,
    )


def test_the_list_filters_by_category_status_district_and_period(client, lights, city):
    holzen = DistrictFactory(name="Holzen", area=square(7.54, 51.452, 0.05))
    papier = CategoryFactory(
        name="Überfüllter Papierkorb", slug="papierkorb", publish_mode=PublishMode.IMMEDIATE
    )
    old = make_report(lights, description="alte Meldung")
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=45))
    in_holzen = make_report(lights, lat="51.461800", lon="7.561300", description="in Holzen")
    done = make_report(lights, description="erledigte Meldung")
    Ticket.objects.filter(pk=done.ticket_id).update(status=TicketStatus.DONE)
    bin_report = make_report(papier, description="voller Papierkorb")

    def numbers(query: str) -> set[str]:
        text = client.get(LIST + query).content.decode()
        return {
            r.ticket.number for r in (old, in_holzen, done, bin_report) if r.ticket.number in text
        }

    everything = {r.ticket.number for r in (old, in_holzen, done, bin_report)}
    assert numbers("") == everything
    assert numbers("?kategorie=papierkorb") == {bin_report.ticket.number}
    assert numbers("?status=erledigt") == {done.ticket.number}
    assert numbers("?status=offen") == everything - {done.ticket.number}
    assert numbers(f"?stadtteil={holzen.pk}") == {in_holzen.ticket.number}
    assert numbers("?zeitraum=30") == everything - {old.ticket.number}
    assert numbers("?zeitraum=30&kategorie=beleuchtung&status=offen") == {in_holzen.ticket.number}
    # a wrong filter value is ignored, not an error page
    response = client.get(LIST + "?zeitraum=999&stadtteil=abc")
    assert response.status_code == 200


def test_the_list_shows_status_as_text_and_shape_and_pages_keep_filters(client, lights):
    for n in range(21):
        make_report(lights, description=f"Meldung {n}")
    text = client.get(LIST + "?kategorie=beleuchtung").content.decode()
    assert "21 Meldungen" in text
    assert "status-light--rot" in text and "eingegangen" in text
    assert "?kategorie=beleuchtung&amp;seite=2" in text
    second = client.get(LIST + "?kategorie=beleuchtung&seite=2").content.decode()
    assert "Seite 2 von 2" in second


def bulk_reports(category, district, count: int) -> None:
    year = timezone.localdate().year
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"{year}-9{n:05d}",
            source_kind="maengel",
            category=category,
            summary=f"Meldung {n}",
            district=district,
            status=TicketStatus.RECEIVED,
        )  # fmt: skip
        for n in range(count)
    )
    Report.objects.bulk_create(
        Report(
            category=category,
            description=f"Meldung {n}",
            latitude=Decimal("51.445"),
            longitude=Decimal("7.565"),
            reporter_name=NAME,
            reporter_email=EMAIL,
            ticket=ticket,
            is_published=True,
            published_at=timezone.now(),
        )  # fmt: skip
        for n, ticket in enumerate(tickets)
    )


def test_the_list_needs_the_same_few_queries_for_500_reports(
    client, lights, city, django_assert_max_num_queries
):
    bulk_reports(lights, city, 500)
    client.get(LIST)  # the first page view of a site creates its settings row
    with django_assert_max_num_queries(8):
        response = client.get(LIST + "?status=offen")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 20
    with django_assert_max_num_queries(8):
        client.get(LIST + "?seite=25")


def test_the_report_page_shows_everything_public_and_nothing_personal(
    client, lights, city, django_capture_on_commit_callbacks
):
    report = file_report(
        client, lights, django_capture_on_commit_callbacks,
        photo_1=jpeg_with_gps(), alt_1="Laterne", photo_2=jpeg_with_gps(), alt_2="Verborgen",
    )  # fmt: skip
    report.photos.filter(alt_text="Verborgen").update(is_hidden=True)
    client.logout()
    client.cookies.clear()
    visible = report.photos.get(alt_text="Laterne")

    response = client.get(f"/maengel/{report.ticket.number}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Straßenbeleuchtung defekt" in text
    assert "Die Laterne vor Hausnummer 12" in text
    assert "Hagener Straße 12" in text and "Schwerte-Mitte" in text
    # the page shows the smaller display copy, linked to the full photo
    assert f'<a href="{visible.image.url}"><img' in text
    assert f'src="{visible.rendition.url}" alt="Laterne"' in text
    assert "Verborgen" not in text
    assert "Meldung eingegangen" in text  # the public timeline
    assert "voraussichtlich bis" in text
    assert "Ich bin auch betroffen" in text

    for page in (text, client.get(LIST).content.decode()):
        assert NAME not in page and EMAIL not in page
        assert "Geheimname" not in page and "erika.geheim" not in page
    assert client.get("/maengel/2099-000001/").status_code == 404


# --- duplicates and support --------------------------------------------------------------------
def test_open_reports_nearby_are_offered_on_the_review_page(client, lights, graffiti):
    street = street_locate("Hagener Straße")
    near = make_report(  # about 60 m north
        lights, lat=str(street.latitude + Decimal("0.00055")), lon=str(street.longitude),
        description="Laterne flackert",
    )  # fmt: skip
    far = make_report(  # about 600 m north
        lights, lat=str(street.latitude + Decimal("0.0055")), lon=str(street.longitude),
        description="Laterne weiter weg",
    )  # fmt: skip
    other = make_report(graffiti, lat=str(street.latitude), lon=str(street.longitude))
    report_publish(report=other)
    closed = make_report(lights, lat=str(street.latitude), lon=str(street.longitude))
    Ticket.objects.filter(pk=closed.ticket_id).update(status=TicketStatus.DONE)

    text = review(client, report_data(lights)).content.decode()
    assert "Wurde das schon gemeldet?" in text
    assert near.ticket.number in text and "ca. 60 m entfernt" in text
    assert far.ticket.number not in text
    assert other.ticket.number not in text and closed.ticket.number not in text
    assert f'action="/maengel/{near.ticket.number}/unterstuetzen/"' in text
    assert f'value="{EMAIL}"' in text  # the e-mail address already given

    lights.duplicate_radius_m = 1000
    lights.save()
    assert far.ticket.number in review(client, report_data(lights)).content.decode()


def test_a_signed_in_person_counts_at_once_and_once(client, lights):
    # by e-mail address: tests/services/reports/test_support.py
    report = make_report(lights)
    url = f"/maengel/{report.ticket.number}/unterstuetzen/"
    response = client.post(url, {"email": ""})
    assert response.status_code == 200
    assert "Bitte geben Sie Ihre E-Mail-Adresse an." in response.content.decode()

    client.force_login(UserFactory())
    response = client.post(url, {}, follow=True)
    assert "Danke! Sie sind jetzt als betroffen gezählt." in response.content.decode()
    assert "1 Person ist außerdem betroffen." in response.content.decode()
    response = client.post(url, {}, follow=True)
    assert "Sie haben diese Meldung bereits unterstützt." in response.content.decode()
    assert "1 Person ist außerdem betroffen." in response.content.decode()
    assert ReportSupport.objects.filter(report=report).count() == 1
    assert client.get(url).status_code == 405


def test_a_closed_report_takes_no_support(client, lights):
    report = make_report(lights)
    Ticket.objects.filter(pk=report.ticket_id).update(status=TicketStatus.DONE)
    response = client.post(
        f"/maengel/{report.ticket.number}/unterstuetzen/", {"email": "a@example.org"}, follow=True
    )
    assert "bereits abgeschlossen" in response.content.decode()
    assert ReportSupport.objects.count() == 0
