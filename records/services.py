"""Moving a child's case whole to another municipality: export a bundle, import it in one
transaction, and log both sides. Nothing is deleted: the sending municipality keeps its
records (closed to new work by the caseworkers it assigns), the receiving one gets a full copy
with each record's origin and earlier history."""

import hashlib
import shutil
import tempfile
import uuid

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Municipality, Role, User
from audit.models import AccessAction
from audit.services import access_record
from cases.models import Child
from continuity.models import AssignmentKind, CaseworkerAssignment
from core.uploads import clean_file, clean_image
from records import bundle as bundles
from records.bundle import BundleError
from records.models import (
    Direction,
    FileStatus,
    PersonFile,
    Transfer,
    TransferredRecord,
    Withheld,
)

# The moved files that are video, sound or documents; every other one (photos, thumbnails,
# drawings) is an image.
MEDIA_FIELDS = {("lifebook.Attachment", "file")}

SENDERS = (Role.CASEWORKER, Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT, Role.ADMINISTRATOR)


def transfer_export(*, actor, child: Child, to_code: str, out) -> Transfer:
    """Write the child's whole case to `out` (a binary file) as a signed bundle for the
    municipality `to_code`, and log it."""
    if actor.role not in SENDERS or actor.municipality_id != child.municipality_id:
        raise PermissionDenied
    to_code = (to_code or "").strip()
    if not (to_code.isdigit() and len(to_code) == 3):
        raise BundleError(_("Give the receiving municipality's three-digit code."))
    if to_code == child.municipality.code:
        raise BundleError(_("The child's case is already in this municipality."))
    bundle_id = uuid.uuid4()
    manifest = bundles.write(out, child=child, to_code=to_code, bundle_id=bundle_id)
    transfer = Transfer.objects.create(
        bundle_id=bundle_id,
        direction=Direction.OUT,
        child=child,
        other_municipality_code=to_code,
        by=actor,
        files=len(manifest["files"]) - 1,
        sha256=manifest["files"]["record.json"],
    )
    access_record(
        user=actor,
        action=AccessAction.EXPORT,
        child=child,
        record="transfer",
        purpose=f"Sagen flyttet til kommune {to_code}",
    )
    return transfer


def _former(sender: dict, municipality: Municipality) -> User:
    """Who the records were written by, as far as the receiving municipality is concerned:
    the sending municipality (its employees are not users here). Cannot sign in."""
    user, _created = User.objects.get_or_create(
        username=f"former-{sender['code']}-in-{municipality.code}",
        defaults={
            "first_name": sender.get("name") or sender["code"],
            "last_name": "(tidligere kommune)",
            "role": Role.CONTRIBUTOR,
            "municipality": municipality,
            "is_active": False,
        },
    )
    return user


