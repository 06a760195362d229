"""Videos, sound and documents uploaded to Stemme: the type is read from the file's content (not
its name or the browser's claim), sizes are capped per kind, office documents are unpacked with a
cap (zip bombs), and the metadata boxes of MP4/QuickTime files, where phones put the place a
video was filmed, are blanked before the file is stored."""

import struct
import tempfile
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class MediaKind(models.TextChoices):
    VIDEO = "video", gettext_lazy("Video")
    AUDIO = "audio", gettext_lazy("Sound")
    DOCUMENT = "document", gettext_lazy("Document")


# Accepted types, by the MIME type `filetype` reads from the content.
ACCEPTED = {
    "video/mp4": (MediaKind.VIDEO, "mp4"),
    "video/x-m4v": (MediaKind.VIDEO, "mp4"),
    "video/quicktime": (MediaKind.VIDEO, "mov"),
    "video/webm": (MediaKind.VIDEO, "webm"),
    "audio/mpeg": (MediaKind.AUDIO, "mp3"),
    "audio/mp4": (MediaKind.AUDIO, "m4a"),
    "audio/aac": (MediaKind.AUDIO, "aac"),
    "audio/ogg": (MediaKind.AUDIO, "ogg"),
    "audio/x-wav": (MediaKind.AUDIO, "wav"),
    "application/pdf": (MediaKind.DOCUMENT, "pdf"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        MediaKind.DOCUMENT,
        "docx",
    ),
    "application/vnd.oasis.opendocument.text": (MediaKind.DOCUMENT, "odt"),
}
ISO_MEDIA = {"mp4", "mov", "m4a"}
# The parts a Word or OpenDocument text must have; macros are never accepted.
OFFICE_REQUIRED = {"docx": "word/document.xml", "odt": "content.xml"}
OFFICE_FORBIDDEN = ("vbaProject.bin", "Basic/", "Scripts/")
MAX_ZIP_MEMBERS = 5000


def max_bytes(kind: str) -> int:
    return {
        MediaKind.VIDEO: settings.STEMME_MAX_VIDEO_BYTES,
        MediaKind.AUDIO: settings.STEMME_MAX_AUDIO_BYTES,
        MediaKind.DOCUMENT: settings.STEMME_MAX_DOCUMENT_BYTES,
    }[kind]


@dataclass
class CleanMedia:
    kind: str
    extension: str
    content_type: str
    size: int
    file: File

    def close(self) -> None:
        self.file.close()


def clean_media(upload) -> CleanMedia:
    """A checked (and for MP4/QuickTime, cleaned) copy of an uploaded video, sound or document,
    in a temporary file the caller saves to storage; or a clear ValidationError."""
    largest = max(max_bytes(kind) for kind in MediaKind.values)
    if upload.size > largest:
        raise ValidationError(_("The file is too large (at most %(mb)d MB).") % _mb(largest))
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is None or guess.mime not in ACCEPTED:
        raise ValidationError(
            _(
                "Stemme cannot use this kind of file. Use a video (MP4, MOV, WebM), sound (MP3, "
                "M4A, OGG, WAV) or a document (PDF, Word, OpenDocument)."
            )
        )
    kind, extension = ACCEPTED[guess.mime]
    if upload.size > max_bytes(kind):
        raise ValidationError(
            _("The file is too large (at most %(mb)d MB).") % _mb(max_bytes(kind))
        )
    copy = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        for chunk in upload.chunks():
            copy.write(chunk)
        if extension in ISO_MEDIA:
            _blank_iso_metadata(copy, 0, copy.tell(), depth=0)
        elif extension in OFFICE_REQUIRED:
            _check_office_document(copy, extension)
        elif extension == "pdf":
            _check_pdf(copy)
    except Exception:
        copy.close()
        raise
    copy.seek(0)
    return CleanMedia(kind, extension, guess.mime, upload.size, File(copy, f"media.{extension}"))


def _mb(limit: int) -> dict:
    return {"mb": limit // 1_000_000}


def _broken():
    return ValidationError(_("The file is damaged or is not what its name says."))


# ISO base media (MP4, MOV, M4A): boxes of size + type. Metadata lives in `udta`, `meta` and
# XMP `uuid` boxes. They are renamed `free` and zeroed in place, so no offset in the file moves
# and every player skips them.
ISO_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex"}
ISO_METADATA = {b"udta", b"meta", b"uuid", b"XMP_"}


def _blank_iso_metadata(handle, start: int, end: int, depth: int) -> None:
    if depth > 8:
        raise _broken()
    position = start
    while position + 8 <= end:
        handle.seek(position)
        size, box = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise _broken()
        if box in ISO_METADATA:
            handle.seek(position + 4)
            handle.write(b"free")
            handle.seek(position + header)
            remaining = size - header
            while remaining:
                step = min(remaining, 1 << 20)
                handle.write(bytes(step))
                remaining -= step
        elif box in ISO_CONTAINERS:
            _blank_iso_metadata(handle, position + header, position + size, depth + 1)
        position += size


def _check_office_document(handle, extension: str) -> None:
    """Unpack with a cap: a zip bomb, a macro document or a zip that is no document is refused."""
    bomb = ValidationError(_("The document unpacks to far more than it should, and is refused."))
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if OFFICE_REQUIRED[extension] not in names:
                raise _broken()
            if any(part in name for name in names for part in OFFICE_FORBIDDEN):
                raise ValidationError(_("Documents with macros are not accepted."))
            if len(members) > MAX_ZIP_MEMBERS:
                raise bomb
            budget = settings.STEMME_MAX_UNZIPPED_BYTES
            for member in members:
                with archive.open(member) as content:
                    while chunk := content.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0:
                            raise bomb
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError):
        raise _broken() from None
    except RuntimeError:  # an encrypted member
        raise ValidationError(_("Password-protected documents are not accepted.")) from None


def _check_pdf(handle) -> None:
    """A PDF starts with its header and ends with an end-of-file marker (a truncated upload
    does not)."""
    handle.seek(max(0, handle.tell() - 2048))
    if b"%%EOF" not in handle.read():
        raise _broken()
