"""The photo pipeline for citizens' photos (defect reports, Ideenpool, form uploads): validate an
upload, then store only a clean re-encoding.

Every photo that reaches storage has passed `clean_photo` (or `blur_region`, for staff edits):

1. **Size** is checked before anything is decoded, and at most ``MAX_BYTES + 1`` bytes are read.
2. **Type** comes from the content: Pillow may only try the formats in ``ALLOWED_FORMATS``, so a
   renamed PDF, SVG, BMP, TIFF, GIF, PSD or FITS file is refused; the name and the client's
   ``Content-Type`` are ignored.
3. **Pixels** are checked from the header, before the full decode, against ``MAX_PIXELS``
   (ASVS 5.0 V5.2.6 "pixel flood"); Pillow's own decompression-bomb guard is kept as a second line.
4. **Re-encoding**: the EXIF orientation is applied, then the image is encoded afresh with no
   metadata at all (no EXIF/GPS/maker notes, XMP, ICC profile, comments or PNG text chunks), so
   neither metadata nor bytes appended to the file (PNG+HTML polyglots) survive. The original
   upload is never stored.

Images longer than ``MAX_EDGE`` pixels on either side are downscaled to ``MAX_EDGE`` on the long
side; a report photo needs no more, and it keeps storage and renditions small. See §4 of
``reference/security.md`` and rows B1–B4 of the test plan.
"""

from __future__ import annotations

import io
import struct
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageFilter, ImageOps, UnidentifiedImageError

try:
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - pillow-heif is a Wagtail dependency, but optional here
    register_heif_opener = None
else:
    # Registration is process-wide and idempotent; Wagtail (Willow) does the same for HEIC.
    register_heif_opener()

MAX_BYTES = 10 * 1024 * 1024  # 10 MB
MAX_PIXELS = 40_000_000  # 40 megapixels
MAX_EDGE = 2560  # longest side of a stored photo, in pixels
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}


# Input format -> stored format. MPO is how Pillow names a JPEG with a multi-picture extension
# (common on phones and cameras); it is opened by the JPEG plugin, so it is a JPEG to us.
_STORED_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "JPEG"}
_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

# The errors Pillow's decoders raise on truncated or malformed input.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)

MSG_TOO_LARGE = _("Das Foto ist größer als %(limit)s MB. Bitte verkleinern Sie es.")
MSG_WRONG_TYPE = _("Diese Datei ist kein Foto im Format JPEG, PNG, WebP oder HEIC.")
MSG_TOO_MANY_PIXELS = _(
    "Das Foto hat mehr als %(limit)s Megapixel. "
    "Bitte verkleinern Sie es und laden Sie es erneut hoch."
)
MSG_BROKEN = _(
    "Das Foto ist beschädigt oder unvollständig und kann nicht gelesen werden. "
    "Bitte laden Sie es erneut hoch."
)
MSG_BOX_OUTSIDE = _("Der gewählte Bereich liegt nicht innerhalb des Fotos.")


class PhotoRejected(ValidationError):
    """An uploaded photo was refused; the message is German and can be shown to the user."""


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo without any metadata, ready to store under `stored_name`."""

    content: bytes
    format: str
    width: int
    height: int
    extension: str
    content_type: str

    def as_content_file(self) -> ContentFile:
        """The photo as a Django file under a generated name, for `FileField.save` or storage."""
        return ContentFile(self.content, name=stored_name(self.extension))


def clean_photo(upload) -> CleanPhoto:
    """Validate and re-encode an uploaded image (a Django UploadedFile or any binary file object).

    Refuses with `PhotoRejected` anything over ``MAX_BYTES`` or ``MAX_PIXELS``, anything that is
    not JPEG, PNG, WebP or HEIF by content, and anything that cannot be decoded. The result has the
    EXIF orientation applied, no metadata, and at most ``MAX_EDGE`` pixels on its long side. JPEG,
    PNG and WebP keep their format (PNG and WebP keep transparency); HEIF is stored as JPEG. Colour
    profiles are dropped, not converted: feeding untrusted ICC profiles to a colour engine is more
    attack surface than a slight colour shift on wide-gamut photos is worth. Of an animated image
    only the first frame is kept.
    """
    img, source_format = _decode(_read_capped(upload), draft_edge=MAX_EDGE)
    out_format = _STORED_FORMAT[source_format]
    img = _normalise_mode(img, out_format)
    img.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    return _encode(img, out_format)


def blur_region(
    photo_bytes: bytes, *, box: tuple[int, int, int, int], radius: int = 24
) -> CleanPhoto:
    """Staff blur a face or number plate before publication: returns a new clean image.

    ``box`` is ``(left, upper, right, lower)`` in pixels of the displayed photo and is clipped to
    the photo. The region is first pixelated, then blurred: a plain Gaussian blur can be partly
    reversed, pixelation throws the detail away. The result has the same size as the input; it
    goes through the same checks and re-encoding as an upload.
    """
    if len(photo_bytes) > MAX_BYTES:
        raise PhotoRejected(MSG_TOO_LARGE, code="photo_too_large", params={"limit": _mb()})
    img, source_format = _decode(photo_bytes)
    out_format = _STORED_FORMAT[source_format]
    img = _normalise_mode(img, out_format)
    left, upper, right, lower = box
    left, upper = max(0, left), max(0, upper)
    right, lower = min(img.width, right), min(img.height, lower)
    if right <= left or lower <= upper:
        raise PhotoRejected(MSG_BOX_OUTSIDE, code="photo_box_outside")

    region = img.crop((left, upper, right, lower))
    block = max(1, radius // 2)
    small = region.resize(
        (max(1, region.width // block), max(1, region.height // block)), Image.Resampling.BOX
    )
    region = small.resize(region.size, Image.Resampling.NEAREST)
    region = region.filter(ImageFilter.GaussianBlur(radius))
    img.paste(region, (left, upper))
    return _encode(img, out_format)


RENDITION_EDGE = 960  # longest side of the display copy on public pages


def make_rendition(photo_bytes: bytes, *, max_edge: int = RENDITION_EDGE) -> CleanPhoto:
    """A smaller display copy of a stored photo, encoded like every stored photo: no metadata."""
    img, source_format = _decode(photo_bytes)
    img.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    return _encode(img, _STORED_FORMAT[source_format])


def stored_name(extension: str) -> str:
    """A generated, unguessable file name (uuid4 hex + extension); never the original name."""
    if extension not in _EXTENSIONS.values():
        raise ValueError(f"Not a stored photo extension: {extension!r}")
    return uuid.uuid4().hex + extension


# --- internals ---------------------------------------------------------------------------------
def _open_formats() -> tuple[str, ...]:
    """What Pillow may try, in a fixed order; HEIF only where pillow-heif registered an opener."""
    Image.init()  # Pillow loads its plugins lazily; `Image.OPEN` is incomplete before this
    return tuple(f for f in ("JPEG", "PNG", "WEBP", "HEIF") if f in Image.OPEN)


def _mb() -> int:
    return MAX_BYTES // (1024 * 1024)


def _read_capped(upload) -> bytes:
    """Read the upload, refusing it by its declared size first and never reading past the cap."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > MAX_BYTES:
        raise PhotoRejected(MSG_TOO_LARGE, code="photo_too_large", params={"limit": _mb()})
    if hasattr(upload, "seek"):
        upload.seek(0)
    # `size` may be absent or wrong (a plain file object, a lying client): cap the read itself.
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoRejected(MSG_TOO_LARGE, code="photo_too_large", params={"limit": _mb()})
    return data


