"""Every kind of file a foster carer or a child uploads is stored without its place, author or
device (read back with exiftool, an independent reader), media still plays with its length
(ffprobe), iPhone photos are taken, and bad files are refused with nothing stored."""

import functools
import io
import json
import subprocess
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import make_portal_child
from core import samples
from core.uploads import FFPROBE
from lifebook.models import Attachment, Entry, Photo

# What must never come back out of a stored file.
LEAKS = ("Anne", "Holm", "Solvej", "iPhone", "GPS", "55.64", "55 deg", "12.08", "HP i stuen")
DOCUMENTS = {
    "docx": samples.word_document,
    "odt": samples.open_document,
    "pdf": samples.pdf_document,
}


@functools.cache
def sample(extension: str) -> bytes:
    if extension in DOCUMENTS:
        return DOCUMENTS[extension]()
    return samples.media(extension)


class FormReader(HTMLParser):
    """The fields of a page's form with the values the page gives them."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit", "checkbox"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def _add_entry(client, url, **files):
    """Open the add page, fill its form as a person would, and send it with the files."""
    page = client.get(url)
    assert page.status_code == 200
    reader = FormReader()
    reader.feed(page.content.decode())
    data = {**reader.fields, "title": "Sommerferie", "text": "Vi var ved vandet"}
    for field, (name, content) in files.items():
        assert f'name="{field}"' in page.content.decode()
        data[field] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(url, data)


def _uploaders(child, caseworker, foster_carer, client_for):
    """The carer on the life book's page and the child in the portal."""
    _access, _code, portal = make_portal_child(child, caseworker)
    return {
        "carer": (client_for(foster_carer), reverse("lifebook:add", args=[child.pk])),
        "child": (portal, reverse("portal:lifebook_add")),
    }


