"""The photo pipeline for defect reports (test plan B1–B4): every input is generated here."""

import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import tracemalloc
import warnings
from functools import cache
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops, ImageCms, ImageStat
from PIL.PngImagePlugin import PngInfo

from portal.core.images import (
    MAX_BYTES,
    MAX_EDGE,
    MAX_PIXELS,
    CleanPhoto,
    PhotoRejected,
    blur_region,
    clean_photo,
    stored_name,
)
from tests.services.reports.inputs import png_bomb

ROOT = Path(__file__).resolve().parents[3]
GENERATED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")
SECRET = "GEHEIM-4711"  # a marker planted in every kind of metadata; none of it may survive
XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
    f'xmlns:dc="http://purl.org/dc/elements/1.1/" tiff:Make="{SECRET}" '
    f'tiff:Model="{SECRET}"><dc:creator>{SECRET}</dc:creator></rdf:Description>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode()
GPS_IFD, EXIF_IFD = 0x8825, 0x8769
MAKE, MODEL, ORIENTATION, MAKER_NOTE = 0x010F, 0x0110, 0x0112, 0x927C


# --- fixtures built with Pillow -------------------------------------------------------------
def _exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: camera, orientation, maker note and the place (Berlin)."""
    exif = Image.Exif()
    exif[MAKE] = SECRET
    exif[MODEL] = SECRET
    exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD)[MAKER_NOTE] = SECRET.encode()
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (52.0, 31.0, 12.0)
    gps[3], gps[4] = "E", (13.0, 24.0, 36.0)
    return exif


def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _picture(size=(600, 400), mode="RGB") -> Image.Image:
    """A picture with a red marker in its top-left corner, to tell how it was turned."""
    img = Image.new(mode, size, "blue" if mode != "L" else 100)
    img.paste("red" if mode != "L" else 255, (0, 0, 60, 60))
    return img


def _save(img: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def _jpeg_with_everything() -> bytes:
    """600×400 as stored by the camera, shown as 400×600 (Orientation 6), with all metadata."""
    return _save(
        _picture(),
        "JPEG",
        exif=_exif(orientation=6),
        xmp=XMP,
        icc_profile=_srgb_icc(),
        comment=SECRET.encode(),
    )


def _png_with_everything() -> bytes:
    info = PngInfo()
    info.add_text("Author", SECRET)
    info.add_text("Comment", SECRET, zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return _save(_picture(), "PNG", pnginfo=info, exif=_exif(), icc_profile=_srgb_icc())


def _webp_with_everything() -> bytes:
    return _save(_picture(), "WEBP", exif=_exif(), xmp=XMP, icc_profile=_srgb_icc())


def _mpo_with_everything() -> bytes:
    """A JPEG with a multi-picture extension, as many phones and cameras write it."""
    return _save(
        _picture(), "MPO", save_all=True, append_images=[_picture()], exif=_exif(), xmp=XMP
    )


def _heif_with_everything() -> bytes:
    try:
        return _save(_picture(), "HEIF", exif=_exif(), xmp=XMP)
    except (KeyError, OSError, ValueError):
        pytest.skip("this Pillow cannot write HEIF (pillow-heif encoder missing)")


def _with_claimed_size(width: int, height: int) -> bytes:
    """A tiny JPEG whose header claims another size: Pillow reads the size from the header only."""
    data = bytearray(_save(Image.new("L", (16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@cache
def _noisy_picture(size=(400, 300)) -> Image.Image:
    """Detail everywhere, so that a blur visibly changes the pixels."""
    return Image.merge("RGB", [Image.effect_noise(size, 80) for _ in range(3)])


def _upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


class _SizedStream(io.BytesIO):
    """A file object that declares a size of its own choosing, honest or not."""

    def __init__(self, data: bytes, size: int):
        super().__init__(data)
        self.size = size
        self.bytes_read = 0

    def read(self, n=-1):
        chunk = super().read(n)
        self.bytes_read += len(chunk)
        return chunk


# --- assertions ----------------------------------------------------------------------------
def _assert_no_metadata(photo: CleanPhoto) -> Image.Image:
    img = Image.open(io.BytesIO(photo.content))
    assert img.format == photo.format
    assert img.size == (photo.width, photo.height)
    exif = img.getexif()
    assert dict(exif) == {}
    assert dict(exif.get_ifd(GPS_IFD)) == {}
    assert dict(exif.get_ifd(EXIF_IFD)) == {}
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Author"):
        assert key not in img.info, key
    if photo.format == "PNG":
        assert img.text == {}
    for needle in (SECRET.encode(), b"Exif\x00\x00", b"ns.adobe.com/xap", b"adobe:ns:meta"):
        assert needle not in photo.content, needle
    return img


def _exiftool(data: bytes, tmp_path: Path) -> dict:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        # a missing tool must not turn the check into a skip: `make test` installs it
        pytest.fail(
            "exiftool is missing: apt-get install libimage-exiftool-perl (make test does it)"
        )
    path = tmp_path / "photo.bin"
    path.write_bytes(data)
    result = subprocess.run(
        [exiftool, "-j", "-a", "-G1", "-u", str(path)],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)[0]


def _identifying_tags(tags: dict) -> list[str]:
    return [
        key
        for key, value in tags.items()
        if re.search(r"GPS|XMP|Make|Model|MakerNote|Creator|Author|Comment|ICC", key)
        or SECRET in str(value)
    ]


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


# --- B3: metadata is gone, orientation is kept ----------------------------------------------
@pytest.mark.parametrize(
    ("make_input", "stored_format"),
    [
        (_jpeg_with_everything, "JPEG"),
        (_png_with_everything, "PNG"),
        (_webp_with_everything, "WEBP"),
        (_mpo_with_everything, "JPEG"),
        (_heif_with_everything, "JPEG"),
    ],
    ids=["jpeg", "png", "webp", "mpo", "heif"],
)
def test_clean_photo_removes_all_metadata(make_input, stored_format, tmp_path):
    data = make_input()
    source = Image.open(io.BytesIO(data))
    # The fixture really carries what we then expect to be gone.
    assert source.getexif().get_ifd(GPS_IFD)
    assert source.getexif()[MAKE] == SECRET

    photo = clean_photo(_upload(data))

    assert photo.format == stored_format
    expected = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png")}
    expected["WEBP"] = (".webp", "image/webp")
    assert (photo.extension, photo.content_type) == expected[stored_format]
    _assert_no_metadata(photo)

    found_in_input = _identifying_tags(_exiftool(data, tmp_path))
    assert any("GPS" in key for key in found_in_input)
    assert _identifying_tags(_exiftool(photo.content, tmp_path)) == []


def test_clean_photo_applies_the_exif_orientation_before_dropping_it():
    photo = clean_photo(_upload(_jpeg_with_everything()))

    img = _assert_no_metadata(photo)
    assert (photo.width, photo.height) == (400, 600)
    # Orientation 6 means "turn 90° clockwise to show": the stored top-left corner goes top-right.
    red, blue = img.getpixel((399 - 10, 10)), img.getpixel((10, 10))
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60


@pytest.mark.parametrize(
    ("name", "fmt", "params"),
    [
        ("jpeg-comment", "JPEG", {"comment": b"<script>alert(1)</script>"}),
        ("png-text", "PNG", {"pnginfo": "script"}),
        ("png-appended", "PNG", {}),
        ("webp-appended", "WEBP", {}),
    ],
)
def test_polyglot_payload_bytes_do_not_survive(name, fmt, params):
    if params.get("pnginfo") == "script":
        info = PngInfo()
        info.add_text("Comment", "<html><script>alert(document.cookie)</script></html>")
        params = {"pnginfo": info}
    data = _save(Image.new("RGB", (8, 8), "white"), fmt, **params)
    data += b"<html><body><script>alert(document.cookie)</script></body></html>"
    # Pillow accepts the file as an image, which is why re-encoding is needed at all.
    Image.open(io.BytesIO(data)).verify()

    photo = clean_photo(_upload(data, name="bild.png"))

    assert b"<script" not in photo.content
    assert b"<html" not in photo.content
    _assert_no_metadata(photo)


# --- modes and sizes -------------------------------------------------------------------------
def test_png_and_webp_keep_transparency():
    img = Image.new("RGBA", (40, 40), (0, 0, 255, 255))
    img.paste((0, 0, 0, 0), (0, 0, 20, 20))
    for fmt in ("PNG", "WEBP"):
        photo = clean_photo(
            _upload(_save(img, fmt, lossless=True) if fmt == "WEBP" else _save(img, fmt))
        )
        out = Image.open(io.BytesIO(photo.content))
        assert out.mode == "RGBA"
        assert out.getpixel((5, 5))[3] == 0
        assert out.getpixel((30, 30))[3] == 255


def test_palette_png_with_transparency_becomes_rgba():
    img = Image.new("P", (20, 20), 1)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    img.paste(0, (0, 0, 10, 10))
    photo = clean_photo(_upload(_save(img, "PNG", transparency=0)))

    out = Image.open(io.BytesIO(photo.content))
    assert out.mode == "RGBA"
    assert out.getpixel((2, 2))[3] == 0
    assert out.getpixel((15, 15)) == (255, 0, 0, 255)


def test_cmyk_jpeg_is_stored_as_rgb():
    photo = clean_photo(_upload(_save(Image.new("CMYK", (30, 30), (0, 255, 255, 0)), "JPEG")))

    out = Image.open(io.BytesIO(photo.content))
    assert (photo.format, out.mode) == ("JPEG", "RGB")
    r, g, b = out.getpixel((15, 15))
    assert r > 200 and g < 60 and b < 60


def test_16_bit_greyscale_png_is_scaled_not_clipped():
    # Left half black, right half at half of the 16-bit range.
    row = b"\0\0" * 10 + (32768).to_bytes(2, "little") * 10
    img = Image.frombytes("I;16", (20, 10), row * 10)
    photo = clean_photo(_upload(_save(img, "PNG")))

    out = Image.open(io.BytesIO(photo.content))
    assert out.mode == "L"
    assert out.getpixel((2, 2)) == 0
    assert out.getpixel((15, 5)) == 128


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_large_photo_is_downscaled_to_the_long_edge(fmt):
    data = _save(_picture(size=(6000, 1000)), fmt)

    photo = clean_photo(_upload(data))

    assert photo.width == MAX_EDGE
    assert abs(photo.height - round(1000 * MAX_EDGE / 6000)) <= 1
    assert Image.open(io.BytesIO(photo.content)).size == (photo.width, photo.height)


def test_small_photo_keeps_its_size():
    photo = clean_photo(_upload(_save(_picture(size=(123, 45)), "PNG")))

    assert (photo.width, photo.height) == (123, 45)


# --- B1: size and pixel limits, before decoding ----------------------------------------------
def test_upload_over_10_mb_is_refused_by_its_size_without_being_read():
    data = _save(_picture(), "JPEG")
    upload = _SizedStream(data, size=MAX_BYTES + 1)

    with pytest.raises(PhotoRejected) as caught:
        clean_photo(upload)

    assert caught.value.code == "photo_too_large"
    assert "10 MB" in caught.value.messages[0]
    assert upload.bytes_read == 0


def test_11_mb_django_upload_is_refused():
    data = _save(_picture(), "JPEG")
    data += os.urandom(11 * 1024 * 1024 - len(data))

    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(data))

    assert caught.value.code == "photo_too_large"
    assert caught.value.messages == ["Das Foto ist größer als 10 MB. Bitte verkleinern Sie es."]


@pytest.mark.parametrize("declared", [None, 1000], ids=["no-size", "lying-size"])
def test_read_is_capped_when_the_size_is_unknown_or_wrong(declared):
    data = _save(_picture(), "JPEG")
    data += b"\0" * (11 * 1024 * 1024 - len(data))
    upload = io.BytesIO(data) if declared is None else _SizedStream(data, size=declared)

    tracemalloc.start()
    try:
        with pytest.raises(PhotoRejected) as caught:
            clean_photo(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert caught.value.code == "photo_too_large"
    assert upload.tell() == MAX_BYTES + 1
    assert peak < MAX_BYTES + 1024 * 1024


def test_exactly_10_mb_is_allowed_and_one_byte_more_is_not():
    jpeg = _save(_picture(), "JPEG")
    padded = jpeg + b"\0" * (MAX_BYTES - len(jpeg))

    assert clean_photo(_upload(padded)).format == "JPEG"
    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(padded + b"\0"))
    assert caught.value.code == "photo_too_large"


def test_png_bomb_fixture_is_tiny_and_a_valid_png():
    data = png_bomb()

    assert len(data) < 100 * 1024
    # A small one made the same way decodes, so the big one is a real image and not just noise.
    small = Image.open(io.BytesIO(png_bomb(side=64)))
    small.load()
    assert (small.format, small.mode, small.size) == ("PNG", "1", (64, 64))


@pytest.mark.parametrize(
    "make_input",
    [
        png_bomb,
        lambda: _with_claimed_size(12000, 12000),  # 144 MP: Pillow only warns at this size
        lambda: _with_claimed_size(8000, 6000),  # 48 MP: only our own limit catches it
        lambda: _with_claimed_size(MAX_PIXELS // 4000 + 1, 4000),
    ],
    ids=["png-20000x20000", "jpeg-12000x12000", "jpeg-8000x6000", "jpeg-just-over"],
)
def test_pixel_flood_is_refused_fast_before_decoding(make_input):
    data = make_input()
    filters_before = list(warnings.filters)

    started = time.perf_counter()
    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(data))
    elapsed = time.perf_counter() - started

    assert caught.value.code == "photo_too_many_pixels"
    assert "40 Megapixel" in caught.value.messages[0]
    assert elapsed < 1
    # The warning filter was local to the call.
    assert warnings.filters == filters_before


def test_pixel_limit_holds_even_if_pillows_guard_is_switched_off(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(png_bomb()))

    assert caught.value.code == "photo_too_many_pixels"


def test_exactly_the_pixel_limit_is_allowed():
    # 40 MP claimed by a tiny file: libjpeg fills the missing data with grey, as it does for any
    # JPEG that ends early, and the result is stored downscaled.
    photo = clean_photo(_upload(_with_claimed_size(MAX_PIXELS // 4000, 4000)))

    assert (photo.format, photo.width, photo.height) == ("JPEG", MAX_EDGE, 1024)


# `ru_maxrss` would be no use here: Linux carries the parent's peak over into a forked child.
# `VmHWM` is the peak resident size of this process's own memory, reset by `exec`.
_MEASURE = """
import io, json, re, sys, time
from PIL import Image
from portal.core.images import PhotoRejected, clean_photo

