"""A child's whole case as one signed, checksummed bundle, for moving it to another
municipality, and reading it back.

The bundle is a zip archive:
- `manifest.json` — the format, the bundle's id, from and to which municipality, and the
  SHA-256 of every other file in the archive;
- `signature` — HMAC-SHA256 of `manifest.json` with the transfer key (STEMME_TRANSFER_KEY,
  shared by the municipalities that exchange cases);
- `record.json` — every record of the child in the order they are created on import, each with
  its history, and what does not move as a live record (who held the case, handovers, who has
  looked at it);
- `media/…` — every file: drawings, photos, sound, video and documents, byte for byte.
"""

import datetime
import hashlib
import hmac
import json
import uuid
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "stemme-transfer"
VERSION = 1
CHUNK = 1024 * 1024

# The child's records, parents before children, with the path from each to the child.
MOVED = [
    ("cases.Child", "pk"),
    ("cases.Case", "child"),
    ("cases.ConcernReport", "case__child"),
    ("cases.Assessment", "case__child"),
    ("cases.Measure", "case__child"),
    ("cases.Decision", "case__child"),
    ("cases.FollowUp", "case__child"),
    ("cases.NetworkMember", "child"),
    ("conversations.Conversation", "child"),
    ("conversations.ToolRecord", "conversation__child"),
    ("conversations.Statement", "conversation__child"),
    ("conversations.Wish", "child"),
    ("plans.ChildPlan", "child"),
    ("plans.PlanGoal", "plan__child"),
    ("plans.MeasureView", "plan__child"),
    ("plans.WishAnswer", "wish__child"),
    ("plans.WishAnswer", "statement__conversation__child"),
    ("plans.Complaint", "child"),
    ("plans.DecisionNotice", "decision__case__child"),
    ("feedback.FeedbackRequest", "child"),
    ("feedback.FeedbackResponse", "child"),
    ("feedback.ItemAnswer", "response__child"),
    ("feedback.FeedbackAlert", "child"),
    ("lifebook.Entry", "child"),
    ("lifebook.Photo", "entry__child"),
    ("lifebook.Attachment", "entry__child"),
    ("lifebook.Comment", "entry__child"),
    ("portal.PortalAccess", "child"),
    ("portal.TalkRequest", "child"),
    ("portal.MeetingPreparation", "conversation__child"),
    ("portal.ChildResponse", "child"),
]


