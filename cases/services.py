"""Writes for children, their case's course and their network. Each is one transaction and
keeps who made the change (django-simple-history)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

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
from continuity.services import assignment_start_responsible
from core.services import record_remove, save_recorded

CPR_TAKEN = "cpr_taken"


def cpr_taken() -> ValidationError:
    """The refusal of a CPR number the municipality already has a child with (the API answers
    it with 409 Conflict, by its code)."""
    return ValidationError(
        {
            "cpr": ValidationError(
                _("A child with this CPR number is already registered."), code=CPR_TAKEN
            )
        }
    )


@transaction.atomic
def child_create(
    *,
    actor,
    municipality,
    cpr: str,
    first_name: str,
    last_name: str,
    caseworker,
    preferred_name: str = "",
    languages: str = "",
    cpr_is_fictitious: bool = False,
    opened_on: date | None = None,
    external_id: str = "",
) -> Child:
    """Register a child with an open case and a fixed caseworker from the first moment."""
    parsed = parse_cpr(cpr)
    if Child.all_objects.filter(municipality=municipality, cpr=parsed.digits).exists():
        raise cpr_taken()
    child = Child(
        municipality=municipality,
        cpr=parsed.digits,
        birth_date=parsed.birth_date,
        cpr_is_fictitious=cpr_is_fictitious,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_name=preferred_name.strip(),
        languages=languages.strip(),
        external_id=external_id,
    )
    try:
        save_recorded(child, actor=actor)
    except IntegrityError:
        raise cpr_taken() from None
    save_recorded(Case(child=child, opened_on=opened_on or timezone.localdate()), actor=actor)
    assignment_start_responsible(actor=actor, child=child, caseworker=caseworker)
    return child


def children_create_many(*, actor, municipality, rows: list[dict]) -> list[Child]:
    """Register many children at once, each as `child_create` does (an open case and the fixed
    caseworker from the first moment, every record with its history), in a few bulk queries.
    Each row has the keyword arguments of `child_create`, with `caseworker` an active caseworker
    of the municipality; the caller has checked the CPR numbers (`parse_cpr`) and that none is
    taken. The database's constraints still refuse a duplicate."""
    from continuity.models import AssignmentKind, CaseworkerAssignment

    now, today = timezone.now(), timezone.localdate()
    children = []
    for row in rows:
        parsed = parse_cpr(row["cpr"])
        children.append(
            Child(
                municipality=municipality,
                cpr=parsed.digits,
                birth_date=parsed.birth_date,
                cpr_is_fictitious=row.get("cpr_is_fictitious", False),
                first_name=row["first_name"].strip(),
                last_name=row["last_name"].strip(),
                preferred_name=row.get("preferred_name", "").strip(),
                languages=row.get("languages", "").strip(),
                external_id=row.get("external_id", ""),
            )
        )
    children = bulk_create_with_history(children, Child, default_user=actor)
    bulk_create_with_history(
        [Case(child=child, opened_on=today) for child in children], Case, default_user=actor
    )
    bulk_create_with_history(
        [
            CaseworkerAssignment(
                child=child,
                caseworker=row["caseworker"],
                kind=AssignmentKind.RESPONSIBLE,
                started_at=now,
            )
            for child, row in zip(children, rows, strict=True)
        ],
        CaseworkerAssignment,
        default_user=actor,
    )
    return children


def current_case(child: Child) -> Case:
    """The child's open case (a new one is opened if all are closed)."""
    case = child.cases.filter(closed_on__isnull=True).order_by("-opened_on").first()
    if case is None:
        raise ValidationError(_("The child has no open case."))
    return case


@transaction.atomic
def network_member_add(*, actor, child: Child, **fields) -> NetworkMember:
    return save_recorded(NetworkMember(child=child, **fields), actor=actor)


@transaction.atomic
def concern_report_add(*, actor, child: Child, case: Case | None = None, **fields) -> ConcernReport:
    return save_recorded(ConcernReport(case=case or current_case(child), **fields), actor=actor)


