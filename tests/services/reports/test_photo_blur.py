"""Staff make a face or a number plate unrecognisable before a photo is published."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.core.images import clean_photo
from services.reports.models import ReportPhoto
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DistrictFactory, UserFactory, square

pytestmark = pytest.mark.django_db


def jpeg(width=400, height=300) -> bytes:
    img = Image.new("RGB", (width, height))
    for x in range(width):
        for y in range(0, height, 3):
            img.putpixel((x, y), ((x * 7) % 256, (y * 5) % 256, 128))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.fixture
def photo():
    DistrictFactory(area=square(7.55, 51.43, 0.02))
    cleaned = clean_photo(SimpleUploadedFile("auto.jpg", jpeg(), content_type="image/jpeg"))
    report = report_submit(
        category=CategoryFactory(), description="Falschparker auf dem Radweg",
        latitude=Decimal("51.44"), longitude=Decimal("7.56"), photos=[(cleaned, "Auto")],
    )  # fmt: skip
    return report.photos.get()


def diff(p, q) -> int:
    return sum(abs(a - b) for a, b in zip(p, q, strict=True))


def test_blurring_replaces_the_photo_and_removes_the_original(
    client, login_with_second_factor, photo, django_capture_on_commit_callbacks
):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    before_name, before_rendition = photo.image.name, photo.rendition.name
    assert before_rendition
    with photo.image.open("rb") as f:
        before = Image.open(io.BytesIO(f.read())).convert("RGB")
    url = f"/admin/maengel-fotos/{photo.pk}/verpixeln/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"left": 50, "top": 50, "width": 100, "height": 80})
    assert response.status_code == 302
    photo = ReportPhoto.objects.get(pk=photo.pk)
    assert photo.image.name != before_name
    # the unblurred photo and its display copy are gone
    assert not photo.image.storage.exists(before_name)
    assert not photo.image.storage.exists(before_rendition)
    assert photo.rendition.name and photo.rendition.name != before_rendition
    with photo.image.open("rb") as f:
        after = Image.open(io.BytesIO(f.read())).convert("RGB")
    assert after.size == before.size
    inside = diff(before.getpixel((60, 60)), after.getpixel((60, 60)))
    outside = diff(before.getpixel((350, 250)), after.getpixel((350, 250)))
    assert inside > outside


def test_a_box_outside_the_photo_is_refused_in_german(client, login_with_second_factor, photo):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        f"/admin/maengel-fotos/{photo.pk}/verpixeln/",
        {"left": 5000, "top": 5000, "width": 10, "height": 10},
    )
    assert response.status_code == 200
    assert "außerhalb" in response.content.decode() or "Bereich" in response.content.decode()


def test_citizens_cannot_blur(client, photo):
    client.force_login(UserFactory())
    response = client.get(f"/admin/maengel-fotos/{photo.pk}/verpixeln/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or response["Location"] == "/admin/"