class ExactEncoder(DjangoJSONEncoder):
    """JSON with times to the microsecond (Django's encoder rounds to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BundleError(Exception):
    """A bundle that cannot be used, with a message for the operator."""


def transfer_key() -> bytes:
    """The key bundles are signed with: STEMME_TRANSFER_KEY, shared by the municipalities
    that exchange cases; without it, one derived from SECRET_KEY (transfers within one
    installation)."""
    if settings.STEMME_TRANSFER_KEY:
        return settings.STEMME_TRANSFER_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"stemme-transfer", hashlib.sha256).digest()


def sign(manifest: bytes) -> str:
    return hmac.new(transfer_key(), manifest, hashlib.sha256).hexdigest()


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _file_fields(model) -> list[str]:
    return [f.name for f in model._meta.fields if f.get_internal_type() == "FileField"]


def collect(child) -> tuple[list[dict], list[tuple[str, object]], dict]:
    """The child's records as serialised rows (each with its history), the files to pack as
    (name in the archive, field file), and the user names the records refer to."""
    rows, files, users, seen = [], [], set(), set()
    for label, path in MOVED:
        model = apps.get_model(label)
        queryset = model._base_manager.filter(**{path: child.pk}).order_by("pk")
        history = _history(model, queryset)
        for row in serializers.serialize("python", queryset):
            if (label, row["pk"]) in seen:
                continue
            seen.add((label, row["pk"]))
            fields = row["fields"]
            for name in _file_fields(model):
                if fields.get(name):
                    arcname = f"media/{label}/{row['pk']}/{name}/{fields[name].rsplit('/', 1)[-1]}"
                    files.append((arcname, getattr(model._base_manager.get(pk=row["pk"]), name)))
                    fields[name] = arcname
            for field in model._meta.fields:
                is_user = field.is_relation and field.related_model._meta.label == "accounts.User"
                if is_user and fields.get(field.name):
                    users.add(fields[field.name])
            rows.append({**row, "history": history.get(row["pk"], [])})
    return rows, files, users


def _history(model, queryset) -> dict:
    if not hasattr(model, "history"):
        return {}
    found: dict = {}
    history = model.history.model.objects.filter(id__in=queryset.values("pk")).order_by(
        "history_date"
    )
    for row in serializers.serialize("python", history):
        fields = row["fields"]
        found.setdefault(fields["id"], []).append(
            {
                "at": fields["history_date"],
                "type": fields["history_type"],
                "by": fields.get("history_user"),
                "reason": fields.get("history_change_reason") or "",
                "fields": {
                    k: v for k, v in fields.items() if not k.startswith("history_") and k != "id"
                },
            }
        )
    return found


def _instruments(rows) -> dict:
    """The feedback questions the answers refer to, by natural key, so they can be found in
    another installation."""
    from feedback.models import InstrumentVersion, Item

    version_ids = {r["fields"]["version"] for r in rows if r["model"].startswith("feedback.f")}
    item_ids = {r["fields"]["item"] for r in rows if r["model"] == "feedback.itemanswer"}
    versions = {
        v.pk: [v.instrument.key, v.number]
        for v in InstrumentVersion.objects.filter(pk__in=version_ids).select_related("instrument")
    }
    items = {
        i.pk: [i.version.instrument.key, i.version.number, i.position]
        for i in Item.objects.filter(pk__in=item_ids).select_related("version__instrument")
    }
    return {"versions": versions, "items": items}


def _earlier(child) -> dict:
    """What does not move as a live record: who held the case, the handovers, and who has
    looked at it (dates, purposes and roles, not employees' names)."""
    from audit.models import AccessEvent
    from continuity.models import CaseworkerAssignment, Handover

    return {
        "caseworkers": [
            {
                "caseworker": a.caseworker.get_full_name(),
                "kind": a.kind,
                "from": a.started_at,
                "to": a.ended_at,
            }
            for a in CaseworkerAssignment._base_manager.filter(child=child)
            .select_related("caseworker")
            .order_by("started_at")
        ],
        "handovers": [
            {
                "from": h.from_caseworker.get_full_name(),
                "to": h.to_caseworker.get_full_name(),
                "status": h.status,
                "joint_meeting_at": h.joint_meeting_at,
                "finished_at": h.finished_at,
            }
            for h in Handover._base_manager.filter(child=child)
            .select_related("from_caseworker", "to_caseworker")
            .order_by("started_at")
        ],
        "looked": [
            {"at": e.at, "action": e.action, "role": e.role, "purpose": e.purpose}
            for e in AccessEvent.objects.filter(child=child).order_by("sequence")
        ],
    }


def write(out, *, child, to_code: str, bundle_id: uuid.UUID) -> dict:
    """Write the bundle to the binary file `out`; returns its manifest."""
    from accounts.models import User

    rows, files, user_ids = collect(child)
    record = {
        "records": rows,
        "instruments": _instruments(rows),
        "users": {
            u.pk: f"{u.get_full_name() or u.username} ({u.get_role_display()})"
            for u in User.objects.filter(pk__in=user_ids)
        },
        "earlier": _earlier(child),
    }
    record_bytes = json.dumps(record, cls=ExactEncoder, ensure_ascii=False).encode()
    checksums = {"record.json": hashlib.sha256(record_bytes).hexdigest()}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.writestr("record.json", record_bytes)
        for arcname, field in files:
            digest = hashlib.sha256()
            try:
                source = field.open("rb")
            except OSError as missing:
                raise BundleError(
                    _("A file of the child's record is missing from storage: %(name)s")
                    % {"name": field.name}
                ) from missing
            with source, archive.open(arcname, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
            checksums[arcname] = digest.hexdigest()
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "bundle_id": str(bundle_id),
            "created_at": timezone.now().isoformat(),
            "from": {"code": child.municipality.code, "name": child.municipality.name},
            "to": {"code": to_code},
            "child": {"origin_pk": child.pk},
            "files": checksums,
        }
        manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("signature", sign(manifest_bytes))
    return manifest


@dataclass
class Bundle:
    manifest: dict
    record: dict
    archive: zipfile.ZipFile
    sha256: str


def read(path) -> Bundle:
    """Open and check a bundle: a zip archive, signed with the transfer key, every file listed
    in the manifest and matching its checksum, nothing more. Raises BundleError."""
    try:
        with open(path, "rb") as handle:
            whole = _sha256(handle)
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as missing:
        raise BundleError(_("There is no file %(path)s.") % {"path": path}) from missing
    except (zipfile.BadZipFile, OSError) as bad:
        raise BundleError(_("The file is not a transfer bundle (not a zip archive).")) from bad
    names = set(archive.namelist())
    if not {"manifest.json", "signature", "record.json"} <= names:
        raise BundleError(
            _("The bundle is incomplete: its manifest, signature or record is missing.")
        )
    total = sum(info.file_size for info in archive.infolist())
    if total > settings.STEMME_TRANSFER_MAX_BYTES:
        raise BundleError(_("The bundle unpacks to more than this installation accepts."))
    try:
        manifest_bytes = archive.read("manifest.json")
        signature = archive.read("signature").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, EOFError) as bad:
        raise BundleError(_("The bundle is damaged and cannot be read.")) from bad
    if not hmac.compare_digest(signature, sign(manifest_bytes)):
        raise BundleError(
            _("The bundle's signature does not match: it was altered, or signed with another key.")
        )
    manifest = json.loads(manifest_bytes)
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BundleError(_("This is not a transfer bundle of a version this installation reads."))
    listed = set(manifest["files"])
    if names - listed - {"manifest.json", "signature"} or listed - names:
        raise BundleError(_("The bundle's files do not match its manifest."))
    for name, expected in manifest["files"].items():
        try:
            with archive.open(name) as member:
                actual = _sha256(member)
        except (zipfile.BadZipFile, OSError, EOFError) as bad:
            raise BundleError(_("The bundle is damaged and cannot be read.")) from bad
        if actual != expected:
            raise BundleError(
                _("The file %(name)s in the bundle was altered (its checksum does not match).")
                % {"name": name}
            )
    record = json.loads(archive.read("record.json"))
    return Bundle(manifest, record, archive, whole)
