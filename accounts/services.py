"""Writes of a staff member's own profile."""

from django.core.files.base import ContentFile
from django.db import transaction

from core.uploads import clean_image, thumbnail_of


@transaction.atomic
def profile_update(*, actor, phone: str, title: str, photo=None, remove_photo=False):
    """The staff member's phone, title and photo (re-encoded, so no location or other metadata
    from the camera reaches a child)."""
    actor.phone, actor.title = phone.strip(), title.strip()
    if photo is not None:
        clean: ContentFile = thumbnail_of(clean_image(photo), size=400)
        actor.photo.save(f"{actor.pk}.jpg", clean, save=False)
    elif remove_photo:
        actor.photo = ""
    actor._change_reason = "profile"
    actor.save()
    return actor