def peak_kb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))

if sys.argv[1] == "no-pillow-guard":
    Image.MAX_IMAGE_PIXELS = None
data = sys.stdin.buffer.read()
before = peak_kb()
started = time.perf_counter()
try:
    clean_photo(io.BytesIO(data))
    code = "accepted"
except PhotoRejected as exc:
    code = exc.code
seconds = time.perf_counter() - started
print(json.dumps({"code": code, "seconds": seconds, "grown_kb": peak_kb() - before}))
"""


def _measure_in_fresh_process(data: bytes, mode: str = "default") -> dict:
    """Peak memory is measured in a fresh process; Pillow's buffers are invisible to tracemalloc."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux /proc to measure peak memory")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, mode],
        input=data,
        capture_output=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("mode", ["default", "no-pillow-guard"])
def test_png_bomb_never_allocates_the_image(mode):
    measured = _measure_in_fresh_process(png_bomb(), mode)

    assert measured["code"] == "photo_too_many_pixels"
    assert measured["seconds"] < 1
    assert measured["grown_kb"] < 100 * 1024


def test_the_memory_measurement_sees_a_decode():
    """Control: a 6000×6000 image of the same kind is allowed, decoded, and the growth shows."""
    measured = _measure_in_fresh_process(png_bomb(side=6000))

    assert measured["code"] == "accepted"
    assert measured["grown_kb"] > 30 * 1024


