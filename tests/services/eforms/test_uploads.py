"""A proof is a PDF or a photo by its content; anything else gets a German error and is not kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from services.eforms.definitions import personenstand
from services.eforms.uploads import MSG_TOO_LARGE, MSG_WRONG_TYPE, checked_upload
from tests.services.reports.inputs import png_bomb

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamera"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 26.0, 40.0)
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "teal").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _step(upload):
    return personenstand.ApplicantStep(
        data={"relation": "interesse", "delivery": "download"}, files={"proof": upload}
    )


def test_a_pdf_is_accepted_under_a_generated_name():
    clean = checked_upload(SimpleUploadedFile("vollmacht.pdf", PDF, "application/pdf"))
    assert clean.name.endswith(".pdf") and "vollmacht" not in clean.name
    assert clean.original_name == "vollmacht.pdf"
    assert clean.read() == PDF


def test_a_photo_is_stored_without_its_gps_data():
    clean = checked_upload(SimpleUploadedFile("ausweis.jpg", _jpeg_with_gps(), "image/jpeg"))
    image = Image.open(io.BytesIO(clean.read()))
    assert dict(image.getexif()) == {}
    assert clean.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nachweis.pdf", b"MZ\x90\x00 this is a windows program" * 10, MSG_WRONG_TYPE),
        ("nachweis.pdf", b"%PDF-1.4 but cut off without an end", MSG_WRONG_TYPE),
        ("foto.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", MSG_WRONG_TYPE),
        ("gross.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024) + b"\n%%EOF", MSG_TOO_LARGE),
    ],
)
def test_files_that_are_not_what_they_claim_get_a_german_error(name, content, message):
    form = _step(SimpleUploadedFile(name, content, "application/pdf"))
    assert not form.is_valid()
    assert form.errors["proof"] == [str(message)]


def test_a_decompression_bomb_is_refused_before_decoding():
    form = _step(SimpleUploadedFile("bombe.png", png_bomb(), "image/png"))
    assert not form.is_valid()
    assert "Megapixel" in form.errors["proof"][0]


def test_rendering_a_pdf_does_not_make_broken_photos_acceptable():
    """WeasyPrint lets Pillow load truncated images process-wide when it is imported."""
    from PIL import ImageFile

    from portal.core.images import PhotoRejected, clean_photo
    from services.eforms.pdf import _render

    _render("eforms/pdf/_base.html", {"site_name": "Test"})
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as if another library had switched it on
    try:
        truncated = _jpeg_with_gps()[:-400]
        with pytest.raises(PhotoRejected):
            clean_photo(SimpleUploadedFile("kaputt.jpg", truncated, "image/jpeg"))
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was found
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
