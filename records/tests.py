"""Moving a case whole: the round trip compares every record and every file, bad bundles are
refused with a clear message and nothing half-imported, and a bundle imports once."""

import hashlib
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import (
    answer_feedback,
    make_lifebook_entry,
    make_portal_child,
    make_portal_story,
)
from core import samples
from core.test_uploads import assert_no_leak, exiftool
from core.uploads import clean_file, clean_image
from records import services
from records.bundle import MOVED, BundleError, sign
from records.models import Direction, Transfer, TransferredRecord
from records.services import MEDIA_FIELDS

# Fields that are expected to differ: new keys, who (the former municipality), file names.
SKIP = {"id", "child", "case", "created_by", "removed_by", "author", "approved_by", "user"}


@pytest.fixture
def rich_child(child, caseworker):
    make_portal_story(child, caseworker)
    make_lifebook_entry(child, caseworker)
    answer_feedback(child, caseworker, [8, 7, 9, 6, 8])
    access, code, _client = make_portal_child(child, caseworker)
    return child, code


def _export(child, caseworker, tmp_path, to="101"):
    path = tmp_path / "bundle.zip"
    with open(path, "wb") as out:
        services.transfer_export(actor=caseworker, child=child, to_code=to, out=out)
    return path


def _rows(label, child):
    model = apps.get_model(label)
    path = dict(MOVED)[label]
    return list(model._base_manager.filter(**{path: child.pk}).order_by("pk"))


def _comparable(record, cleaned=False):
    """The record's values; with `cleaned`, its files as core.uploads cleans every upload (the
    receiving side cleans what it imports)."""
    values = {}
    for field in record._meta.fields:
        if field.name in SKIP or field.is_relation or field.name in ("created_at", "updated_at"):
            continue
        value = getattr(record, field.name)
        if field.get_internal_type() == "FileField":
            with value.open("rb") as handle:
                value = handle.read()
            if cleaned and (record._meta.label, field.name) in MEDIA_FIELDS:
                value = clean_file(ContentFile(value, name="moved")).file.read()
            elif cleaned:
                value = clean_image(ContentFile(value, name="moved")).read()
        elif field.name in ("token_hash", "code_digest"):
            continue
        values[field.name] = value
    return values


def test_a_rich_child_moves_whole_and_every_file_as_cleaned_on_upload(
    rich_child, caseworker, foreign_caseworker, tmp_path
):
    child, code = rich_child
    path = _export(child, caseworker, tmp_path)
    transfer, changed = services.transfer_import(path=path, caseworker=foreign_caseworker)
    assert changed and transfer.child.municipality == foreign_caseworker.municipality
    moved = transfer.child
    for label in dict(MOVED):
        before, after = _rows(label, child), _rows(label, moved)
        assert len(before) == len(after), label
        for old, new in zip(before, after, strict=True):
            mine, theirs = _comparable(old, cleaned=True), _comparable(new)
            if label == "portal.PortalAccess":
                # Within one installation the old access closes; the moved one is open.
                assert mine.pop("revoked_at") and theirs.pop("revoked_at") is None
            assert mine == theirs, label
            if hasattr(old, "created_at"):
                assert old.created_at == new.created_at, label
    assert apps.get_model("lifebook.Photo")._base_manager.filter(entry__child=moved).exists()
    # The origin and earlier history of every record are kept.
    origin = TransferredRecord.objects.get(transfer=transfer, model="cases.Child")
    assert origin.origin_pk == child.pk and origin.history
    assert transfer.earlier["caseworkers"][0]["caseworker"] == caseworker.get_full_name()
    # The new caseworker holds the case; the child's portal code and PIN go on working.
    assert moved.assignments.get(ended_at__isnull=True).caseworker == foreign_caseworker
    from portal import services as portal

    assert portal.sign_in(code=code, pin="2468").child == moved
    # Both sides logged it.
    assert Transfer.objects.filter(direction=Direction.OUT, child=child).exists()
    from audit.models import AccessEvent

    assert AccessEvent.objects.filter(child=child, action="export", record="transfer").exists()
    assert AccessEvent.objects.filter(child=moved, record="transfer").exists()