# --- B2: type by content ---------------------------------------------------------------------
def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )


def _psd() -> bytes:
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 10, 10, 8, 3)
    return header + b"\0" * 64


def _fits() -> bytes:
    cards = ["SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =     0"]
    return "".join(card.ljust(80) for card in [*cards, "END"]).ljust(2880).encode()


@pytest.mark.parametrize(
    "make_input",
    [
        _pdf,
        _svg,
        _psd,
        _fits,
        lambda: _save(_picture(), "BMP"),
        lambda: _save(_picture(), "TIFF"),
        lambda: _save(_picture(), "GIF"),
        lambda: _save(_picture(), "ICO"),
        lambda: b"Dies ist nur Text, kein Foto.\n",
        lambda: b"<html><script>alert(1)</script></html>",
        lambda: b"",
    ],
    ids=["pdf", "svg", "psd", "fits", "bmp", "tiff", "gif", "ico", "text", "html", "empty"],
)
def test_non_photos_named_jpg_are_refused_by_content(make_input):
    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(make_input(), name="foto.jpg", content_type="image/jpeg"))

    assert caught.value.code == "photo_wrong_type"
    assert caught.value.messages == [
        "Diese Datei ist kein Foto im Format JPEG, PNG, WebP oder HEIC."
    ]


def test_the_name_and_content_type_do_not_matter():
    photo = clean_photo(_upload(_save(_picture(), "PNG"), name="x.pdf", content_type="text/html"))

    assert (photo.format, photo.extension, photo.content_type) == ("PNG", ".png", "image/png")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_photo_gets_a_german_error(fmt):
    data = _save(_noisy_picture(), fmt)

    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(data[: len(data) // 2]))

    assert caught.value.code in {"photo_broken", "photo_wrong_type"}
    assert "Foto" in caught.value.messages[0]


def test_corrupt_image_data_gets_a_german_error():
    data = bytearray(_save(_noisy_picture(), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 11] = 0  # the first component's sampling factors: the header parses, decoding fails

    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(bytes(data)))

    assert caught.value.code == "photo_broken"


def test_png_with_a_bad_checksum_gets_a_german_error():
    data = bytearray(_save(_noisy_picture(), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF  # the chunk's CRC no longer matches

    with pytest.raises(PhotoRejected) as caught:
        clean_photo(_upload(bytes(data)))

    assert caught.value.code == "photo_broken"


# --- blur ------------------------------------------------------------------------------------
BOX = (100, 80, 220, 180)


def _split(img: Image.Image, box=BOX) -> tuple[Image.Image, Image.Image]:
    """The box, and the picture with the box and a JPEG-block margin around it greyed out."""
    margin = 16
    outside = img.copy()
    left, upper, right, lower = box
    outside.paste((0, 0, 0), (left - margin, upper - margin, right + margin, lower + margin))
    return img.crop(box), outside


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_blur_region_blurs_the_box_and_leaves_the_rest(fmt):
    original = clean_photo(_upload(_save(_noisy_picture(), fmt)))

    blurred = blur_region(original.content, box=BOX)

    assert (blurred.format, blurred.width, blurred.height) == (fmt, 400, 300)
    before = Image.open(io.BytesIO(original.content)).convert("RGB")
    after = _assert_no_metadata(blurred).convert("RGB")
    box_before, rest_before = _split(before)
    box_after, rest_after = _split(after)
    assert _mean_difference(box_before, box_after) > 20
    # Detail is gone from the box: the noise is flattened.
    assert max(ImageStat.Stat(box_after).stddev) < max(ImageStat.Stat(box_before).stddev) / 4
    tolerance = 0 if fmt == "PNG" else 6
    assert _mean_difference(rest_before, rest_after) <= tolerance


def test_blur_region_clips_a_box_that_reaches_outside():
    original = clean_photo(_upload(_save(_noisy_picture(), "PNG")))

    blurred = blur_region(original.content, box=(-50, -50, 60, 60), radius=8)

    before = Image.open(io.BytesIO(original.content)).convert("RGB")
    after = Image.open(io.BytesIO(blurred.content)).convert("RGB")
    assert (blurred.width, blurred.height) == (400, 300)
    assert _mean_difference(before.crop((0, 0, 60, 60)), after.crop((0, 0, 60, 60))) > 20
    assert before.crop((60, 60, 400, 300)).tobytes() == after.crop((60, 60, 400, 300)).tobytes()


@pytest.mark.parametrize("box", [(500, 500, 600, 600), (50, 50, 50, 90), (-20, 10, -1, 40)])
def test_blur_region_refuses_a_box_outside_the_photo(box):
    original = clean_photo(_upload(_save(_noisy_picture(), "PNG")))

    with pytest.raises(PhotoRejected) as caught:
        blur_region(original.content, box=box)

    assert caught.value.code == "photo_box_outside"


def test_blur_region_strips_metadata_and_refuses_bombs_too():
    blurred = blur_region(_jpeg_with_everything(), box=(0, 0, 50, 50))

    _assert_no_metadata(blurred)
    assert (blurred.width, blurred.height) == (400, 600)
    with pytest.raises(PhotoRejected) as caught:
        blur_region(png_bomb(), box=(0, 0, 10, 10))
    assert caught.value.code == "photo_too_many_pixels"


# --- B4: generated names ---------------------------------------------------------------------
@pytest.mark.parametrize("extension", [".jpg", ".png", ".webp"])
def test_stored_name_is_generated_and_unique(extension):
    names = {stored_name(extension) for _ in range(1000)}

    assert len(names) == 1000
    assert all(GENERATED_NAME.match(name) and name.endswith(extension) for name in names)


@pytest.mark.parametrize("extension", ["", ".html", ".svg", "/../x.jpg", ".jpg\0.html"])
def test_stored_name_refuses_other_extensions(extension):
    with pytest.raises(ValueError):
        stored_name(extension)


@pytest.mark.parametrize(
    "name",
    ["../../x.jpg", "<svg onload=alert(1)>.jpg", "rechnung\u202egpj.exe", "a" * 300 + ".jpg"],
    ids=["traversal", "markup", "rtl-override", "300-chars"],
)
def test_the_original_name_is_never_used(name):
    photo = clean_photo(_upload(_save(_picture(), "JPEG"), name=name))

    file = photo.as_content_file()

    assert GENERATED_NAME.match(file.name)
    assert file.read() == photo.content
