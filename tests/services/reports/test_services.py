"""Submitting, publishing and supporting defect reports."""

from decimal import Decimal

import pytest

from portal.core.errors import ApplicationError
from portal.tickets.constants import PublishMode, RoutingState
from portal.tickets.models import Ticket
from services.reports.models import Report
from services.reports.selectors import distance_m, report_nearby_open
from services.reports.services import (
    SupportOutcome,
    report_publish,
    report_submit,
    report_support,
)
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, UserFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return DistrictFactory(name="Mitte", area=square(7.55, 51.43, 0.02))


@pytest.fixture
def lights():
    return CategoryFactory(
        name="Straßenbeleuchtung", default_department=DepartmentFactory(),
        publish_mode=PublishMode.IMMEDIATE,
    )  # fmt: skip


def submit(category, lat="51.4400", lon="7.5600", **kwargs):
    return report_submit(
        category=category,
        description=kwargs.pop("description", "Laterne dunkel"),
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        **kwargs,
    )


def test_report_opens_a_ticket_in_the_same_transaction(city, lights):
    report = submit(lights, name="Erika Muster", email="Erika@Example.org", address="Markt 1")
    ticket = report.ticket
    assert ticket.source == report and ticket.source_kind == "maengel"
    assert ticket.district == city
    assert ticket.routing_state == RoutingState.PENDING
    assert report.is_published  # this category publishes at once
    assert report.reporter_email == "erika@example.org"


def test_reports_needing_review_wait_for_a_check(city):
    category = CategoryFactory(publish_mode=PublishMode.AFTER_REVIEW)
    report = submit(category)
    assert not report.is_published
    report = report_publish(report=report, public_description="Laterne an der Kirche dunkel")
    assert report.is_published and report.public_text == "Laterne an der Kirche dunkel"
    assert report.description == "Laterne dunkel"  # the original is kept


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"description": "  "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"lat": "52.5200", "lon": "13.4050"}, "location"),  # Berlin: outside the city
        ({"lat": "95", "lon": "7.56"}, "location"),
    ],
)
def test_bad_input_is_refused_in_german_and_nothing_is_stored(city, lights, kwargs, field):
    with pytest.raises(ApplicationError) as error:
        submit(lights, **kwargs)
    assert error.value.field == field
    assert not Report.objects.exists() and not Ticket.objects.exists()


def test_nearby_open_reports_within_the_radius(city, lights):
    near = submit(lights, lat="51.440000", lon="7.560000")
    submit(lights, lat="51.445000", lon="7.560000")  # about 556 m north
    found = report_nearby_open(
        category_id=lights.pk, latitude=51.4402, longitude=7.5601, radius_m=250
    )
    assert [r for r, _ in found] == [near]
    assert 20 < found[0][1] < 30


def test_distance_is_haversine():
    # one minute of latitude is about 1,852 m
    assert abs(distance_m(51.0, 7.0, 51.0 + 1 / 60, 7.0) - 1853) < 5


def test_support_counts_once_per_person(city, lights):
    report = submit(lights)
    user = UserFactory()
    assert report_support(report=report, user=user) == SupportOutcome.COUNTED
    assert report_support(report=report, user=user) == SupportOutcome.ALREADY_COUNTED
    device = "geraet-1@geraete.invalid"
    assert report_support(report=report, email=device, email_verified=True) == (
        SupportOutcome.COUNTED
    )
    # a typed-in address waits for its confirmation link (tests/services/reports/test_support.py)
    assert report_support(report=report, email="Nachbar@example.org") == SupportOutcome.CHECK_MAIL
    assert report_support(report=report, email="nachbar@example.org") == SupportOutcome.CHECK_MAIL
    with pytest.raises(ApplicationError):
        report_support(report=report, email="")
    report.refresh_from_db()
    assert report.support_count == 2


def test_stored_photo_and_its_rendition_carry_no_metadata(city, lights):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from portal.core.images import RENDITION_EDGE, clean_photo

    img = Image.new("RGB", (2000, 1500), (90, 140, 200))
    exif = Image.Exif()
    exif[0x010F] = "Spionkamera"
    exif.get_ifd(0x8825)[2] = (51.0, 26.0, 30.0)
    raw = io.BytesIO()
    img.save(raw, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(raw.getvalue())).getexif().get_ifd(0x8825)  # input has GPS

    cleaned = clean_photo(SimpleUploadedFile("p.jpg", raw.getvalue(), "image/jpeg"))
    photo = submit(lights, photos=[(cleaned, "Laterne")]).photos.get()
    for field in (photo.image, photo.rendition):
        with field.open("rb") as stored:
            stored_img = Image.open(io.BytesIO(stored.read()))
        assert not stored_img.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(stored_img.info)
    assert max(photo.rendition_width, photo.rendition_height) == RENDITION_EDGE
    assert photo.rendition.name != photo.image.name
