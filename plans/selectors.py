"""Reads: the child's wishes still without an answer, and complaints per team."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from continuity.models import AssignmentKind
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
    # From the caseworkers' current children to their complaints (one join, each side indexed),
    # never from every complaint in the country to its holder.
    rows = (
        Complaint.objects.filter(
            received_on__gte=since,
            child__assignments__caseworker_id__in=list(caseworker_ids),
            child__assignments__kind=AssignmentKind.RESPONSIBLE,
            child__assignments__ended_at__isnull=True,
        )
        .values("child__assignments__caseworker_id")
        .annotate(n=Count("pk"))
    )
    return {row["child__assignments__caseworker_id"]: row["n"] for row in rows}
