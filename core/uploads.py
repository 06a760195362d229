"""Every file anyone uploads to Stemme passes through here, whatever the page: the life book
(staff, carers, the child), drawings from conversations, staff photos, practice videos and the
files of a case moved from another municipality. A file's type is read from its content (never
its name), its size is capped before it is read, and it is stored only as a clean copy without
location, author, device or editing metadata — a foster home's address can be secret (protected
placement), so a place or a name that leaves in a file is a real harm.

- Images (JPEG, PNG, GIF, WebP, and HEIC/HEIF from iPhones) are re-encoded from their pixels.
- Word and OpenDocument files are rewritten part by part: document properties emptied, names on
  comments and tracked changes blanked, the template's path and printer names removed, and every
  embedded picture re-encoded.
- PDFs are rewritten by pikepdf (qpdf): document information, XMP and per-object metadata removed,
  the camera segments of embedded JPEGs cut out; a PDF that cannot be cleaned is refused.
- Video and sound are remuxed by ffmpeg without re-encoding: only the audio and video streams are
  kept, no global, stream or chapter metadata, so the length and quality stay as they were.

Everything streams through temporary files, so memory does not grow with a file's size."""

import io
import json
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass

import filetype
import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

register_heif_opener()

CHUNK = 1 << 20
# Debian's ffmpeg (the Makefile installs it), by its full path: no PATH decides what runs.
FFMPEG = "/usr/bin/ffmpeg"
FFPROBE = "/usr/bin/ffprobe"

# --- Images -------------------------------------------------------------------------------------

# Pillow's format names of the images Stemme takes; no other decoder ever sees an upload.
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "HEIF")
# What the upload fields offer in the file picker (an iPhone's photos are HEIC).
IMAGE_ACCEPT = "image/*,.heic,.heif"


def _image_refusal() -> ValidationError:
    return ValidationError(
        _(
            "The file is not an image Stemme can read. Use a photo or picture in JPEG, PNG, GIF, "
            "WebP or HEIC (iPhone)."
        )
    )


def _clean_pixels(source, formats=IMAGE_FORMATS):
    """The image's pixels only, turned the way the camera held it; (image, has_alpha)."""
    try:
        with Image.open(source, formats=formats) as probe:
            probe.verify()
        source.seek(0)
        with Image.open(source, formats=formats) as image:
            if image.width * image.height > settings.STEMME_MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image = ImageOps.exif_transpose(image)
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            clean = Image.new("RGBA" if has_alpha else "RGB", image.size)
            clean.paste(image.convert(clean.mode))
    except ValidationError:
        raise
    except Exception:  # a broken image raises many kinds; none may become a server error
        raise _image_refusal() from None
    return clean, has_alpha


def clean_image(upload) -> ContentFile:
    """A clean copy of an uploaded image — PNG if it has transparency, else JPEG (an iPhone's
    HEIC becomes a JPEG) — or a clear ValidationError."""
    if upload.size > settings.STEMME_MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is too large (at most %(mb)d MB).")
            % {"mb": settings.STEMME_MAX_IMAGE_BYTES // 1_000_000}
        )
    upload.seek(0)
    clean, has_alpha = _clean_pixels(upload)
    buffer = io.BytesIO()
    if has_alpha:
        clean.save(buffer, format="PNG", optimize=True)
        extension = "png"
    else:
        clean.save(buffer, format="JPEG", quality=88)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"image.{extension}")


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


# --- Video, sound and documents -----------------------------------------------------------------


class MediaKind(models.TextChoices):
    VIDEO = "video", gettext_lazy("Video")
    AUDIO = "audio", gettext_lazy("Sound")
    DOCUMENT = "document", gettext_lazy("Document")


@dataclass(frozen=True)
class Format:
    kind: str
    extension: str
    # ffmpeg's demuxer (forced, so a file can never make ffmpeg read a playlist or another file)
    # and muxer for video and sound; empty for documents.
    demuxer: str = ""
    muxer: str = ""


