"""The case system's writes, keyed on its own ids: the same call twice changes nothing the second
time. The API and the bulk import both write through these, as the acting user, on the children
that user may see (`children_visible_to`): another municipality's ids are simply not found.

Each returns the record and what happened to it ("created", "updated" or "unchanged"). The
rules of Stemme's own services hold: a change of fixed caseworker is a handover, never a silent
swap, and a removed record is never recreated behind the municipality's back."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.policy import children_visible_to
from accounts.models import Role, User
from cases import services as case_services
from cases.cpr import parse_cpr
from cases.models import (
    Assessment,
    Case,
    Child,
    ConcernReport,
    Decision,
    FollowUp,
    Measure,
    NetworkMember,
)
from continuity import services as continuity_services
from continuity.models import Handover, HandoverStatus
from core.services import save_recorded

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# A handover started by the case system overlaps this long unless it says otherwise.
DEFAULT_OVERLAP_DAYS = 14


def _apply(record, fields: dict, *, actor) -> str:
    """Set the fields that differ and save once; nothing is saved when nothing differs."""
    changed = {name: value for name, value in fields.items() if getattr(record, name) != value}
    if not changed:
        return UNCHANGED
    for name, value in changed.items():
        setattr(record, name, value)
    save_recorded(record, actor=actor)
    return UPDATED


def _caseworker(actor, username: str):
    found = User.objects.filter(
        username=username,
        municipality_id=actor.municipality_id,
        role__in=(Role.CASEWORKER, Role.TEAM_LEADER),
        is_active=True,
    ).first()
    if found is None:
        raise ValidationError({"caseworker": _("There is no active caseworker with that name.")})
    return found


def _refuse_removed(model, **lookup) -> None:
    if model.all_objects.filter(removed_at__isnull=False, **lookup).exists():
        raise ValidationError(
            _("This was removed in Stemme; it is not created again. Ask the municipality.")
        )


def child_by_external_id(actor, external_id: str) -> Child | None:
    """The child with the case system's id, if the actor may see it."""
    return children_visible_to(actor).filter(external_id=external_id).first()


def require_child(actor, external_id: str) -> Child:
    child = child_by_external_id(actor, external_id)
    if child is None:
        raise Child.DoesNotExist
    return child


def _names(first_name: str, last_name: str, preferred_name: str = "", languages: str = ""):
    return {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "preferred_name": preferred_name.strip(),
        "languages": languages.strip(),
    }


@transaction.atomic
def child_upsert(
    *,
    actor,
    external_id: str,
    cpr: str,
    first_name: str,
    last_name: str,
    caseworker: str,
    preferred_name: str = "",
    languages: str = "",
) -> tuple[Child, str]:
    """Create the child with an open case and its fixed caseworker, or bring its names up to
    date. The CPR number of an existing child is never changed by an upsert."""
    child = child_by_external_id(actor, external_id)
    names = _names(first_name, last_name, preferred_name, languages)
    if child is not None:
        return child, _apply(child, names, actor=actor)
    _refuse_removed(Child, external_id=external_id, municipality_id=actor.municipality_id)
    child = case_services.child_create(
        actor=actor,
        municipality=actor.municipality,
        cpr=cpr,
        caseworker=_caseworker(actor, caseworker),
        external_id=external_id,
        **names,
    )
    return child, CREATED


@transaction.atomic
def case_upsert(
    *,
    actor,
    child: Child,
    external_id: str,
    opened_on: date,
    closed_on: date | None = None,
    closing_note: str = "",
) -> tuple[Case, str]:
    """A case of the child by the case system's id. The case Stemme opened with the child is
    taken over by the first case the case system sends."""
    if closed_on and closed_on < opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    if closed_on and not closing_note.strip():
        raise ValidationError({"closing_note": _("Say why the case is closed.")})
    fields = {"opened_on": opened_on, "closed_on": closed_on, "closing_note": closing_note.strip()}
    case = child.cases.filter(external_id=external_id).first()
    if case is not None:
        return case, _apply(case, fields, actor=actor)
    _refuse_removed(Case, child=child, external_id=external_id)
    opened_by_stemme = list(child.cases.all()[:2])
    if len(opened_by_stemme) == 1 and not opened_by_stemme[0].external_id:
        return opened_by_stemme[0], _apply(
            opened_by_stemme[0], {**fields, "external_id": external_id}, actor=actor
        )
    return save_recorded(Case(child=child, external_id=external_id, **fields), actor=actor), CREATED


