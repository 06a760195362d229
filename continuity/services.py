"""Writes for the fixed caseworker and handovers. Each is one transaction."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.models import Child
from continuity.models import AssignmentKind, CaseworkerAssignment, Handover, HandoverStatus
from core.services import save_recorded


def _check_caseworker(child: Child, caseworker) -> None:
    if (
        caseworker is None
        or caseworker.municipality_id != child.municipality_id
        or caseworker.role not in (Role.CASEWORKER, Role.TEAM_LEADER)
        or not caseworker.is_active
    ):
        raise ValidationError(
            {"to_caseworker": _("Choose an active caseworker in the child's municipality.")}
        )


def responsible_assignment(child: Child) -> CaseworkerAssignment | None:
    return (
        CaseworkerAssignment.objects.filter(
            child=child, kind=AssignmentKind.RESPONSIBLE, ended_at__isnull=True
        )
        .select_related("caseworker")
        .first()
    )


@transaction.atomic
def assignment_start_responsible(
    *, actor, child: Child, caseworker, at: datetime | None = None
) -> CaseworkerAssignment:
    """Make `caseworker` the child's fixed caseworker (the first one; later ones by handover)."""
    _check_caseworker(child, caseworker)
    if responsible_assignment(child) is not None:
        raise ValidationError(_("The child already has a fixed caseworker: use a handover."))
    return save_recorded(
        CaseworkerAssignment(
            child=child,
            caseworker=caseworker,
            kind=AssignmentKind.RESPONSIBLE,
            started_at=at or timezone.now(),
        ),
        actor=actor,
        validate=False,
    )


@transaction.atomic
def handover_start(
    *,
    actor,
    child: Child,
    to_caseworker,
    overlap_until: date,
    note: str = "",
    joint_meeting_at: datetime | None = None,
    joint_meeting_place: str = "",
) -> Handover:
    """Start a change of fixed caseworker; the new one is attached at once for the overlap."""
    current = responsible_assignment(child)
    if current is None:
        raise ValidationError(_("The child has no fixed caseworker to hand over from."))
    _check_caseworker(child, to_caseworker)
    if to_caseworker.pk == current.caseworker_id:
        raise ValidationError({"to_caseworker": _("Choose a different caseworker.")})
    now = timezone.now()
    if overlap_until < timezone.localdate():
        raise ValidationError({"overlap_until": _("The overlap cannot end in the past.")})
    if Handover.objects.filter(child=child, status=HandoverStatus.IN_PROGRESS).exists():
        raise ValidationError(_("A handover for this child is already under way."))
    handover = save_recorded(
        Handover(
            child=child,
            from_caseworker=current.caseworker,
            to_caseworker=to_caseworker,
            started_at=now,
            overlap_until=overlap_until,
            note=note,
            joint_meeting_at=joint_meeting_at,
            joint_meeting_place=joint_meeting_place,
            started_by=actor,
        ),
        actor=actor,
        validate=False,
    )
    save_recorded(
        CaseworkerAssignment(
            child=child,
            caseworker=to_caseworker,
            kind=AssignmentKind.OVERLAP,
            started_at=now,
            handover=handover,
        ),
        actor=actor,
        validate=False,
    )
    return handover


def _require_under_way(handover: Handover) -> None:
    if not handover.is_under_way:
        raise ValidationError(_("This handover is no longer under way."))


@transaction.atomic
def handover_update(
    *,
    actor,
    handover: Handover,
    note: str,
    joint_meeting_at: datetime | None,
    joint_meeting_place: str,
    child_informed_on: date | None,
    child_informed_how: str,
) -> Handover:
    """Record the note, the joint meeting and how the child was told about the new caseworker."""
    _require_under_way(handover)
    if child_informed_on and child_informed_on > timezone.localdate():
        raise ValidationError({"child_informed_on": _("The child cannot be told in the future.")})
    if child_informed_on and not child_informed_how.strip():
        raise ValidationError({"child_informed_how": _("Say how the child was told.")})
    handover.note = note
    handover.joint_meeting_at = joint_meeting_at
    handover.joint_meeting_place = joint_meeting_place
    handover.child_informed_on = child_informed_on
    handover.child_informed_how = child_informed_how
    return save_recorded(handover, actor=actor, validate=False)


def _end_open_assignments(handover: Handover, actor, at: datetime, *, include_responsible: bool):
    open_assignments = CaseworkerAssignment.objects.select_for_update().filter(
        child=handover.child, ended_at__isnull=True
    )
    for assignment in open_assignments:
        if assignment.kind == AssignmentKind.RESPONSIBLE and not include_responsible:
            continue
        if assignment.kind == AssignmentKind.OVERLAP and assignment.handover_id != handover.pk:
            continue
        assignment.ended_at = at
        save_recorded(assignment, actor=actor, validate=False)


@transaction.atomic
def handover_complete(*, actor, handover: Handover) -> CaseworkerAssignment:
    """The new caseworker becomes the fixed caseworker; the old one's period ends."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    _require_under_way(handover)
    missing = handover.missing_steps()
    if missing:
        raise ValidationError(_("Before completing: %(steps)s.") % {"steps": ", ".join(missing)})
    now = timezone.now()
    _end_open_assignments(handover, actor, now, include_responsible=True)
    assignment = save_recorded(
        CaseworkerAssignment(
            child=handover.child,
            caseworker=handover.to_caseworker,
            kind=AssignmentKind.RESPONSIBLE,
            started_at=now,
            handover=handover,
        ),
        actor=actor,
        validate=False,
    )
    handover.status = HandoverStatus.COMPLETED
    handover.finished_at = now
    save_recorded(handover, actor=actor, validate=False)
    return assignment


@transaction.atomic
def handover_cancel(*, actor, handover: Handover, reason: str) -> Handover:
    """Stop a handover; the current caseworker stays, the incoming one is detached."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    _require_under_way(handover)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for cancelling the handover.")})
    now = timezone.now()
    _end_open_assignments(handover, actor, now, include_responsible=False)
    handover.status = HandoverStatus.CANCELLED
    handover.finished_at = now
    return save_recorded(handover, actor=actor, reason=reason, validate=False)
