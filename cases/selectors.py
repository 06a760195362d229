"""Reads behind the caseworker's start page and the child's page. Each list is one query."""

from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import PLACEMENT_KINDS, Assessment, Case, Child, Decision, FollowUp, Measure
from continuity.models import AssignmentKind, CaseworkerAssignment, Handover, HandoverStatus


def my_children(user, visible: QuerySet[Child]) -> QuerySet[Child]:
    """The children this user is attached to as caseworker, with what the list shows."""
    today = timezone.localdate()
    own = CaseworkerAssignment.objects.filter(
        caseworker=user, ended_at__isnull=True, child=OuterRef("pk")
    )
    current_placement = Measure.objects.filter(
        case__child=OuterRef("pk"), kind__in=PLACEMENT_KINDS, started_on__lte=today
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    return (
        visible.filter(
            pk__in=CaseworkerAssignment.objects.filter(
                caseworker=user, ended_at__isnull=True
            ).values("child_id")
        )
        .annotate(
            my_assignment_kind=Subquery(own.values("kind")[:1]),
            placement_kind=Subquery(current_placement.order_by("-started_on").values("kind")[:1]),
            placement_place=Subquery(current_placement.order_by("-started_on").values("place")[:1]),
        )
        .order_by("first_name", "last_name")
    )


def due_for(children: QuerySet[Child]) -> dict:
    """Assessment deadlines and follow-ups due within the horizon or overdue, for these
    children, soonest first."""
    horizon = timezone.localdate() + timedelta(days=settings.STEMME_DUE_HORIZON_DAYS)
    child_ids = children.values("pk")
    assessments = (
        Assessment.objects.filter(
            case__child_id__in=child_ids, completed_on__isnull=True, deadline__lte=horizon
        )
        .select_related("case__child")
        .order_by("deadline")
    )
    follow_ups = (
        FollowUp.objects.filter(
            case__child_id__in=child_ids, held_on__isnull=True, due_on__lte=horizon
        )
        .select_related("case__child")
        .order_by("due_on")
    )
    return {"assessments": list(assessments), "follow_ups": list(follow_ups)}


def handovers_involving(user) -> QuerySet[Handover]:
    return (
        Handover.objects.filter(status=HandoverStatus.IN_PROGRESS)
        .filter(Q(to_caseworker=user) | Q(from_caseworker=user))
        .select_related("child", "from_caseworker", "to_caseworker")
        .order_by("overlap_until")
    )


def child_page_data(child: Child) -> dict:
    """Everything the child's page shows, in a fixed number of queries."""
    cases = list(
        Case.objects.filter(child=child).prefetch_related(
            "concern_reports",
            "assessments",
            "measures",
            Prefetch("decisions", queryset=Decision.objects.select_related("replaced_by")),
            "follow_ups",
        )
    )
    assignments = list(
        CaseworkerAssignment.objects.filter(child=child)
        .select_related("caseworker", "caseworker__team")
        .order_by("-started_at")
    )
    handovers = list(
        Handover.objects.filter(child=child).select_related("from_caseworker", "to_caseworker")
    )
    return {
        "network": list(child.network.all()),
        "cases": cases,
        "assignments": assignments,
        "responsible": next(
            (a for a in assignments if a.kind == AssignmentKind.RESPONSIBLE and a.ended_at is None),
            None,
        ),
        "handover_under_way": next((h for h in handovers if h.is_under_way), None),
        "handovers": handovers,
    }
