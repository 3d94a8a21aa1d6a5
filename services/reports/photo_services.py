"""Writes on report photos (staff moderation)."""

from django.db import transaction


@transaction.atomic
def report_photo_blur(*, photo, box: tuple[int, int, int, int]):
    """Pixelate and blur a region (a face, a number plate) of a report photo. The old file is
    deleted once the new one is committed, so the unblurred photo does not linger."""
    from .images import blur_region

    with photo.image.open("rb") as original:
        cleaned = blur_region(original.read(), box=box)
    old_name = photo.image.name
    photo.image.save(cleaned.as_content_file().name, cleaned.as_content_file(), save=False)
    photo.width, photo.height = cleaned.width, cleaned.height
    photo.save(update_fields=["image", "width", "height"])
    storage = photo.image.storage
    transaction.on_commit(lambda: storage.delete(old_name))
    return photo
