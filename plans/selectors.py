"""Reads: the child's wishes still without an answer, and complaints per team."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Decision, NetworkMember
from continuity.models import AssignmentKind
from conversations.models import Wish
from plans.models import Complaint, DecisionNotice, WishAnswer


@dataclass
class Party:
    """One party to a decision and when they were told (None: not yet)."""

    name: str
    is_child: bool
    notice: DecisionNotice | None

    @property
    def complaint_deadline(self):
        return self.notice.complaint_deadline() if self.notice else None


def decision_parties(decision: Decision) -> list[Party]:
    """The parties who have their own complaint deadline: the child from 10 (Barnets lov § 3)
    and each custody holder, each with their notice of the decision (retssikkerhedsloven § 67,
    stk. 1)."""
    notices = {
        notice.custody_holder_id: notice
        for notice in DecisionNotice.objects.filter(decision=decision).select_related(
            "custody_holder"
        )
    }
    parties = []
    if decision.child_is_party() or None in notices:
        parties.append(Party(str(_("The child")), True, notices.get(None)))
    holders = NetworkMember.objects.filter(child_id=decision.case.child_id, holds_custody=True)
    holder_ids = set()
    for holder in holders:
        holder_ids.add(holder.pk)
        parties.append(Party(holder.name, False, notices.get(holder.pk)))
    for holder_id, notice in notices.items():
        if holder_id is not None and holder_id not in holder_ids:
            parties.append(Party(notice.custody_holder.name, False, notice))
    return parties


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
