"""Writes on report photos: the drafts kept between the form's steps, and staff moderation."""

import datetime

from django.db import transaction
from django.utils import timezone

from portal.core.images import CleanPhoto

from .models import ReportPhotoDraft

# how long a photo waits for the form to be sent
DRAFT_LIFETIME = datetime.timedelta(hours=2)


@transaction.atomic
def report_photo_drafts_save(*, token: str, slots: set[int], new: dict[int, CleanPhoto]) -> None:
    """Keep the photos of `slots` for the form `token`: the `new` ones (slot → photo) are
    stored, the others stay as they are, drafts of other slots go. All are kept for
    `DRAFT_LIFETIME` from now. Expired drafts of anyone go on the way (and by the beat job)."""
    now = timezone.now()
    expires_at = now + DRAFT_LIFETIME
    ReportPhotoDraft.objects.filter(expires_at__lte=now).delete()
    drafts = ReportPhotoDraft.objects.filter(token=token)
    drafts.exclude(slot__in=slots).delete()
    drafts.filter(slot__in=slots).update(expires_at=expires_at)
    for slot, photo in new.items():
        ReportPhotoDraft.objects.update_or_create(
            token=token,
            slot=slot,
            defaults={
                "content": photo.content,
                "format": photo.format,
                "width": photo.width,
                "height": photo.height,
                "extension": photo.extension,
                "content_type": photo.content_type,
                "expires_at": expires_at,
            },
        )


def report_photo_drafts_delete(*, token: str) -> None:
    ReportPhotoDraft.objects.filter(token=token).delete()


def report_photo_drafts_purge() -> int:
    """Delete expired drafts (a beat job): photos of reports never sent do not linger."""
    deleted, _ = ReportPhotoDraft.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@transaction.atomic
def report_photo_blur(*, photo, box: tuple[int, int, int, int]):
    """Pixelate and blur a region (a face, a number plate) of a report photo. The old file is
    deleted once the new one is committed, so the unblurred photo does not linger."""
    from portal.core.images import blur_region

    with photo.image.open("rb") as original:
        cleaned = blur_region(original.read(), box=box)
    old_names = [photo.image.name, photo.rendition.name]
    photo.image.save(cleaned.as_content_file().name, cleaned.as_content_file(), save=False)
    photo.width, photo.height = cleaned.width, cleaned.height
    photo.set_rendition(cleaned.content)
    photo.save(
        update_fields=[
            "image",
            "width",
            "height",
            "rendition",
            "rendition_width",
            "rendition_height",
        ]
    )
    storage = photo.image.storage

    def delete_unblurred():
        for name in old_names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_unblurred)
    return photo
