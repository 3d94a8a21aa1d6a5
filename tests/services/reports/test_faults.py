"""A report with photos while Redis is down: the photos wait between the form and its review step
in the database, only for the session that chose them, and not longer than two hours."""

import datetime
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from services.reports.models import Report, ReportPhotoDraft
from services.reports.tasks import report_photo_drafts_purge_task
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, square

pytestmark = pytest.mark.django_db

CREATE = "/maengel/melden/"
DEAD_REDIS = {
    "default": {
        "BACKEND": "portal.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/1",  # nothing listens there
    }
}


@pytest.fixture
def lights():
    DistrictFactory(name="Schwerte-Mitte", area=square(7.48, 51.39, 0.2))
    return CategoryFactory(name="Straßenbeleuchtung defekt", default_department=DepartmentFactory())


def photo(colour) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def review_with_photos(client, category):
    form = client.get(CREATE).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    response = client.post(
        CREATE,
        {
            "form_token": token,
            "category": category.pk,
            "address": "Hagener Str. 12",
            "description": "Die Laterne vor Hausnummer 12 ist seit Tagen dunkel.",
            "email": "erika@example.org",
            "photo_1": photo((200, 120, 40)),
            "alt_1": "Laterne bei Nacht",
            "photo_2": photo((20, 40, 200)),
            "alt_2": "Der Mast",
        },
    )
    assert "Angaben prüfen" in response.content.decode(), response.content.decode()[:3000]
    return response


def hidden_inputs(response) -> dict:
    pairs = re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()
    )
    return {name: html.unescape(value) for name, value in pairs}


def photo_urls(response) -> list[str]:
    return re.findall(r'src="(/maengel/melden/foto/[^"]+)"', response.content.decode())


@override_settings(CACHES=DEAD_REDIS)
def test_a_report_with_photos_is_sent_while_redis_is_down(
    client, lights, django_capture_on_commit_callbacks
):
    review = review_with_photos(client, lights)
    urls = photo_urls(review)
    assert len(urls) == 2
    for url in urls:
        shown = client.get(url)
        assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
        assert "no-store" in shown["Cache-Control"]
        assert Client().get(url).status_code == 404  # nobody else's session sees it

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, {**hidden_inputs(review), "schritt": "absenden"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].startswith("/anliegen/eingegangen/")
    report = Report.objects.get()
    assert sorted(report.photos.values_list("alt_text", flat=True)) == [
        "Der Mast",
        "Laterne bei Nacht",
    ]
    # sent: the drafts are gone, their addresses with them
    assert not ReportPhotoDraft.objects.exists()
    assert client.get(urls[0]).status_code == 404


def test_photos_of_a_form_never_sent_are_gone_after_two_hours(client, lights, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    review = review_with_photos(client, lights)
    url = photo_urls(review)[0]
    assert client.get(url).status_code == 200

    time_machine.shift(datetime.timedelta(hours=2, minutes=1))
    assert client.get(url).status_code == 404
    assert report_photo_drafts_purge_task() == 2  # the hourly beat job
    assert not ReportPhotoDraft.objects.exists()
    # sending now asks for the photos again instead of losing them silently
    response = client.post(CREATE, {**hidden_inputs(review), "schritt": "absenden"})
    assert response.status_code == 200
    assert "Bitte wählen Sie sie noch einmal aus." in response.content.decode()
    assert not Report.objects.exists()


def test_a_photo_address_with_a_slot_the_form_does_not_have_is_not_found(client, lights):
    review = review_with_photos(client, lights)
    token = photo_urls(review)[0].split("/")[-3]
    assert client.get(f"{CREATE}foto/{token}/99999999999999999999/").status_code == 404
