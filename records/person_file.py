"""The person's own file: everything Stemme holds about a child, young adult or formerly placed
adult, made readable. One package (zip) holds:
- `fil.pdf` — the whole story as a PDF with a table of contents;
- `fil.json` — the same as data, in the documented schema (records/SCHEMA.md);
- `SCHEMA.md` — that documentation;
- `originaler/…` — every original file (drawings, photos, sound, video, documents).

What staff marked as another person's confidential information is withheld, in the PDF and the
JSON alike, with a visible note that something was withheld and why."""

import json
import os
import tempfile
import zipfile
from pathlib import Path

from django.apps import apps
from django.contrib.staticfiles import finders
from django.core.files import File
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML

from audit.models import AccessAction
from lifebook.book import PHOTO_SCHEME, BookFetcher
from records.bundle import CHUNK, ExactEncoder, _earlier, _file_fields, collect
from records.models import FileStatus, PersonFile, Withheld

SCHEMA_NAME = "stemme-person-file/1"
SCHEMA_DOC = Path(__file__).resolve().parent / "SCHEMA.md"

# Internal fields that say nothing about the person and must not leave the system.
SECRET_FIELDS = {"token_hash", "code_digest", "pin_hash", "password"}
# The sections of the file, in the order of the table of contents.
SECTIONS = [
    ("course", ["cases.Case", "cases.ConcernReport", "cases.Assessment", "cases.Measure",
                "cases.FollowUp", "cases.NetworkMember"]),
    ("conversations", ["conversations.Conversation", "conversations.Statement",
                       "conversations.Wish", "conversations.ToolRecord",
                       "portal.MeetingPreparation"]),
    ("feedback", ["feedback.FeedbackResponse", "feedback.ItemAnswer"]),
    ("plans", ["plans.ChildPlan", "plans.PlanGoal", "plans.MeasureView"]),
    ("decisions", ["cases.Decision", "plans.DecisionNotice", "plans.WishAnswer",
                   "plans.Complaint", "portal.ChildResponse"]),
    ("lifebook", ["lifebook.Entry", "lifebook.Photo", "lifebook.Attachment",
                  "lifebook.Comment"]),
]  # fmt: skip


def _progress(person_file: PersonFile, percent: int, status: str | None = None) -> None:
    person_file.progress = percent
    fields = ["progress"]
    if status:
        person_file.status = status
        fields.append("status")
    person_file.save(update_fields=fields)


def build(child) -> tuple[dict, list[tuple[str, object]], int]:
    """The file as data in the documented schema, the original files to pack, and how many
    records were withheld."""
    from accounts.models import User

    rows, files, user_ids = collect(child)
    withheld = {
        (w.model, w.record_pk): w.reason
        for w in Withheld.objects.filter(child=child, lifted_at__isnull=True)
    }
    names = {
        u.pk: f"{u.get_full_name() or u.username} ({u.get_role_display()})"
        for u in User.objects.filter(pk__in=user_ids)
    }
    hidden_files, records, count = set(), [], 0
    age = child.age()
    for row in rows:
        model = apps.get_model(row["model"])
        label = model._meta.label
        if label in ("portal.PortalAccess", "portal.TalkRequest", "feedback.FeedbackRequest"):
            continue
        fields = dict(row["fields"])
        sealed = label == "lifebook.Entry" and (fields.get("sealed_until_age") or 0) > age
        reason = withheld.get((label, row["pk"]))
        if sealed or reason:
            count += 1
            hidden_files.update(v for k, v in fields.items() if k in _file_fields(model) and v)
            records.append(
                {"type": label, "id": row["pk"], "withheld": True, "reason": reason or "sealed"}
            )
            continue
        for field in model._meta.fields:
            if field.name in SECRET_FIELDS:
                fields.pop(field.name, None)
            elif field.is_relation and field.related_model._meta.label == "accounts.User":
                fields[field.name] = names.get(fields.get(field.name))
        history = [
            {**change, "by": names.get(change["by"]), "fields": None} for change in row["history"]
        ]
        records.append({"type": label, "id": row["pk"], "fields": fields, "history": history})
    files = [(name, field) for name, field in files if name not in hidden_files]
    earlier = _earlier(child)
    data = {
        "schema": SCHEMA_NAME,
        "generated_at": timezone.now(),
        "person": {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "birth_date": child.birth_date,
            "cpr": child.cpr,
            "municipality": child.municipality.name,
        },
        "records": records,
        "caseworkers": earlier["caseworkers"],
        "handovers": earlier["handovers"],
        # GDPR art. 15: the dates, purposes and roles of look-ups, not employees' names.
        "looked": [
            {**event, "action": str(dict(AccessAction.choices).get(event["action"], ""))}
            for event in earlier["looked"]
        ],
        "files": [{"path": f"originaler/{name.removeprefix('media/')}"} for name, _f in files],
        "withheld": count,
    }
    return data, files, count