# Accepted types, by the MIME type `filetype` reads from the content.
ACCEPTED = {
    "video/mp4": Format(MediaKind.VIDEO, "mp4", "mov", "mp4"),
    "video/x-m4v": Format(MediaKind.VIDEO, "mp4", "mov", "mp4"),
    "video/quicktime": Format(MediaKind.VIDEO, "mov", "mov", "mov"),
    "video/webm": Format(MediaKind.VIDEO, "webm", "matroska", "webm"),
    "video/x-matroska": Format(MediaKind.VIDEO, "mkv", "matroska", "matroska"),
    "audio/mpeg": Format(MediaKind.AUDIO, "mp3", "mp3", "mp3"),
    "audio/mp4": Format(MediaKind.AUDIO, "m4a", "mov", "ipod"),
    "audio/aac": Format(MediaKind.AUDIO, "aac", "aac", "adts"),
    "audio/ogg": Format(MediaKind.AUDIO, "ogg", "ogg", "ogg"),
    "audio/x-wav": Format(MediaKind.AUDIO, "wav", "wav", "wav"),
    "application/pdf": Format(MediaKind.DOCUMENT, "pdf"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Format(
        MediaKind.DOCUMENT, "docx"
    ),
    "application/vnd.oasis.opendocument.text": Format(MediaKind.DOCUMENT, "odt"),
    "application/vnd.oasis.opendocument.spreadsheet": Format(MediaKind.DOCUMENT, "ods"),
    "application/vnd.oasis.opendocument.presentation": Format(MediaKind.DOCUMENT, "odp"),
}
# What each kind accepts, as the refusals name it.
ACCEPTED_NAMES = {
    MediaKind.VIDEO: gettext_lazy("a video (MP4, MOV, WebM, MKV)"),
    MediaKind.AUDIO: gettext_lazy("sound (MP3, M4A, AAC, OGG/Opus, WAV)"),
    MediaKind.DOCUMENT: gettext_lazy("a document (PDF, Word .docx, OpenDocument .odt/.ods/.odp)"),
}


# What the upload fields offer in the file picker, per kind.
ACCEPT = {
    MediaKind.VIDEO: "video/*,.mp4,.mov,.webm,.mkv",
    MediaKind.AUDIO: "audio/*,.mp3,.m4a,.aac,.ogg,.opus,.wav",
    MediaKind.DOCUMENT: "application/pdf,.pdf,.docx,.odt,.ods,.odp",
}


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


def accepted_formats(kinds) -> str:
    """'a video (MP4, …) or a document (PDF, …)': what a refusal tells the person to use."""
    names = [str(ACCEPTED_NAMES[kind]) for kind in kinds]
    if len(names) == 1:
        return names[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def clean_file(upload, *, kinds=tuple(MediaKind.values)) -> CleanMedia:
    """A clean copy of an uploaded video, sound or document of one of `kinds`, in a temporary
    file the caller saves to storage and then closes; or a clear ValidationError."""
    largest = max(max_bytes(kind) for kind in kinds)
    if upload.size > largest:
        raise ValidationError(_("The file is too large (at most %(mb)d MB).") % _mb(largest))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    found = ACCEPTED.get(guess.mime) if guess else None
    if found is None or found.kind not in kinds:
        raise ValidationError(
            _("Stemme cannot use this kind of file. Use %(formats)s.")
            % {"formats": accepted_formats(kinds)}
        )
    if upload.size > max_bytes(found.kind):
        raise ValidationError(
            _("The file is too large (at most %(mb)d MB).") % _mb(max_bytes(found.kind))
        )
    original = tempfile.NamedTemporaryFile(suffix=f".{found.extension}")  # noqa: SIM115
    clean = tempfile.NamedTemporaryFile(suffix=f".{found.extension}")  # noqa: SIM115
    try:
        with original:
            for chunk in upload.chunks():
                original.write(chunk)
            original.flush()
            if found.demuxer:
                _remux(original.name, clean.name, found)
            elif found.extension == "pdf":
                _clean_pdf(original.name, clean)
            else:
                _clean_office(original, clean, found.extension)
    except Exception:
        clean.close()
        raise
    clean.seek(0, io.SEEK_END)
    size = clean.tell()
    clean.seek(0)
    return CleanMedia(
        found.kind, found.extension, guess.mime, size, File(clean, f"media.{found.extension}")
    )


def _mb(limit: int) -> dict:
    return {"mb": limit // 1_000_000}


def _broken():
    return ValidationError(_("The file is damaged or is not what its name says."))


# --- Video and sound: remuxed by ffmpeg ----------------------------------------------------------


def _remux(source: str, target: str, found: Format) -> None:
    """Copy the audio and video streams into a new container of the same kind, with no metadata:
    global tags (Apple's location keys, ©xyz, ID3, Vorbis comments, RIFF INFO), stream tags
    (handler and device names), chapters, cover art, subtitles, timed-metadata tracks and
    attachments all stay behind. Nothing is re-encoded, so the length and quality are kept."""
    before = media_duration(source, found.demuxer)
    try:
        subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            remux_command(source, target, found),
            capture_output=True,
            check=True,
            timeout=settings.STEMME_MEDIA_TIMEOUT_SECONDS,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        raise _broken() from None
    after = media_duration(target, found.muxer)
    # A file cut short reads as shorter than its header says; the copy must keep the length.
    if before is None or after is None or abs(before - after) > max(0.5, before * 0.02):
        raise _broken()


def remux_command(source: str, target: str, found: Format) -> list[str]:
    """ffmpeg's arguments: the input's format forced and only local files read (a file can
    never make ffmpeg open a playlist or another file), every stream copied, no metadata."""
    command = [
        FFMPEG,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-protocol_whitelist",
        "file",
        "-f",
        found.demuxer,
        "-i",
        f"file:{source}",
        "-map",
        "0:V?",  # video, but not cover art
        "-map",
        "0:a?",
        "-c",
        "copy",
        "-map_metadata",
        "-1",
        "-map_metadata:s",
        "-1",
        "-map_chapters",
        "-1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-flags:a",
        "+bitexact",
    ]
    if found.muxer in ("mp4", "mov", "ipod"):
        command += ["-movflags", "+faststart"]
    if found.muxer == "mp3":
        command += ["-id3v2_version", "0", "-write_id3v1", "0"]
    return [*command, "-f", found.muxer, "-y", f"file:{target}"]


def media_duration(path: str, demuxer: str) -> float | None:
    """The length in seconds ffprobe reads from the streams of a video or sound file (None if
    it cannot be read)."""
    demuxer = {"webm": "matroska", "mp4": "mov", "ipod": "mov", "adts": "aac"}.get(demuxer, demuxer)
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [
                FFPROBE,
                "-v",
                "error",
                "-protocol_whitelist",
                "file",
                "-f",
                demuxer,
                "-show_entries",
                "format=duration:stream=codec_type",
                "-of",
                "json",
                f"file:{path}",
            ],
            capture_output=True,
            check=True,
            timeout=settings.STEMME_MEDIA_TIMEOUT_SECONDS,
        )
        probe = json.loads(result.stdout)
        if not any(s.get("codec_type") in ("audio", "video") for s in probe.get("streams", [])):
            return None
        return float(probe["format"]["duration"])
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, KeyError, ValueError):
        return None


# --- PDF: rewritten by pikepdf --------------------------------------------------------------------

# Markup annotations (comments, highlights, stamps …) carry their author in /T.
PDF_MARKUP = {
    "/Text",
    "/FreeText",
    "/Line",
    "/Square",
    "/Circle",
    "/Polygon",
    "/PolyLine",
    "/Highlight",
    "/Underline",
    "/Squiggly",
    "/StrikeOut",
    "/Stamp",
    "/Caret",
    "/Ink",
    "/Popup",
    "/Sound",
    "/Redact",
}
# Application data that names people, programs and machines.
PDF_PRIVATE_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")


def _clean_pdf(source: str, target) -> None:
    """Remove the document information (author, creator program, dates), the XMP metadata of
    the document and of every object, authors of comments, and the EXIF/XMP segments of embedded
    JPEG photos. A PDF with a password, attached files or damage is refused."""
    with open(source, "rb") as handle:
        handle.seek(0, io.SEEK_END)
        handle.seek(max(0, handle.tell() - 1024))
        tail = handle.read()
    # A PDF ends with its end-of-file marker: a truncated upload does not, nor does a PDF with
    # another file (a zip, a page of HTML) hung on after it.
    if not tail.rstrip(b"\r\n\t \x00").endswith(b"%%EOF"):
        raise _broken()
    try:
        with pikepdf.open(source) as pdf:
            names = pdf.Root.get("/Names")
            if names is not None and "/EmbeddedFiles" in names:
                raise ValidationError(
                    _("PDFs with attached files are not accepted. Save it without them.")
                )
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
            for obj in [*pdf.objects, *annotations]:
                if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    _clean_pdf_object(obj)
            pdf.save(target, deterministic_id=True)
    except ValidationError:
        raise
    except pikepdf.PasswordError:
        raise ValidationError(_("Password-protected documents are not accepted.")) from None
    except Exception:  # qpdf raises many kinds for a broken PDF; none may become a server error
        raise ValidationError(
            _("Stemme could not remove the hidden information from this PDF, so it is not stored.")
        ) from None


def _is_jpeg_image(stream) -> bool:
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        filters = filters[0] if len(filters) == 1 else None
    return stream.get("/Subtype") == "/Image" and filters == "/DCTDecode"


def _clean_pdf_object(obj) -> None:
    """One object of a PDF without its metadata; an annotation without its author."""
    for key in PDF_PRIVATE_KEYS:
        if key in obj:
            del obj[key]
    if obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj):
        if obj.get("/Subtype") == "/FileAttachment":
            raise ValidationError(
                _("PDFs with attached files are not accepted. Save it without them.")
            )
        if obj.get("/Subtype") in PDF_MARKUP:
            for key in ("/T", "/M", "/CreationDate", "/NM"):
                if key in obj:
                    del obj[key]
    if isinstance(obj, pikepdf.Stream) and _is_jpeg_image(obj):
        parms = obj.get("/DecodeParms")
        if isinstance(parms, pikepdf.Array):
            parms = parms[0] if len(parms) else None
        obj.write(
            _jpeg_without_metadata(obj.read_raw_bytes()),
            filter=pikepdf.Name.DCTDecode,
            decode_parms=parms if isinstance(parms, pikepdf.Dictionary) else None,
        )