def test_the_same_bundle_imports_once(rich_child, caseworker, foreign_caseworker, tmp_path):
    child, _code = rich_child
    path = _export(child, caseworker, tmp_path)
    services.transfer_import(path=path, caseworker=foreign_caseworker)
    counts = {label: apps.get_model(label)._base_manager.count() for label in dict(MOVED)}
    again, changed = services.transfer_import(path=path, caseworker=foreign_caseworker)
    assert not changed
    assert counts == {label: apps.get_model(label)._base_manager.count() for label in dict(MOVED)}


def _rewrite(path, change):
    """Copy the bundle with one member changed by `change(name, data) -> data`."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    altered = path.with_name("altered.zip")
    with zipfile.ZipFile(altered, "w") as target:
        for name, data in members:
            target.writestr(name, change(name, data))
    return altered


def _signed_with_files(path, files: dict):
    """The bundle as an installation that kept metadata would send it: the files whose archive
    names contain a key of `files` replaced, listed and signed with the shared key."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    for name in members:
        for part, data in files.items():
            if part in name:
                members[name] = data
    manifest = json.loads(members["manifest.json"])
    for name in manifest["files"]:
        manifest["files"][name] = hashlib.sha256(members[name]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    members["signature"] = sign(members["manifest.json"]).encode()
    altered = path.with_name("from-elsewhere.zip")
    with zipfile.ZipFile(altered, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    return altered


def test_files_moved_from_another_installation_are_cleaned_like_uploads(
    rich_child, caseworker, foreign_caseworker, tmp_path
):
    child, _code = rich_child
    path = _signed_with_files(
        _export(child, caseworker, tmp_path),
        {"lifebook.Photo": samples.photo("JPEG"), "lifebook.Attachment": samples.pdf_document()},
    )
    transfer, _changed = services.transfer_import(path=path, caseworker=foreign_caseworker)
    photo = apps.get_model("lifebook.Photo").objects.get(entry__child=transfer.child)
    attachment = apps.get_model("lifebook.Attachment").objects.get(entry__child=transfer.child)
    for stored, suffix in (
        (photo.image, "jpg"),
        (photo.thumbnail, "jpg"),
        (attachment.file, "pdf"),
    ):
        with stored.open("rb") as handle:
            data = handle.read()
        assert_no_leak(exiftool(data, suffix))
    assert attachment.size == attachment.file.size


def test_a_moved_file_that_cannot_be_cleaned_refuses_the_bundle(
    rich_child, caseworker, foreign_caseworker, tmp_path
):
    child, _code = rich_child
    path = _signed_with_files(
        _export(child, caseworker, tmp_path),
        {"lifebook.Attachment": samples.pdf_document()[:-40]},
    )
    before = apps.get_model("cases.Child").objects.count()
    with pytest.raises(BundleError, match="kan ikke bruges"):
        services.transfer_import(path=path, caseworker=foreign_caseworker)
    assert apps.get_model("cases.Child").objects.count() == before


@pytest.mark.parametrize(
    "how, message",
    [
        ("record", "ændret"),
        ("manifest", "signatur"),
        ("truncated", "ikke en overførselspakke"),
        ("not a zip", "ikke en overførselspakke"),
        ("extra file", "passer ikke med"),
    ],
)
def test_an_altered_or_broken_bundle_is_refused_and_nothing_is_imported(
    rich_child, caseworker, foreign_caseworker, tmp_path, how, message
):
    child, _code = rich_child
    path = _export(child, caseworker, tmp_path)
    if how == "record":
        path = _rewrite(path, lambda n, d: d.replace(b"Emma", b"Emmy") if n == "record.json" else d)
    elif how == "manifest":
        path = _rewrite(
            path, lambda n, d: d.replace(b'"101"', b'"999"') if n == "manifest.json" else d
        )
    elif how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "not a zip":
        path.write_bytes(b"%PDF-1.4 not a bundle")
    else:
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("media/extra.txt", b"smuggled")
    before = apps.get_model("cases.Child").objects.count()
    with pytest.raises(BundleError, match=message):
        services.transfer_import(path=path, caseworker=foreign_caseworker)
    assert apps.get_model("cases.Child").objects.count() == before
    assert not Transfer.objects.filter(direction=Direction.IN).exists()


def test_a_bundle_for_a_municipality_that_does_not_exist_is_refused(
    rich_child, caseworker, foreign_caseworker, tmp_path
):
    child, _code = rich_child
    path = _export(child, caseworker, tmp_path, to="777")
    with pytest.raises(BundleError, match="777"):
        services.transfer_import(path=path, caseworker=foreign_caseworker)


def test_a_bundle_signed_with_another_key_is_refused(
    rich_child, caseworker, foreign_caseworker, tmp_path, settings
):
    child, _code = rich_child
    path = _export(child, caseworker, tmp_path)
    settings.STEMME_TRANSFER_KEY = "another municipality's key, not ours"
    with pytest.raises(BundleError, match="signatur"):
        services.transfer_import(path=path, caseworker=foreign_caseworker)


def test_a_failure_half_way_leaves_nothing(rich_child, caseworker, foreign_caseworker, tmp_path):
    from feedback.models import Item

    child, _code = rich_child
    path = _export(child, caseworker, tmp_path)
    Item.objects.filter(position=5).update(position=50)  # the receiver lacks a question
    before = {label: apps.get_model(label)._base_manager.count() for label in dict(MOVED)}
    with pytest.raises(BundleError, match="Feedbackspørgsmålene"):
        services.transfer_import(path=path, caseworker=foreign_caseworker)
    assert before == {label: apps.get_model(label)._base_manager.count() for label in dict(MOVED)}


def test_the_operator_commands(rich_child, caseworker, foreign_caseworker, tmp_path):
    child, _code = rich_child
    path = tmp_path / "out.zip"
    out = io.StringIO()
    call_command(
        "transfer_export",
        child=child.pk,
        to="101",
        by=caseworker.username,
        out=str(path),
        stdout=out,
    )
    assert "Wrote bundle" in out.getvalue()
    out = io.StringIO()
    call_command("transfer_verify", str(path), stdout=out)
    assert "intact" in out.getvalue()
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert manifest["to"]["code"] == "101" and "record.json" in manifest["files"]
    out = io.StringIO()
    call_command("transfer_import", str(path), caseworker=foreign_caseworker.username, stdout=out)
    assert "Imported" in out.getvalue()
    out = io.StringIO()
    call_command("transfer_import", str(path), caseworker=foreign_caseworker.username, stdout=out)
    assert "nothing changed" in out.getvalue()
    (tmp_path / "bad.zip").write_bytes(b"nonsense")
    with pytest.raises(CommandError, match="ikke en overførselspakke"):
        call_command("transfer_verify", str(tmp_path / "bad.zip"))
    with pytest.raises(CommandError, match="No child"):
        call_command(
            "transfer_export", child=child.pk, to="101", by=foreign_caseworker.username, out="x"
        )


def test_retention_lists_what_is_due_and_removes_nothing(child, caseworker, settings):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Case

    settings.STEMME_RETENTION_YEARS = 5
    Case.objects.filter(child=child).update(
        closed_on=timezone.localdate() - timedelta(days=6 * 365)
    )
    out = io.StringIO()
    call_command("retention_due", stdout=out)
    assert "NOT exported" in out.getvalue() and "1 closed cases" in out.getvalue()
    assert Case.objects.filter(child=child).exists()
    with pytest.raises(Exception, match="never hard-deleted"):
        Case.objects.get(child=child).delete()


def test_a_missing_file_is_named_and_no_bundle_is_logged(rich_child, caseworker, tmp_path):
    from lifebook.models import Photo

    child, _code = rich_child
    photo = Photo.objects.filter(entry__child=child).first()
    photo.image.storage.delete(photo.image.name)  # lost from storage outside Stemme
    with pytest.raises(BundleError, match="mangler"):
        _export(child, caseworker, tmp_path)
    assert not Transfer.objects.exists()
