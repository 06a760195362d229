"""The person's own file: made in the background, reviewed with another person's confidential
information withheld (in the PDF and the JSON alike), released, and downloaded in the portal."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import make_lifebook_entry, make_portal_child, make_portal_story
from records.models import FileStatus, PersonFile
from records.person_file import render


def _made(person_file):
    render(person_file)  # what the task worker does
    person_file.refresh_from_db()
    return person_file


def _pdf_text(person_file) -> str:
    with person_file.pdf.open("rb") as handle:
        return " ".join(page.extract_text() for page in PdfReader(handle).pages)


def test_staff_make_review_withhold_and_release_the_file(child, caseworker, client_for):
    story = make_portal_story(child, caseworker)
    entry = make_lifebook_entry(child, caseworker)
    client = client_for(caseworker)
    response = client.post(reverse("records:files", args=[child.pk]))
    person_file = PersonFile.objects.get()
    assert response.status_code == 302 and person_file.status == FileStatus.QUEUED
    person_file = _made(person_file)
    assert person_file.status == FileStatus.REVIEW and person_file.pages >= 3
    text = _pdf_text(person_file)
    assert "Indhold" in text and "Jeg er bange for far." in text
    with person_file.package.open("rb") as handle:
        package = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = package.namelist()
    assert {"fil.pdf", "fil.json", "SCHEMA.md"} <= set(names)
    from lifebook.models import Photo

    photo = Photo.objects.get(pk=entry["photo_id"])
    [stored] = [n for n in names if n.startswith("originaler/lifebook.Photo/") and "/image/" in n]
    with photo.image.open("rb") as original:
        assert package.read(stored) == original.read()  # byte for byte
    data = json.loads(package.read("fil.json"))
    assert data["schema"] == "stemme-person-file/1" and data["person"]["cpr"] == child.cpr
    assert "pin_hash" not in json.dumps(data) and data["looked"]
    # Review: withhold the statement about the father; the file is made again with a note.
    page = client.get(reverse("records:file", args=[child.pk, person_file.pk])).content.decode()
    assert "Jeg er bange for far." in page
    refused = client.post(
        reverse("records:file", args=[child.pk, person_file.pk]),
        {"model": "conversations.Statement", "record_pk": story["secret"].pk, "reason": ""},
    )
    assert refused.status_code == 400
    client.post(
        reverse("records:file", args=[child.pk, person_file.pk]),
        {
            "model": "conversations.Statement",
            "record_pk": story["secret"].pk,
            "reason": "Oplysning om en anden person (faderen)",
        },
    )
    person_file.refresh_from_db()
    assert person_file.status == FileStatus.QUEUED
    person_file = _made(person_file)
    assert person_file.withheld == 1
    text = _pdf_text(person_file)
    assert "Jeg er bange for far." not in text and "faderen" in text
    with person_file.package.open("rb") as handle:
        data = json.loads(zipfile.ZipFile(io.BytesIO(handle.read())).read("fil.json"))
    [held] = [r for r in data["records"] if r.get("withheld")]
    assert held["type"] == "conversations.Statement" and "faderen" in held["reason"]
    assert "Jeg er bange for far." not in json.dumps(data, ensure_ascii=False)
    client.post(reverse("records:file", args=[child.pk, person_file.pk]), {"action": "release"})
    person_file.refresh_from_db()
    assert person_file.status == FileStatus.RELEASED and person_file.released_by == caseworker
    from audit.models import AccessEvent

    logged = AccessEvent.objects.filter(child=child, record=f"person_file:{person_file.pk}")
    assert logged.filter(action="export").count() == 2  # asked for, released


def test_the_person_asks_in_the_portal_and_downloads_once_released(child, caseworker):
    make_portal_story(child, caseworker)
    _access, _code, portal = make_portal_child(child, caseworker)  # Emma is 12
    assert "Hele min sag" in portal.get(reverse("portal:home")).content.decode()
    assert portal.post(reverse("records:my_file")).status_code == 302
    person_file = _made(PersonFile.objects.get(by_the_person=True))
    page = portal.get(reverse("records:my_file")).content.decode()
    assert "læser den igennem" in page or "reading it through" in page
    url = reverse("records:my_file_download", args=[person_file.pk, "pdf"])
    assert portal.get(url).status_code == 404  # not released yet
    person_file.status = FileStatus.RELEASED
    person_file.save()
    assert "klar" in portal.get(reverse("portal:home")).content.decode()
    download = portal.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert (
        portal.get(reverse("records:my_file_download", args=[person_file.pk, "x"])).status_code
        == 404
    )


def test_under_10_the_portal_explains_and_refuses(child, caseworker):
    from datetime import date

    child.birth_date = date.today().replace(year=date.today().year - 8)
    child.save()
    _access, _code, portal = make_portal_child(child, caseworker)
    assert portal.post(reverse("records:my_file")).status_code == 200
    assert not PersonFile.objects.exists()


def test_another_municipality_gets_nothing(child, foreign_caseworker, client_for):
    client = client_for(foreign_caseworker)
    assert client.get(reverse("records:files", args=[child.pk])).status_code == 404
    assert client.post(reverse("records:files", args=[child.pk])).status_code == 404
    assert not PersonFile.objects.exists()


def test_the_operator_command_writes_the_package(child, caseworker, foreign_caseworker, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    path = tmp_path / "fil.zip"
    call_command("person_file", child=child.pk, by=caseworker.username, out=str(path), stdout=out)
    assert "Wrote the file" in out.getvalue()
    assert "fil.json" in zipfile.ZipFile(path).namelist()
    with pytest.raises(CommandError, match="No person"):
        call_command("person_file", child=child.pk, by=foreign_caseworker.username, out="x")