# Each entry of the case's course the case system keeps, with the service that adds it.
COURSE = {
    ConcernReport: case_services.concern_report_add,
    Assessment: case_services.assessment_add,
    Measure: case_services.measure_add,
    Decision: case_services.decision_add,
    FollowUp: case_services.follow_up_add,
}


@transaction.atomic
def course_entry_upsert(
    *, actor, child: Child, model, external_id: str, case_external_id: str = "", **fields
) -> tuple[object, str]:
    """A report of concern, assessment, measure or placement, decision or follow-up by the case
    system's id, in the named case (the open one if none is named). Changes go through the
    same service as the child's page: ending a placement ends the carers' links to the life
    book, an assessment's § 20 deadline follows its start, and a final decision — which carries
    the child's view — is refused (it is corrected in Stemme by a decision that replaces it)."""
    entry = model.objects.filter(case__child=child, external_id=external_id).first()
    if case_external_id:
        case = child.cases.filter(external_id=case_external_id).first()
        if case is None:
            raise ValidationError({"case": _("The child has no case with that id.")})
    else:
        case = entry.case if entry else case_services.current_case(child)
    fields["case"] = case
    if entry is None:
        _refuse_removed(model, case__child=child, external_id=external_id)
        return COURSE[model](actor=actor, child=child, external_id=external_id, **fields), CREATED
    if all(getattr(entry, name) == value for name, value in fields.items()):
        return entry, UNCHANGED
    case_services.course_entry_update(actor=actor, entry=entry, **fields)
    return entry, UPDATED


def measure_of(child: Child, external_id: str | None) -> Measure | None:
    """The child's measure by the case system's id (for a decision about it)."""
    if not external_id:
        return None
    measure = Measure.objects.filter(case__child=child, external_id=external_id).first()
    if measure is None:
        raise ValidationError({"measure": _("The child has no measure with that id.")})
    return measure


@transaction.atomic
def network_member_upsert(
    *, actor, child: Child, external_id: str, **fields
) -> tuple[NetworkMember, str]:
    member = child.network.filter(external_id=external_id).first()
    if member is None:
        _refuse_removed(NetworkMember, child=child, external_id=external_id)
        member = case_services.network_member_add(
            actor=actor, child=child, external_id=external_id, **fields
        )
        return member, CREATED
    return member, _apply(member, fields, actor=actor)


@transaction.atomic
def caseworker_assign(
    *, actor, child: Child, caseworker: str, overlap_until: date | None = None
) -> tuple[object, str]:
    """The case system names the child's fixed caseworker. The first is attached at once; a
    different one starts a handover (overlap, note, joint meeting with the child), which
    caseworkers complete in Stemme — the child is never handed over silently."""
    wanted = _caseworker(actor, caseworker)
    current = continuity_services.responsible_assignment(child)
    if current is None:
        return (
            continuity_services.assignment_start_responsible(
                actor=actor, child=child, caseworker=wanted
            ),
            CREATED,
        )
    under_way = Handover.objects.filter(child=child, status=HandoverStatus.IN_PROGRESS).first()
    if current.caseworker_id == wanted.pk:
        return current, UNCHANGED
    if under_way is not None:
        if under_way.to_caseworker_id == wanted.pk:
            return under_way, UNCHANGED
        raise ValidationError(
            _("A handover to another caseworker is already under way for this child.")
        )
    handover = continuity_services.handover_start(
        actor=actor,
        child=child,
        to_caseworker=wanted,
        overlap_until=overlap_until or timezone.localdate() + timedelta(DEFAULT_OVERLAP_DAYS),
    )
    return handover, "handover_started"


@dataclass
class RowResult:
    index: int
    record: object = None
    outcome: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)
    cpr_taken: bool = False  # refused (also) because the municipality has the CPR number