class _Importer:
    def __init__(self, bundle, municipality, actor, former):
        self.bundle, self.municipality, self.actor, self.former = (
            bundle,
            municipality,
            actor,
            former,
        )
        self.mapping: dict[str, dict[int, int]] = {}
        self.reason = _("Received from %(name)s (bundle %(id)s)") % {
            "name": bundle.manifest["from"].get("name", ""),
            "id": bundle.manifest["bundle_id"],
        }
        self.instruments = bundle.record.get("instruments", {"versions": {}, "items": {}})

    def _instrument(self, label: str, old: int) -> int:
        from feedback.models import InstrumentVersion, Item

        if label == "feedback.InstrumentVersion":
            key, number = self.instruments["versions"][str(old)]
            found = (
                InstrumentVersion.objects.filter(
                    instrument__key=key, number=number, instrument__municipality__isnull=True
                ).first()
                or InstrumentVersion.objects.filter(
                    instrument__key=key, number=number, instrument__municipality=self.municipality
                ).first()
            )
        else:
            key, number, position = self.instruments["items"][str(old)]
            found = Item.objects.filter(
                version__instrument__key=key, version__number=number, position=position
            ).first()
        if found is None:
            raise BundleError(
                _("The feedback questions '%(key)s' (version %(n)s) are not in this installation.")
                % {"key": key, "n": number}
            )
        return found.pk

    def _remap(self, instance) -> None:
        for field in instance._meta.fields:
            if not field.is_relation:
                continue
            old = getattr(instance, field.attname)
            if old is None:
                continue
            label = field.related_model._meta.label
            if label == "accounts.User":
                new = self.former.pk
            elif label == "accounts.Municipality":
                new = self.municipality.pk
            elif label in ("feedback.InstrumentVersion", "feedback.Item"):
                new = self._instrument(label, old)
            elif old in self.mapping.get(label, {}):
                new = self.mapping[label][old]
            else:
                raise BundleError(
                    _("The bundle refers to a record it does not hold (%(label)s %(pk)s).")
                    % {"label": label, "pk": old}
                )
            setattr(instance, field.attname, new)

    def _special(self, instance, label: str) -> None:
        if label == "portal.PortalAccess":
            from portal.models import PortalAccess

            # The child keeps their code and PIN. Within one installation the sending
            # municipality's access is closed and its code freed, so it works here now.
            for old in PortalAccess.objects.filter(code_digest=instance.code_digest):
                old.code_digest = hashlib.sha256(f"moved:{old.pk}".encode()).hexdigest()
                old.revoked_at = old.revoked_at or timezone.now()
                old.save(update_fields=["code_digest", "revoked_at"])
            instance.user = User.objects.create(
                username=f"child-{uuid.uuid4().hex[:20]}",
                role=Role.CHILD,
                municipality=self.municipality,
            )
            instance.user.set_unusable_password()
            instance.user.save(update_fields=["password"])
        if label == "feedback.FeedbackRequest":
            instance.token_hash = hashlib.sha256(
                f"moved:{self.bundle.manifest['bundle_id']}:{instance.token_hash}".encode()
            ).hexdigest()
        if (
            label == "cases.Child"
            and Child.objects.filter(municipality=self.municipality, cpr=instance.cpr).exists()
        ):
            raise BundleError(
                _("A child with this CPR number already has a case in %(name)s.")
                % {"name": self.municipality.name}
            )

    def _files(self, instance, label: str) -> None:
        """Each file goes through the same cleaning as every upload (core.uploads), so a bundle
        from an installation that kept metadata brings none of it here. A file that cannot be
        cleaned refuses the whole bundle."""
        for name in bundles._file_fields(type(instance)):
            arcname = getattr(instance, name).name
            if not arcname:
                continue
            stem = arcname.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            with self.bundle.archive.open(arcname) as member, tempfile.TemporaryFile() as copy:
                shutil.copyfileobj(member, copy, 1 << 20)
                copy.seek(0)
                try:
                    if (label, name) in MEDIA_FIELDS:
                        clean = clean_file(File(copy, arcname))
                        instance.size, instance.content_type = clean.size, clean.content_type
                        with clean.file:
                            getattr(instance, name).save(
                                f"{stem}.{clean.extension}", clean.file, save=False
                            )
                    else:
                        clean = clean_image(File(copy, arcname))
                        extension = clean.name.rsplit(".", 1)[1]
                        getattr(instance, name).save(f"{stem}.{extension}", clean, save=False)
                except ValidationError as refused:
                    raise BundleError(
                        _("The file %(name)s in the bundle cannot be used: %(reason)s")
                        % {"name": arcname, "reason": " ".join(refused.messages)}
                    ) from refused

    def run(self) -> list[tuple[str, int, int, list]]:
        """Create every record; returns (model, origin pk, new pk, history) for each."""
        imported = []
        for row in self.bundle.record["records"]:
            label = apps.get_model(row["model"])._meta.label
            data = {"model": row["model"], "pk": row["pk"], "fields": row["fields"]}
            [found] = serializers.deserialize("python", [data], ignorenonexistent=True)
            instance = found.object
            old_pk = instance.pk
            instance.pk = None
            self._remap(instance)
            self._special(instance, label)
            self._files(instance, label)
            instance._history_user = self.actor
            instance._change_reason = self.reason
            instance.save(force_insert=True)
            model = type(instance)
            # Times the database sets itself (auto_now, auto_now_add) keep their original.
            stamps = {
                field.name: field.to_python(row["fields"][field.name])
                for field in model._meta.fields
                if (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
                and row["fields"].get(field.name)
            }
            if stamps:
                model._base_manager.filter(pk=instance.pk).update(**stamps)
            self.mapping.setdefault(label, {})[old_pk] = instance.pk
            imported.append((label, old_pk, instance.pk, row.get("history", [])))
        return imported


def transfer_import(*, path, caseworker, actor=None) -> tuple[Transfer, bool]:
    """Import a bundle into the receiving municipality in one transaction and give the child
    the new fixed caseworker; returns the transfer and whether anything changed (a bundle
    imported before changes nothing). Raises BundleError with a message for the operator."""
    bundle = bundles.read(path)
    manifest = bundle.manifest
    actor = actor or caseworker
    municipality = Municipality.objects.filter(code=manifest["to"]["code"]).first()
    if municipality is None:
        raise BundleError(
            _("The bundle is for municipality %(code)s, which does not exist here.")
            % {"code": manifest["to"]["code"]}
        )
    if caseworker.role != Role.CASEWORKER or caseworker.municipality_id != municipality.pk:
        raise BundleError(
            _("Choose a caseworker of %(name)s to hold the case.") % {"name": municipality.name}
        )
    earlier = Transfer.objects.filter(bundle_id=manifest["bundle_id"], direction=Direction.IN)
    if earlier.exists():
        return earlier.get(), False
    try:
        with transaction.atomic():
            former = _former(manifest["from"], municipality)
            transfer = Transfer(
                bundle_id=manifest["bundle_id"],
                direction=Direction.IN,
                other_municipality_code=manifest["from"]["code"],
                other_municipality_name=manifest["from"].get("name", ""),
                by=actor,
                files=len(manifest["files"]) - 1,
                sha256=bundle.sha256,
                earlier=bundle.record.get("earlier", {}),
            )
            importer = _Importer(bundle, municipality, actor, former)
            child_row = bundle.record["records"][0]
            if child_row["model"] != "cases.child":
                raise BundleError(_("The bundle does not start with the child."))
            imported = importer.run()
            transfer.child_id = importer.mapping["cases.Child"][child_row["pk"]]
            transfer.records = len(imported)
            transfer.save()
            TransferredRecord.objects.bulk_create(
                [
                    TransferredRecord(
                        transfer=transfer, model=label, origin_pk=old, new_pk=new, history=history
                    )
                    for label, old, new, history in imported
                ],
                batch_size=2000,
            )
            CaseworkerAssignment.objects.create(
                child_id=transfer.child_id,
                caseworker=caseworker,
                kind=AssignmentKind.RESPONSIBLE,
                started_at=timezone.now(),
            )
            access_record(
                user=actor,
                action=AccessAction.CHANGE,
                child=Child.objects.get(pk=transfer.child_id),
                record="transfer",
                purpose=f"Sagen modtaget fra kommune {manifest['from']['code']}",
            )
    except (IntegrityError, KeyError, ValueError, TypeError) as broken:
        raise BundleError(
            _("The bundle could not be imported; nothing was saved. (%(error)s)")
            % {"error": broken}
        ) from broken
    return transfer, True


# --- The person's own file --------------------------------------------------------------------

STAFF = (Role.CASEWORKER, Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT)


def may_ask_for_own_file(child) -> bool:
    """Barnets lov § 3: from 10 the child is a party and may see their own file; a young or
    formerly placed adult always may."""
    return child.age() >= settings.STEMME_PARTY_AGE


def person_file_request(*, actor, child, by_the_person: bool = False) -> PersonFile:
    """Ask for the person's file (by the person in the portal, or by staff on their behalf);
    it is made in the background and reviewed by staff before release."""
    from records.tasks import render_person_file

    if by_the_person and not may_ask_for_own_file(child):
        raise PermissionDenied
    if not by_the_person and actor.role not in STAFF:
        raise PermissionDenied
    person_file = PersonFile.objects.create(
        child=child, requested_by=actor, by_the_person=by_the_person
    )
    access_record(
        user=actor,
        action=AccessAction.EXPORT,
        child=child,
        record=f"person_file:{person_file.pk}",
        purpose="Personens egen fil bestilt",
    )
    transaction.on_commit(lambda: render_person_file.enqueue(person_file.pk))
    return person_file


def person_file_withhold(*, actor, person_file: PersonFile, model: str, record_pk: int, reason):
    """Withhold one record as another person's confidential information, and make the file
    again so the note shows where it was."""
    from records.tasks import render_person_file

    reason = (reason or "").strip()
    if actor.role not in STAFF or person_file.status != FileStatus.REVIEW:
        raise PermissionDenied
    if not reason:
        raise ValidationError({"reason": _("Say why it is withheld.")})
    if model not in {label for label, _path in bundles.MOVED}:
        raise ValidationError(_("Choose one of the file's records."))
    Withheld.objects.create(
        child=person_file.child, model=model, record_pk=record_pk, reason=reason[:300], by=actor
    )
    person_file.status, person_file.progress = FileStatus.QUEUED, 0
    person_file.save(update_fields=["status", "progress"])
    transaction.on_commit(lambda: render_person_file.enqueue(person_file.pk))


def person_file_release(*, actor, person_file: PersonFile) -> PersonFile:
    """Staff have reviewed the file: the person can now download it."""
    if actor.role not in STAFF or person_file.status != FileStatus.REVIEW:
        raise PermissionDenied
    person_file.status = FileStatus.RELEASED
    person_file.released_by, person_file.released_at = actor, timezone.now()
    person_file.save(update_fields=["status", "released_by", "released_at"])
    access_record(
        user=actor,
        action=AccessAction.EXPORT,
        child=person_file.child,
        record=f"person_file:{person_file.pk}",
        purpose="Personens egen fil frigivet til personen",
    )
    return person_file