def _readable(record: dict) -> dict:
    """A record for the PDF: its kind and its filled-in fields with their names."""
    model = apps.get_model(record["type"])
    lines = []
    for name, value in (record.get("fields") or {}).items():
        try:
            field = model._meta.get_field(name)
        except LookupError:
            continue
        is_user = field.is_relation and field.related_model._meta.label == "accounts.User"
        if value in (None, "", False) or (field.is_relation and not is_user):
            continue
        if name in ("removed_by", "removed_reason") or field.get_internal_type() == "FileField":
            continue
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        elif value is True:
            value = "✓"
        lines.append((str(field.verbose_name).capitalize(), value))
    return {**record, "kind": str(model._meta.verbose_name).capitalize(), "lines": lines}


def _sections(data: dict) -> list[dict]:
    by_type: dict[str, list] = {}
    for record in data["records"]:
        by_type.setdefault(record["type"], []).append(_readable(record))
    return [
        {"key": key, "records": [r for label in labels for r in by_type.get(label, [])]}
        for key, labels in SECTIONS
    ]


def render(person_file: PersonFile) -> None:
    """Make the PDF and the package, and leave the file for staff to review."""
    _progress(person_file, 5, FileStatus.RENDERING)
    child = person_file.child
    data, files, withheld = build(child)
    _progress(person_file, 20)
    with translation.override("da"):
        html = render_to_string(
            "records/person_file.html",
            {
                "child": child,
                "data": data,
                "sections": _sections(data),
                "scheme": PHOTO_SCHEME,
                "photos": {
                    r["id"]: r
                    for r in data["records"]
                    if r["type"] == "lifebook.Photo" and not r.get("withheld")
                },
            },
        )
    document = HTML(string=html, url_fetcher=BookFetcher(child.pk)).render(
        stylesheets=[CSS(filename=finders.find("css/pdf.css"))]
    )
    _progress(person_file, 60)
    pdf = document.write_pdf()
    json_bytes = json.dumps(data, cls=ExactEncoder, ensure_ascii=False, indent=1).encode()
    handle, path = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as z:
            z.writestr("fil.pdf", pdf)
            z.writestr("fil.json", json_bytes)
            z.write(SCHEMA_DOC, "SCHEMA.md")
            for name, field in files:
                target_name = f"originaler/{name.removeprefix('media/')}"
                with field.open("rb") as source, z.open(target_name, "w", force_zip64=True) as out:
                    while chunk := source.read(CHUNK):
                        out.write(chunk)
        _progress(person_file, 90)
        stamp = f"{child.pk}-{person_file.pk}"
        person_file.pdf.save(f"fil-{stamp}.pdf", ContentFile(pdf), save=False)
        with open(path, "rb") as package:
            person_file.package.save(f"fil-{stamp}.zip", File(package), save=False)
    finally:
        os.unlink(path)
    person_file.pages = len(document.pages)
    person_file.withheld = withheld
    person_file.status, person_file.progress = FileStatus.REVIEW, 100
    person_file.finished_at = timezone.now()
    person_file.save(
        update_fields=["pdf", "package", "pages", "withheld", "status", "progress", "finished_at"]
    )