class _Rollback(Exception):
    pass


def error_pairs(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) for each message of a validation error; "" for the whole row."""
    if hasattr(error, "error_dict"):
        return [
            ("" if name == "__all__" else name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in error.messages]


def write_rows(
    rows: list[dict], write: Callable[[dict], tuple], *, dry_run: bool = False
) -> list[RowResult]:
    """Write every row, each in its own savepoint so that every refused row is named; if any
    row is refused (or this is a dry run) nothing at all is kept."""
    results = []
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                try:
                    with transaction.atomic():
                        record, outcome = write(row)
                    results.append(RowResult(index, record, outcome))
                except ValidationError as refused:
                    results.append(RowResult(index, errors=error_pairs(refused)))
            if dry_run or any(result.errors for result in results):
                raise _Rollback
    except _Rollback:
        pass
    return results


def children_upsert_batch(*, actor, rows: list[dict]) -> list[RowResult]:
    """`child_upsert` for many rows at once, all or nothing: the children already here are
    brought up to date one by one, the new ones are checked together and created in bulk
    (`children_create_many`). If any row is refused, nothing is written."""
    municipality = actor.municipality
    ids = [row["external_id"] for row in rows]
    existing = {
        child.external_id: child for child in children_visible_to(actor).filter(external_id__in=ids)
    }
    caseworkers = {
        user.username: user
        for user in User.objects.filter(
            username__in={row["caseworker"] for row in rows},
            municipality_id=actor.municipality_id,
            role__in=(Role.CASEWORKER, Role.TEAM_LEADER),
            is_active=True,
        )
    }
    new = [(index, row) for index, row in enumerate(rows) if row["external_id"] not in existing]
    digits, cpr_errors = {}, {}
    for index, row in new:
        try:
            digits[index] = parse_cpr(row["cpr"]).digits
        except ValidationError as refused:
            cpr_errors[index] = [("cpr", message) for _name, message in error_pairs(refused)]
    taken = set(
        Child.all_objects.filter(municipality=municipality, cpr__in=digits.values()).values_list(
            "cpr", flat=True
        )
    )
    removed = set(
        Child.all_objects.filter(
            municipality=municipality,
            external_id__in=[row["external_id"] for _index, row in new],
            removed_at__isnull=False,
        ).values_list("external_id", flat=True)
    )
    results = [RowResult(index) for index in range(len(rows))]
    seen_ids, seen_cprs = set(), set()
    for index, row in new:
        errors = results[index].errors
        if row["external_id"] in removed:
            errors.append(
                (
                    "",
                    _("This was removed in Stemme; it is not created again. Ask the municipality."),
                )
            )
        if index in cpr_errors:
            errors += cpr_errors[index]
        elif digits[index] in taken or digits[index] in seen_cprs:
            errors.append(("cpr", _("A child with this CPR number is already registered.")))
            results[index].cpr_taken = True
        if row["caseworker"] not in caseworkers:
            errors.append(("caseworker", _("There is no active caseworker with that name.")))
        if row["external_id"] in seen_ids:
            errors.append(("external_id", _("The same id stands twice in the batch.")))
        seen_ids.add(row["external_id"])
        seen_cprs.add(digits.get(index))
    if any(result.errors for result in results):
        return results
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                child = existing.get(row["external_id"])
                if child is None:
                    continue
                names = _names(
                    row["first_name"], row["last_name"], row["preferred_name"], row["languages"]
                )
                try:
                    with transaction.atomic():
                        results[index].outcome = _apply(child, names, actor=actor)
                    results[index].record = child
                except ValidationError as refused:
                    results[index].errors = error_pairs(refused)
            if any(result.errors for result in results):
                raise _Rollback
            created = case_services.children_create_many(
                actor=actor,
                municipality=municipality,
                rows=[{**row, "caseworker": caseworkers[row["caseworker"]]} for _i, row in new],
            )
    except _Rollback:
        return results
    for (index, _row), child in zip(new, created, strict=True):
        results[index].record, results[index].outcome = child, CREATED
    return results
