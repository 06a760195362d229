"""Reads for continuity: caseloads and caseworkers per child."""

from datetime import datetime, time

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from continuity.models import AssignmentKind, CaseworkerAssignment
from core.dates import months_back


def continuity_window_start(now: datetime | None = None) -> datetime:
    """The start of the continuity window ("the last 12 months"), as core.dates counts it for the
    insights too: local midnight of the same day STEMME_CONTINUITY_WINDOW_MONTHS months ago."""
    today = timezone.localdate(now or timezone.now())
    start = months_back(today, settings.STEMME_CONTINUITY_WINDOW_MONTHS)
    return timezone.make_aware(datetime.combine(start, time.min))


def caseworker_count(child, now: datetime | None = None) -> int:
    """Distinct fixed caseworkers the child has had over the continuity window (12 months)."""
    return (
        CaseworkerAssignment.objects.filter(child=child, kind=AssignmentKind.RESPONSIBLE)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=continuity_window_start(now)))
        .values("caseworker")
        .distinct()
        .count()
    )


def caseload(user) -> int:
    """Children for whom this user is the fixed caseworker now."""
    return CaseworkerAssignment.objects.filter(
        caseworker=user, kind=AssignmentKind.RESPONSIBLE, ended_at__isnull=True
    ).count()


def caseworkers_with_caseload(users: QuerySet[User]) -> QuerySet[User]:
    """Caseworkers annotated with `caseload`: the children they are fixed caseworker for now."""
    open_responsible = Q(
        assignments__kind=AssignmentKind.RESPONSIBLE,
        assignments__ended_at__isnull=True,
        assignments__removed_at__isnull=True,
    )
    return (
        users.filter(role__in=[Role.CASEWORKER, Role.TEAM_LEADER], is_active=True)
        .annotate(caseload=Count("assignments", filter=open_responsible, distinct=True))
        .order_by("-caseload", "first_name")
    )


def caseworker_counts_for_children(child_ids, now: datetime | None = None) -> dict[int, int]:
    """{child id: distinct fixed caseworkers in the window}, in one query."""
    rows = (
        CaseworkerAssignment.objects.filter(child_id__in=child_ids, kind=AssignmentKind.RESPONSIBLE)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=continuity_window_start(now)))
        .values("child_id")
        .annotate(n=Count("caseworker", distinct=True))
    )
    return {row["child_id"]: row["n"] for row in rows}
