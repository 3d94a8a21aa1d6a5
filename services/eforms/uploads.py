"""Proof documents uploaded with an application: a PDF or a photo, checked by content.

A PDF must start with the PDF signature and end with an end-of-file marker; photos go through the
Mängelmelder's photo pipeline (type by content, pixel limits, re-encoded without metadata). The
name the browser sent is kept only as a label; the stored name is generated.
"""

import uuid

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from portal.core.images import PhotoRejected, clean_photo

from .constants import MAX_UPLOAD_BYTES

MSG_TOO_LARGE = _("Die Datei ist größer als 10 MB.")
MSG_WRONG_TYPE = _("Die Datei ist kein PDF-Dokument und kein Foto (JPEG, PNG, WebP).")


class ProofFileField(forms.FileField):
    """A file field whose cleaned value is a checked `ContentFile` with a generated name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("PDF, JPEG, PNG oder WebP, höchstens 10 MB."))
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": ".pdf,image/jpeg,image/png,image/webp"}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        return checked_upload(upload)


def checked_upload(upload) -> ContentFile:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(MSG_TOO_LARGE, code="too_large")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    label = (upload.name or "")[-100:]
    if head == b"%PDF-":
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(MSG_TOO_LARGE, code="too_large")
        if b"%%EOF" not in content[-2048:]:
            raise forms.ValidationError(MSG_WRONG_TYPE, code="wrong_type")
        clean = ContentFile(content, name=uuid.uuid4().hex + ".pdf")
        clean.content_type = "application/pdf"
    else:
        try:
            photo = clean_photo(upload)
        except PhotoRejected as exc:
            if exc.code == "photo_too_large":
                raise forms.ValidationError(MSG_TOO_LARGE, code="too_large") from exc
            if exc.code == "photo_wrong_type":
                raise forms.ValidationError(MSG_WRONG_TYPE, code="wrong_type") from exc
            raise forms.ValidationError(exc.messages[0], code="bad_image") from exc
        clean = photo.as_content_file()
        clean.content_type = photo.content_type
    clean.original_name = label
    return clean