@transaction.atomic
def assessment_add(
    *,
    actor,
    child: Child,
    need_known_on: date,
    completed_on=None,
    case: Case | None = None,
    external_id: str = "",
) -> Assessment:
    """Start an assessment; its § 20 deadline is computed from when the need became known."""
    return save_recorded(
        Assessment(
            case=case or current_case(child),
            need_known_on=need_known_on,
            completed_on=completed_on,
            deadline=Assessment.deadline_for(need_known_on),
            external_id=external_id,
        ),
        actor=actor,
    )


@transaction.atomic
def measure_add(*, actor, child: Child, case: Case | None = None, **fields) -> Measure:
    measure = Measure(case=case or current_case(child), **fields)
    _check_measure_end(measure)
    return save_recorded(measure, actor=actor)


def _check_measure_end(measure: Measure) -> None:
    if measure.ended_on and measure.ended_on < measure.started_on:
        raise ValidationError({"ended_on": _("A measure cannot end before it starts.")})
    if measure.ended_on and not measure.end_kind:
        raise ValidationError({"end_kind": _("Say whether the end was planned or unplanned.")})
    if measure.end_kind and not measure.ended_on:
        measure.end_kind = ""


@transaction.atomic
def decision_add(*, actor, child: Child, case: Case | None = None, **fields) -> Decision:
    return save_recorded(Decision(case=case or current_case(child), **fields), actor=actor)


@transaction.atomic
def follow_up_add(*, actor, child: Child, case: Case | None = None, **fields) -> FollowUp:
    return save_recorded(FollowUp(case=case or current_case(child), **fields), actor=actor)


@transaction.atomic
def case_close(*, actor, child: Child, closed_on: date, closing_note: str) -> Case:
    case = current_case(child)
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    if not closing_note.strip():
        raise ValidationError({"closing_note": _("Say why the case is closed.")})
    case.closed_on = closed_on
    case.closing_note = closing_note
    return save_recorded(case, actor=actor)


def require_draft_decision(decision: Decision) -> None:
    """A final decision stays final on every path — forms, the API, the bulk import, the admin
    all write through the services that call this. The database is asked, not the object in
    hand, so a page loaded before the decision was made final cannot change it either."""
    if (
        decision.pk
        and Decision.all_objects.filter(pk=decision.pk, finalised_at__isnull=False).exists()
    ):
        raise ValidationError(
            _(
                "A final decision cannot be changed. Correct it with a new decision that "
                "replaces it (on the decision's page)."
            )
        )


@transaction.atomic
def course_entry_update(*, actor, entry, **fields):
    """Change an entry of the case's course (for example: the assessment was completed)."""
    if isinstance(entry, Decision):
        require_draft_decision(entry)
    for name, value in fields.items():
        setattr(entry, name, value)
    if isinstance(entry, Assessment):
        entry.deadline = Assessment.deadline_for(entry.need_known_on)
    if isinstance(entry, Measure):
        _check_measure_end(entry)
        _end_placement_links(actor=actor, measure=entry)
    return save_recorded(entry, actor=actor)


@transaction.atomic
def course_entry_remove(*, actor, entry, reason: str):
    """Remove an entry of the case's course with a reason (it is kept); a final decision is
    not removed but replaced by a correction."""
    if isinstance(entry, Decision):
        require_draft_decision(entry)
    return record_remove(record=entry, actor=actor, reason=reason)


def _end_placement_links(*, actor, measure: Measure) -> None:
    """When a placement ends, the carers linked for it lose access to the child's life book on
    the same day; everything they added stays in the book, and the new home is linked anew."""
    if not measure.ended_on:
        return
    for link in measure.contributor_links.current():
        link.ended_on = max(measure.ended_on + timedelta(days=1), link.started_on)
        save_recorded(link, actor=actor)


@transaction.atomic
def network_member_update(*, actor, member: NetworkMember, **fields) -> NetworkMember:
    for name, value in fields.items():
        setattr(member, name, value)
    return save_recorded(member, actor=actor)
