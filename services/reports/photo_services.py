"""Writes on report photos (staff moderation)."""

from django.db import transaction


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
