"""The life book's original files in one zip: every photo, video, sound and document the reader
may see, named by date so the story reads in order. Used by the young adult's download (and by
the person's own file)."""

import os
import tempfile
import zipfile

from django.utils.text import get_valid_filename

from lifebook.models import Attachment, Photo
from lifebook.services import entries_visible_to

SPOOL_BYTES = 32 * 1024 * 1024  # larger books spill to a temporary file, not to memory
CHUNK = 1024 * 1024


def _name(entry, number: int, stored_name: str, given: str = "") -> str:
    base = get_valid_filename(os.path.basename(given or stored_name)) or "fil"
    return f"{entry.happened_on:%Y-%m-%d}-{entry.pk}-{number}-{base}"


def originals_zip(user, child):
    """A temporary file holding the zip, rewound, for streaming to the reader."""
    entries = entries_visible_to(user, child)
    files = [
        (photo.entry, photo.image.name, "", photo.image)
        for photo in Photo.objects.filter(entry__in=entries).select_related("entry").order_by("pk")
    ] + [
        (item.entry, item.file.name, item.name, item.file)
        for item in Attachment.objects.filter(entry__in=entries)
        .select_related("entry")
        .order_by("pk")
    ]
    files.sort(key=lambda row: (row[0].happened_on, row[0].pk))
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the response closes it)
    # Photos, video and sound are compressed already; storing them keeps the zip fast.
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for number, (entry, stored_name, given, field) in enumerate(files, start=1):
            with (
                field.open("rb") as source,
                archive.open(
                    _name(entry, number, stored_name, given), "w", force_zip64=True
                ) as target,
            ):
                while chunk := source.read(CHUNK):
                    target.write(chunk)
    spool.seek(0)
    return spool