# JPEG segments that may be kept: JFIF (APP0) and Adobe's colour transform (APP14), without
# which a CMYK photo shows in the wrong colours. EXIF, XMP, ICC, maker notes, IPTC and
# comments all go.
JPEG_KEEP = {0xE0, 0xEE}


def _jpeg_without_metadata(data: bytes) -> bytes:
    """The same JPEG, losslessly, without its APPn (except JFIF and Adobe) and COM segments."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out, position = [b"\xff\xd8"], 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ValueError("broken JPEG")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out.append(data[position:])
            return b"".join(out)
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in JPEG_KEEP:
            out.append(segment)
        position += 2 + length
    raise ValueError("JPEG without image data")


# --- Word and OpenDocument: rewritten part by part ----------------------------------------------

OFFICE_REQUIRED = {
    "docx": "word/document.xml",
    "odt": "content.xml",
    "ods": "content.xml",
    "odp": "content.xml",
}
OFFICE_FORBIDDEN = ("vbaProject.bin", "Basic/", "Scripts/")
MAX_ZIP_MEMBERS = 5000
# Every part of a document is rewritten with this date: the zip's own dates tell when it was
# edited.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# The parts that hold document properties, replaced whole by empty ones of the same kind so
# the document's relationships stay valid.
EMPTY_PARTS = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp='
        b'"http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc='
        b'"http://purl.org/dc/elements/1.1/"/>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
    "meta.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office='
        b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2">'
        b"<office:meta/></office:document-meta>"
    ),
}
# Names and dates in Word's XML: authors and initials of comments and tracked changes, the
# people list (with account ids), and the ids of editing sessions.
WORD_SCRUB = [
    (re.compile(rb'\b(w1[45]?|w):(author|initials)="[^"]*"'), rb'\1:\2=""'),
    (re.compile(rb'\s(w1[45]?|w):(date|dateUtc|userId|providerId)="[^"]*"'), b""),
    (re.compile(rb'\sw:rsid\w*="[^"]*"'), b""),
    (re.compile(rb"<w:rsids>.*?</w:rsids>", re.DOTALL), b""),
    (re.compile(rb"<w15:presenceInfo\b[^>]*/>"), b""),
]
# The attached template's path (often C:\Users\<name>\…) in Word's relationships.
RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
TARGET = re.compile(rb'\bTarget="[^"]*"')
# Names on OpenDocument comments and tracked changes, and the printer a document was set up for.
ODF_SCRUB = [
    (re.compile(rb"<dc:creator>[^<]*</dc:creator>"), b"<dc:creator></dc:creator>"),
    (re.compile(rb"<meta:creator-initials>[^<]*</meta:creator-initials>"), b""),
    (
        re.compile(
            rb"(<config:config-item config:name="
            rb'"(?:PrinterName|PrinterSetup|PrinterPaperFromSetup)"'
            rb"[^>]*>)[^<]*(</config:config-item>)"
        ),
        rb"\1\2",
    ),
]
IMAGE_EXTENSIONS = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
    "bmp": "BMP",
    "tif": "TIFF",
    "tiff": "TIFF",
}
# The largest XML part read whole (the text of a book is far smaller).
MAX_XML_PART_BYTES = 25_000_000


def _bomb():
    return ValidationError(_("The document unpacks to far more than it should, and is refused."))


def _clean_office(source, target, extension: str) -> None:
    """Rewrite a Word or OpenDocument file member by member into `target`, unpacking with a cap
    (zip bombs). A macro document, a password-protected one, a zip with something hung on before
    or after it, or a zip that is no document is refused."""
    try:
        _rewrite_zip(source, target, settings.STEMME_MAX_UNZIPPED_BYTES, OFFICE_REQUIRED[extension])
    except ValidationError:
        raise
    except RuntimeError:  # an encrypted member
        raise ValidationError(_("Password-protected documents are not accepted.")) from None
    except Exception:  # a broken zip raises many kinds; none may become a server error
        raise _broken() from None
    target.flush()


def _rewrite_zip(source, target, budget: int, required: str, depth: int = 0) -> int:
    """Write each member of the zip `source`, cleaned, to the zip `target`; returns what is left
    of the unpacking budget. Office files embedded in it (a chart's workbook) are cleaned the
    same way, one level deep."""
    source.seek(0, io.SEEK_END)
    length = source.tell()
    with zipfile.ZipFile(source) as archive:
        members = archive.infolist()
        names = [member.filename for member in members]
        if required not in names or len(set(names)) != len(names):
            raise _broken()
        if any(part in name for name in names for part in OFFICE_FORBIDDEN):
            raise ValidationError(_("Documents with macros are not accepted."))
        if len(members) > MAX_ZIP_MEMBERS:
            raise _bomb()
        # A polyglot: the zip must begin at the file's first byte and end at its last.
        if min(m.header_offset for m in members) != 0 or _zip_end(source, length) != length:
            raise _broken()
        if sum(member.file_size for member in members) > budget:
            raise _bomb()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for member in members:
                if member.flag_bits & 0x1:
                    raise RuntimeError("encrypted")
                budget = _copy_member(archive, member, out, budget, depth)
    return budget


def _zip_end(handle, length: int) -> int:
    """Where the zip's end-of-central-directory record (with its comment) ends."""
    handle.seek(max(0, length - 65557))
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise _broken()
    comment = int.from_bytes(tail[at + 20 : at + 22], "little")
    return length - len(tail) + at + 22 + comment


def _read_capped(archive, member, budget: int, limit: int, too_large) -> tuple[bytes, int]:
    parts = []
    with archive.open(member) as content:
        while chunk := content.read(CHUNK):
            budget -= len(chunk)
            limit -= len(chunk)
            if budget < 0:
                raise _bomb()
            if limit < 0:
                raise too_large
            parts.append(chunk)
    return b"".join(parts), budget


def _copy_member(archive, member, out, budget: int, depth: int) -> int:
    """Write one cleaned member; returns what is left of the unpacking budget."""
    name = member.filename
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    lower = name.lower()
    extension = lower.rsplit(".", 1)[-1]
    if member.is_dir():
        out.writestr(info, b"")
        return budget
    if name in EMPTY_PARTS or lower.endswith("/meta.xml"):
        _properties, budget = _read_capped(archive, member, budget, MAX_XML_PART_BYTES, _bomb())
        out.writestr(info, EMPTY_PARTS.get(name, EMPTY_PARTS["meta.xml"]))
        return budget
    if extension in ("xml", "rels"):
        data, budget = _read_capped(archive, member, budget, MAX_XML_PART_BYTES, _bomb())
        out.writestr(info, _scrub_xml(data))
        return budget
    if extension in IMAGE_EXTENSIONS:
        data, budget = _read_capped(
            archive, member, budget, settings.STEMME_MAX_IMAGE_BYTES, _embedded_unreadable()
        )
        out.writestr(info, _reencode_embedded(data, IMAGE_EXTENSIONS[extension]))
        return budget
    if "printersettings" in lower:
        # Windows' DEVMODE begins with the printer's name; the rest is paper and trays.
        data, budget = _read_capped(archive, member, budget, MAX_XML_PART_BYTES, _bomb())
        out.writestr(info, bytes(64) + data[64:])
        return budget
    if extension in ("docx", "xlsx", "pptx") and depth == 0:
        return _copy_embedded_package(archive, member, out, info, budget)
    if "/embeddings/" in lower or extension == "bin":
        raise ValidationError(
            _(
                "Documents with objects from other programs inside them are not accepted. "
                "Save it as PDF, or without them."
            )
        )
    with archive.open(member) as content, out.open(info, "w") as written:
        while chunk := content.read(CHUNK):
            budget -= len(chunk)
            if budget < 0:
                raise _bomb()
            written.write(chunk)
    return budget


def _copy_embedded_package(archive, member, out, info, budget: int) -> int:
    """An Office file inside the document (a chart's workbook): cleaned like the document."""
    with tempfile.TemporaryFile() as inner, tempfile.TemporaryFile() as cleaned:
        with archive.open(member) as content:
            while chunk := content.read(CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise _bomb()
                inner.write(chunk)
        budget = _rewrite_zip(inner, cleaned, budget, "[Content_Types].xml", depth=1)
        cleaned.seek(0)
        with out.open(info, "w") as written:
            while chunk := cleaned.read(CHUNK):
                written.write(chunk)
    return budget


def _scrub_xml(data: bytes) -> bytes:
    for pattern, replacement in (*WORD_SCRUB, *ODF_SCRUB):
        data = pattern.sub(replacement, data)
    return RELATIONSHIP.sub(_blank_template, data)


def _blank_template(match) -> bytes:
    element = match.group(0)
    if b"/attachedTemplate" in element:
        element = TARGET.sub(b'Target=""', element)
    return element


def _embedded_unreadable():
    return ValidationError(
        _("A picture inside the document cannot be read, so the document is refused.")
    )


def _reencode_embedded(data: bytes, image_format: str) -> bytes:
    """A picture inside a document, re-encoded in its own format (the document's content types
    name it by its extension) from its pixels only."""
    try:
        clean, has_alpha = _clean_pixels(io.BytesIO(data), (*IMAGE_FORMATS, "BMP", "TIFF"))
    except ValidationError:
        raise _embedded_unreadable() from None
    if image_format == "JPEG" and has_alpha:
        clean = clean.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 88} if image_format in ("JPEG", "WEBP") else {}
    clean.save(buffer, format=image_format, **options)
    return buffer.getvalue()