def _decode(data: bytes, *, draft_edge: int | None = None) -> tuple[Image.Image, str]:
    """Open by content, check the pixel count from the header, then decode and apply orientation.

    Returns the decoded image and its input format. With ``draft_edge``, a JPEG may be decoded at
    reduced scale, but never below twice that edge.
    """
    with warnings.catch_warnings():
        # Pillow warns above MAX_IMAGE_PIXELS and only raises above twice that; make the warning
        # an error for this call. If threads race here, the worst case is that the filter stays
        # in place, which is only stricter. Our own MAX_PIXELS check below is the real limit.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=_open_formats())
        except UnidentifiedImageError as exc:
            raise PhotoRejected(MSG_WRONG_TYPE, code="photo_wrong_type") from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except _DECODE_ERRORS as exc:
            raise PhotoRejected(MSG_BROKEN, code="photo_broken") from exc

        # `open` read only the header; nothing has been decoded yet.
        width, height = img.size
        if width <= 0 or height <= 0:
            raise PhotoRejected(MSG_BROKEN, code="photo_broken")
        if width * height > MAX_PIXELS:
            raise _too_many_pixels()

        source_format = img.format
        # A truncated file is broken, whatever another library (WeasyPrint sets it to True on
        # import) has made the process-wide default.
        truncated_allowed = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            if draft_edge and max(width, height) > draft_edge:
                # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding (a no-op for
                # other formats), keeping twice the target size as Pillow's `thumbnail` does.
                scale = draft_edge / max(width, height)
                img.draft(None, (int(width * scale * 2), int(height * scale * 2)))
            img.load()
            ImageOps.exif_transpose(img, in_place=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except _DECODE_ERRORS as exc:
            raise PhotoRejected(MSG_BROKEN, code="photo_broken") from exc
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = truncated_allowed
    return img, source_format


def _too_many_pixels() -> PhotoRejected:
    return PhotoRejected(
        MSG_TOO_MANY_PIXELS, code="photo_too_many_pixels", params={"limit": MAX_PIXELS // 10**6}
    )


def _normalise_mode(img: Image.Image, out_format: str) -> Image.Image:
    """Bring any decoded mode to L/RGB, or RGBA where the output keeps transparency."""
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit greyscale: scale to 8 bits rather than clip everything above 255 to white.
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    if has_alpha and out_format == "JPEG":
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if has_alpha:
        return img.convert("RGBA")
    if img.mode in ("L", "RGB"):
        return img
    return img.convert("L" if img.mode == "1" else "RGB")


def _encode(img: Image.Image, out_format: str) -> CleanPhoto:
    img = _normalise_mode(img, out_format)
    # Some savers fall back to `im.info` (JPEG comments, PNG ICC profiles): give them nothing.
    img.info.clear()
    out = io.BytesIO()
    if out_format == "JPEG":
        img.save(out, "JPEG", quality=85, optimize=True, exif=b"", xmp=b"", icc_profile=None)
    elif out_format == "PNG":
        img.save(out, "PNG", optimize=True, exif=b"", icc_profile=None)
    else:
        img.save(out, "WEBP", quality=85, exif=b"", xmp=b"", icc_profile=None)
    return CleanPhoto(
        content=out.getvalue(),
        format=out_format,
        width=img.width,
        height=img.height,
        extension=_EXTENSIONS[out_format],
        content_type=_CONTENT_TYPES[out_format],
    )
