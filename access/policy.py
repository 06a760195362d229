"""The one place that decides who may see a child.

Every view of child data asks `child_for_request` (one child) or `children_visible_to` (lists).
A child the user may not see is answered exactly like a child that does not exist (404), so a
user of another municipality cannot even learn that the child exists. Every grant and every
refusal is written to the access log.
"""

from enum import Enum

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from audit.services import AccessAction, access_record
from cases.models import Child, ContributorLink
from continuity.models import CaseworkerAssignment


class Need(Enum):
    """What the caller is about to show."""

    CASE_RECORD = "case_record"  # the staff's view of the case: network, course, caseworkers
    LIFE_BOOK = "life_book"  # the child's life book, which linked contributors also see


def _with_open_assignment(**filters):
    # Children are found from the assignment side (indexed on caseworker and end), so the
    # check stays fast with 100,000 children.
    return CaseworkerAssignment.objects.filter(ended_at__isnull=True, **filters).values("child_id")


def children_visible_to(user, need: Need = Need.CASE_RECORD) -> QuerySet[Child]:
    """All children this user may see for this need; empty for everyone else."""
    none = Child.objects.none()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return none
    if user.municipality_id is None:
        return none
    in_municipality = Child.objects.filter(municipality_id=user.municipality_id)

    if user.role == Role.CONTRIBUTOR:
        if need is not Need.LIFE_BOOK:
            return none
        links = ContributorLink.objects.filter(user=user, ended_on__isnull=True)
        return in_municipality.filter(pk__in=links.values("child_id"))

    if user.role == Role.CASEWORKER:
        return in_municipality.filter(pk__in=_with_open_assignment(caseworker=user))
    if user.role == Role.TEAM_LEADER:
        own = in_municipality.filter(pk__in=_with_open_assignment(caseworker=user))
        if user.team_id is None:
            return own
        return in_municipality.filter(
            Q(pk__in=_with_open_assignment(caseworker__team_id=user.team_id))
            | Q(pk__in=_with_open_assignment(caseworker=user))
        )
    if user.role == Role.HEAD_OF_DEPARTMENT:
        return in_municipality
    # Administrators run the system and analysts see aggregated numbers only: no child data.
    return none


def child_for_request(
    request, child_id, *, need: Need = Need.CASE_RECORD, record: str = "child", purpose: str = ""
) -> Child:
    """The child if this user may see it (logged), otherwise 404 (logged as refused)."""
    try:
        child_pk = int(child_id)
    except (TypeError, ValueError):
        child_pk = None
    child = (
        children_visible_to(request.user, need)
        .select_related("municipality")
        .filter(pk=child_pk)
        .first()
        if child_pk is not None
        else None
    )
    if child is None:
        access_record(
            user=request.user,
            action=AccessAction.REFUSED,
            requested_child_id=child_pk,
            record=record,
            purpose=purpose,
            path=request.path,
        )
        raise Http404("No such child.")
    access_record(
        user=request.user,
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.VIEW,
        child=child,
        record=record,
        purpose=purpose,
        path=request.path,
    )
    return child


def may_manage_caseworkers(user, child: Child) -> bool:
    """Who may start or finish a handover: the child's caseworker, their leader, the head."""
    if user.role == Role.HEAD_OF_DEPARTMENT:
        return user.municipality_id == child.municipality_id
    if user.role == Role.TEAM_LEADER:
        return True  # visibility already limits a team leader to the team's children
    if user.role == Role.CASEWORKER:
        return CaseworkerAssignment.objects.filter(
            child=child, caseworker=user, kind="responsible", ended_at__isnull=True
        ).exists()
    return False


__all__ = ["Need", "child_for_request", "children_visible_to", "may_manage_caseworkers"]