def exiftool(data: bytes, suffix: str) -> str:
    """Everything exiftool reads in a file — and in every part of a zip-based document."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"stored.{suffix}"
        path.write_bytes(data)
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                archive.extractall(Path(folder) / "parts")
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            ["/usr/bin/exiftool", "-a", "-G1", "-ee", "-r", folder],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
    return result.stdout


def zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(archive.read(name).decode("latin-1") for name in archive.namelist())


def duration(data: bytes) -> float:
    with tempfile.NamedTemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                FFPROBE,
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "json",
                handle.name,
            ],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return float(json.loads(result.stdout)["format"]["duration"])


def assert_no_leak(text: str):
    found = [line for line in text.splitlines() if any(leak in line for leak in LEAKS)]
    assert not found, found


@pytest.mark.parametrize("who", ["carer", "child"])
@pytest.mark.parametrize("extension", [*DOCUMENTS, *samples.MEDIA])
def test_every_kind_of_file_is_stored_without_place_author_or_device(
    child, caseworker, foster_carer, client_for, who, extension
):
    original = sample(extension)
    # The sample really carries what must be removed (else this test could not fail).
    before = exiftool(original, "mov" if extension == "hevc" else extension)
    if extension in ("docx", "odt"):
        before += zip_text(original)
    assert "Anne Holm" in before or "Holm" in before
    client, url = _uploaders(child, caseworker, foster_carer, client_for)[who]
    response = _add_entry(client, url, attachment=(f"IMG_0042.{extension}", original))
    assert response.status_code == 302, response.content.decode()[-3000:]
    stored = Attachment.objects.get()
    # The caseworker downloads it.
    download = client_for(caseworker).get(
        reverse("lifebook:attachment", args=[child.pk, stored.pk])
    )
    data = b"".join(download.streaming_content)
    assert data and stored.size == len(data)
    assert_no_leak(exiftool(data, stored.name.rsplit(".", 1)[1]))
    if extension in ("docx", "odt"):
        assert_no_leak(zip_text(data))
        assert "Sommerferie hos os." in zip_text(data)  # the text itself is kept
    elif extension == "pdf":
        assert b"Anne" not in data
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 1 and "/Im0" in pdf.pages[0].Resources.XObject
    else:
        assert abs(duration(data) - duration(original)) < 0.1


@pytest.mark.parametrize("who", ["carer", "child"])
@pytest.mark.parametrize("image_format", ["JPEG", "HEIF", "PNG", "WEBP", "GIF"])
def test_photos_of_every_phone_are_taken_without_their_metadata(
    child, caseworker, foster_carer, client_for, who, image_format
):
    original = samples.photo(image_format)
    assert "GPS" in exiftool(original, image_format.lower()) or image_format == "GIF"
    client, url = _uploaders(child, caseworker, foster_carer, client_for)[who]
    response = _add_entry(client, url, photo=(f"IMG_0042.{image_format.lower()}", original))
    assert response.status_code == 302, response.content.decode()[-3000:]
    stored = Photo.objects.get()
    with stored.image.open("rb") as handle:
        data = handle.read()
    assert_no_leak(exiftool(data, "jpg"))
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"  # an iPhone's HEIC too
        # Turned the way the phone held it (EXIF orientation 6), then the EXIF dropped.
        if image_format not in ("GIF", "HEIF"):  # HEIC turns in its own box, not EXIF
            assert image.size == (48, 64)
        assert not image.getexif()


def test_a_refused_photo_names_the_formats_that_are_taken(child, foster_carer, client_for):
    client = client_for(foster_carer)
    url = reverse("lifebook:add", args=[child.pk])
    page = _add_entry(client, url, photo=("IMG_0042.HEIC", b"\x00\x00\x00\x18ftypheic" + bytes(40)))
    assert page.status_code == 200
    assert "JPEG, PNG, GIF, WebP eller HEIC (iPhone)" in page.content.decode()
    assert not Entry.all_objects.exists()


def _zip(parts: dict, prefix=b"", suffix=b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return prefix + buffer.getvalue() + suffix


def _word_with(name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(samples.word_document())) as archive:
        parts = {part: archive.read(part) for part in archive.namelist()}
    return _zip({**parts, name: content})


def _encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(samples.pdf_document())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="a", user="b"))
    return buffer.getvalue()


def _pdf_with_attached_file() -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(samples.pdf_document())) as pdf:
        pdf.attachments["adresse.txt"] = pikepdf.AttachedFileSpec(pdf, b"Solvej 12")
        pdf.save(buffer)
    return buffer.getvalue()


BAD_FILES = {
    "truncated video": (lambda: sample("mp4")[: len(sample("mp4")) // 2], "mp4", "beskadiget"),
    "truncated webm": (lambda: sample("webm")[:3000], "webm", "beskadiget"),
    "truncated mp3": (lambda: sample("mp3")[:200], "mp3", "beskadiget"),
    "truncated word": (lambda: samples.word_document()[:-300], "docx", "beskadiget"),
    "truncated pdf": (lambda: samples.pdf_document()[:-40], "pdf", "beskadiget"),
    "zip bomb in word": (
        lambda: _word_with("word/media/filler.bin", bytes(3_000_000)),
        "docx",
        "pakker sig ud",
    ),
    "bomb picture in word": (
        lambda: _word_with("word/media/image9.png", _huge_png()),
        "docx",
        "billede i dokumentet",
    ),
    "pdf with a zip behind it": (
        lambda: samples.pdf_document() + samples.word_document(),
        "pdf",
        "beskadiget",
    ),
    "zip with a pdf before it": (
        lambda: samples.pdf_document() + b"\n" + samples.word_document(),
        "docx",
        "beskadiget",
    ),
    "word with a page behind it": (
        lambda: samples.word_document() + b"<html><script>alert(1)</script></html>",
        "docx",
        "beskadiget",
    ),
    "word with an object from another program": (
        lambda: _word_with("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0" + bytes(500)),
        "docx",
        "andre programmer",
    ),
    "password pdf": (_encrypted_pdf, "pdf", "adgangskode"),
    "pdf with an attached file": (_pdf_with_attached_file, "pdf", "vedhæftede filer"),
    "a zip named as a video": (lambda: _zip({"a": b"b"}), "mp4", "kan ikke bruge"),
}


def _huge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("who", ["carer", "child"])
@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    child, caseworker, foster_carer, client_for, settings, who, bad
):
    settings.STEMME_MAX_UNZIPPED_BYTES = 2_000_000
    settings.STEMME_MAX_IMAGE_PIXELS = 40_000_000
    make, extension, message = BAD_FILES[bad]
    media_root = Path(settings.MEDIA_ROOT)
    before = {path for path in media_root.rglob("*") if path.is_file()}
    client, url = _uploaders(child, caseworker, foster_carer, client_for)[who]
    response = _add_entry(client, url, attachment=(f"fil.{extension}", make()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entry.all_objects.exists() and not Attachment.all_objects.exists()
    assert {path for path in media_root.rglob("*") if path.is_file()} == before


def test_a_chart_workbook_inside_word_is_cleaned_like_the_document(child, foster_carer, client_for):
    workbook = _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "docProps/core.xml": f"<cp:coreProperties><dc:creator>{samples.AUTHOR}</dc:creator>"
            "</cp:coreProperties>",
            "xl/printerSettings/printerSettings1.bin": "HP i stuen".encode("utf-16-le")
            + bytes(200),
            "xl/media/image1.jpeg": samples.photo("JPEG"),
        }
    )
    document = _word_with("word/embeddings/Microsoft_Excel_Worksheet.xlsx", workbook)
    url = reverse("lifebook:add", args=[child.pk])
    response = _add_entry(client_for(foster_carer), url, attachment=("graf.docx", document))
    assert response.status_code == 302
    with zipfile.ZipFile(Attachment.objects.get().file.open("rb")) as archive:
        inner = archive.read("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
    assert_no_leak(zip_text(inner))
    assert "HP i stuen".encode("utf-16-le") not in zipfile.ZipFile(io.BytesIO(inner)).read(
        "xl/printerSettings/printerSettings1.bin"
    )
    assert_no_leak(exiftool(inner, "xlsx"))


def _stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_a_staff_photo_from_an_iphone_is_taken_without_its_metadata(caseworker, client_for):
    client = client_for(caseworker)
    page = client.get(reverse("accounts:profile"))
    reader = FormReader()
    reader.feed(page.content.decode())
    data = {**reader.fields, "title": "Rådgiver"}
    data["photo"] = SimpleUploadedFile("IMG_0042.HEIC", samples.photo("HEIF"))
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    caseworker.refresh_from_db()
    stored = _stored(caseworker.photo)
    assert_no_leak(exiftool(stored, "jpg"))
    assert Image.open(io.BytesIO(stored)).format == "JPEG"


def test_a_drawing_photographed_on_an_iphone_is_taken_without_its_metadata(
    child, caseworker, client_for
):
    from conversations.models import ToolRecord
    from conversations.tests import _plan

    conversation = _plan(child, caseworker)
    response = client_for(caseworker).post(
        reverse("conversations:add_tool", args=[child.pk, conversation.pk, "drawing"]),
        {"drawing-drawing": SimpleUploadedFile("IMG_0042.HEIC", samples.photo("HEIF"))},
    )
    assert response.status_code == 302
    assert_no_leak(exiftool(_stored(ToolRecord.objects.get().drawing), "jpg"))


@pytest.mark.parametrize("extension", ["webm", "mov", "mkv"])
def test_a_practice_video_is_stored_without_place_author_or_device(
    caseworker, municipality, client_for, extension
):
    from accounts.models import Role
    from conftest import make_user
    from reflection.models import PracticeVideo

    consultant = make_user("konsulent", Role.CONSULTANT, municipality)
    original = sample(extension)
    response = client_for(caseworker).post(
        "/reflection/videos/new/",
        {
            "title": "Rollespil",
            "kind": "role_play",
            "consultant": consultant.pk,
            "upload": SimpleUploadedFile(f"rollespil.{extension}", original),
        },
    )
    assert response.status_code == 302
    stored = _stored(PracticeVideo.objects.get().file)
    assert_no_leak(exiftool(stored, extension))
    assert abs(duration(stored) - duration(original)) < 0.1
