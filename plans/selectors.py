"""Reads: the child's wishes still without an answer, and complaints per team."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from continuity.models import AssignmentKind, CaseworkerAssignment
from conversations.models import Wish
from plans.models import Complaint, WishAnswer


def open_wishes(child) -> QuerySet[Wish]:
    """The child's wishes that no decision, measure or answer has met yet."""
    answered = WishAnswer.objects.filter(wish=OuterRef("pk"))
    return (
        Wish.objects.filter(child=child)
        .filter(~Exists(answered))
        .select_related("conversation")
        .order_by("created_at")
    )


def complaints_per_caseworker(caseworker_ids, days: int = 365) -> dict[int, int]:
    """{caseworker id: complaints received in the period about the children they hold}."""
    since = timezone.localdate() - timedelta(days=days)
    holders = CaseworkerAssignment.objects.filter(
        child_id=OuterRef("child_id"),
        kind=AssignmentKind.RESPONSIBLE,
        ended_at__isnull=True,
    ).values("caseworker_id")[:1]
    rows = (
        Complaint.objects.filter(received_on__gte=since)
        .annotate(holder=Subquery(holders))
        .filter(holder__in=list(caseworker_ids))
        .values("holder")
        .annotate(n=Count("pk"))
    )
    return {row["holder"]: row["n"] for row in rows}
