"""The one place that decides who may see a child.

Every view of child data asks `child_for_request` (one child) or `children_visible_to` (lists);
both use the same grounds (`_grounds`). A child the user may not see is answered exactly like
a child that does not exist (404), so a user of another municipality cannot even learn that the
child exists. Staff of the child's own municipality who are not assigned may open the child by
stating a reason (break-glass, `BreakGlassRequired`). Every grant and every refusal is written
to the access log, with the basis on which the user could see the child.
"""

from enum import Enum

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from access.models import BreakGlassGrant
from accounts.models import Role
from audit.models import AccessAction, AccessBasis
from audit.services import access_record
from cases.models import Child, ContributorLink
from continuity.models import CaseworkerAssignment
from portal.models import PortalAccess


class Need(Enum):
    """What the caller is about to show."""

    CASE_RECORD = "case_record"  # the staff's view of the case: network, course, caseworkers
    LIFE_BOOK = "life_book"  # the child's life book, which linked contributors also see
    PORTAL = "portal"  # what the child sees of their own case in the portal


# Staff who may open an unassigned child of their own municipality by stating a reason.
BREAK_GLASS_ROLES = {Role.CASEWORKER, Role.TEAM_LEADER}


class BreakGlassRequired(Exception):
    """The user may open this child only by stating a reason (see access.views.break_glass)."""

    def __init__(self, child_id: int, next_path: str):
        super().__init__(child_id)
        self.child_id = child_id
        self.next_path = next_path


def _open_assignments(**filters) -> QuerySet:
    # Children are found from the assignment side (indexed on caseworker and end), so the
    # check stays fast with 100,000 children.
    return CaseworkerAssignment.objects.filter(ended_at__isnull=True, **filters).values("child_id")


def _grounds(user, need: Need) -> list[tuple[str, QuerySet | None]]:
    """Each basis on which this user may see children, with the ids it covers (None: all of
    the user's municipality)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.municipality_id is None:
        return []
    if user.role == Role.CHILD:
        if need is not Need.PORTAL:
            return []
        own = PortalAccess.objects.filter(user=user, revoked_at__isnull=True)
        return [(AccessBasis.OWN, own.values("child_id"))]
    if need is Need.PORTAL:
        return []  # the portal shows a child only their own case
    if user.role == Role.CASE_SYSTEM:
        # The municipality's case system files the case records of all its children.
        return [(AccessBasis.CASE_SYSTEM, None)] if need is Need.CASE_RECORD else []
    if user.role == Role.CONTRIBUTOR:
        if need is not Need.LIFE_BOOK:
            return []
        links = ContributorLink.objects.current().filter(user=user)
        return [(AccessBasis.CONTRIBUTOR, links.values("child_id"))]
    grants = BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
    assigned = (AccessBasis.ASSIGNED, _open_assignments(caseworker=user))
    break_glass = (AccessBasis.BREAK_GLASS, grants.values("child_id"))
    if user.role == Role.CASEWORKER:
        return [assigned, break_glass]
    if user.role == Role.TEAM_LEADER:
        if user.team_id is None:
            return [assigned, break_glass]
        return [
            assigned,
            (AccessBasis.TEAM, _open_assignments(caseworker__team_id=user.team_id)),
            break_glass,
        ]
    if user.role == Role.HEAD_OF_DEPARTMENT:
        return [assigned, (AccessBasis.DEPARTMENT, None)]
    # Administrators run the system and analysts see aggregated numbers only: no child data.
    return []


def children_visible_to(user, need: Need = Need.CASE_RECORD) -> QuerySet[Child]:
    """All children this user may see for this need; empty for everyone else."""
    grounds = _grounds(user, need)
    if not grounds:
        return Child.objects.none()
    in_municipality = Child.objects.filter(municipality_id=user.municipality_id)
    if any(ids is None for _basis, ids in grounds):
        return in_municipality
    condition = Q()
    for _basis, ids in grounds:
        condition |= Q(pk__in=ids)
    return in_municipality.filter(condition)


def _as_pk(child_id) -> int | None:
    try:
        return int(child_id)
    except (TypeError, ValueError):
        return None


def child_for_request(
    request, child_id, *, need: Need = Need.CASE_RECORD, record: str = "child"
) -> Child:
    """The child if this user may see it (logged with the basis), otherwise 404 (logged as
    refused), or BreakGlassRequired for unassigned staff of the child's municipality."""
    user = request.user
    child_pk = _as_pk(child_id)
    grounds = _grounds(user, need)
    child = None
    if child_pk is not None and grounds:
        flags = {
            f"via_{basis}": ExpressionWrapper(
                Q(pk__in=ids) if ids is not None else Value(True), output_field=BooleanField()
            )
            for basis, ids in grounds
        }
        child = (
            Child.objects.filter(pk=child_pk, municipality_id=user.municipality_id)
            .select_related("municipality")
            .annotate(**flags)
            .first()
        )
    basis = next((b for b, _ids in grounds if child and getattr(child, f"via_{b}")), None)
    if basis is None:
        access_record(
            user=user,
            action=AccessAction.REFUSED,
            requested_child_id=child_pk,
            record=record,
            path=request.path,
        )
        if child is not None and user.role in BREAK_GLASS_ROLES:
            raise BreakGlassRequired(child.pk, request.get_full_path())
        raise Http404("No such child.")
    purpose = ""
    if basis == AccessBasis.BREAK_GLASS:
        grant = (
            BreakGlassGrant.objects.filter(user=user, child=child, expires_at__gt=timezone.now())
            .order_by("-granted_at")
            .first()
        )
        purpose = grant.reason if grant else ""
    access_record(
        user=user,
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.VIEW,
        child=child,
        record=record,
        basis=basis,
        purpose=purpose,
        path=request.path,
    )
    return child


