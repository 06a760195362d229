"""Images uploaded to Stemme are checked from their content, not their name, and re-encoded from
pixels only: no EXIF, GPS or other metadata survives (a foster home's address can be secret)."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def thumbnail_of(clean: ContentFile, size: int = 480) -> ContentFile:
    """A small JPEG for timelines, made from an already clean copy."""
    clean.seek(0)
    with Image.open(clean) as image:
        image = image.convert("RGB")
        image.thumbnail((size, size))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=82)
    clean.seek(0)
    return ContentFile(buffer.getvalue(), name="thumbnail.jpg")


def reencode_image(upload) -> ContentFile:
    """A clean copy of an uploaded image (PNG if it has transparency, else JPEG), or a clear
    ValidationError."""
    if upload.size > settings.STEMME_MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is too large (at most %(mb)d MB).")
            % {"mb": settings.STEMME_MAX_IMAGE_BYTES // 1_000_000}
        )
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > settings.STEMME_MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image = ImageOps.exif_transpose(image)
            has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
            clean = Image.new("RGBA" if has_alpha else "RGB", image.size)
            clean.paste(image.convert(clean.mode))
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not an image Stemme can read. Use a photo or a PNG or JPEG file.")
        ) from None
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(_("Use a photo or a PNG or JPEG file."))
    buffer = io.BytesIO()
    if has_alpha:
        clean.save(buffer, format="PNG", optimize=True)
        extension = "png"
    else:
        clean.save(buffer, format="JPEG", quality=88)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"image.{extension}")