def own_child_for_portal(request, *, record: str = "portal") -> Child:
    """The signed-in child's own case, through the same check and log as every other read;
    404 for anyone who is not a child with an open portal access."""
    access = getattr(request.user, "portal_access", None) if request.user.is_authenticated else None
    child_id = access.child_id if access is not None else None
    return child_for_request(request, child_id, need=Need.PORTAL, record=record)


def break_glass_candidate(request, child_id) -> tuple[Child, bool]:
    """The child a staff member asks to open, and whether they may already see it: a child of
    their own municipality if their role may break the glass; otherwise 404, as for a missing
    child."""
    user = request.user
    child_pk = _as_pk(child_id)
    child = None
    if child_pk is not None:
        child = children_visible_to(user).filter(pk=child_pk).first()
    if child is not None:
        return child, True
    if (
        child is None
        and child_pk is not None
        and getattr(user, "is_authenticated", False)
        and user.role in BREAK_GLASS_ROLES
        and user.municipality_id is not None
    ):
        child = Child.objects.filter(pk=child_pk, municipality_id=user.municipality_id).first()
    if child is None:
        access_record(
            user=user,
            action=AccessAction.REFUSED,
            requested_child_id=child_pk,
            record="break_glass",
            path=request.path,
        )
        raise Http404("No such child.")
    return child, False


def may_manage_caseworkers(user, child: Child) -> bool:
    """Who may start or finish a handover: the child's caseworker, their leader, the head."""
    if user.role == Role.HEAD_OF_DEPARTMENT:
        return user.municipality_id == child.municipality_id
    if user.role == Role.TEAM_LEADER:
        return CaseworkerAssignment.objects.filter(
            child=child, ended_at__isnull=True, caseworker__team_id=user.team_id
        ).exists() or _responsible(user, child)
    if user.role == Role.CASEWORKER:
        return _responsible(user, child)
    return False


def _responsible(user, child: Child) -> bool:
    return CaseworkerAssignment.objects.filter(
        child=child, caseworker=user, kind="responsible", ended_at__isnull=True
    ).exists()
