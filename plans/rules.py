"""When the child's plan is due (settings carry the figures; laws change).

- Barnets lov § 91: within 3 months of the decision on a measure; mandatory for placements.
- Barnets lov § 91, stk. 2 (with § 47): before the decision for a placement without consent.
- Barnets lov § 108: from 16 the plan is an ungeplan (youth plan).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from cases.models import PLACEMENT_KINDS, Decision
from core import law
from plans.models import ChildPlan, PlanKind


def plan_kind_for_age(age: int) -> str:
    return PlanKind.YOUTH if age >= settings.STEMME_YOUTH_PLAN_AGE else PlanKind.CHILD


@dataclass
class PlanDue:
    child_id: int
    decision_id: int
    due_on: date
    mandatory: bool
    reference: str
    about: str

    @property
    def is_overdue(self) -> bool:
        return self.due_on < timezone.localdate()


def plans_due(child_ids, today: date | None = None) -> dict[int, list[PlanDue]]:
    """{child id: decisions on a measure still waiting for an adopted plan}."""
    today = today or timezone.localdate()
    lookback = today - timedelta(days=settings.STEMME_DUE_LOOKBACK_DAYS)
    adopted = defaultdict(list)
    for plan in ChildPlan.objects.filter(child_id__in=child_ids, adopted_on__isnull=False).values(
        "child_id", "decision_id", "adopted_on"
    ):
        adopted[plan["child_id"]].append(plan)
    due = defaultdict(list)
    for decision in Decision.objects.filter(
        case__child_id__in=child_ids, measure__isnull=False, decided_on__gte=lookback
    ).values(
        "pk",
        "case__child_id",
        "decided_on",
        "without_consent",
        "plan_due",
        "measure__kind",
        "subject",
    ):
        child_id = decision["case__child_id"]
        met = any(
            p["decision_id"] == decision["pk"] or p["adopted_on"] >= decision["decided_on"]
            for p in adopted[child_id]
        )
        if met:
            continue
        placement = decision["measure__kind"] in PLACEMENT_KINDS
        due[child_id].append(
            PlanDue(
                child_id=child_id,
                decision_id=decision["pk"],
                due_on=decision["plan_due"],
                mandatory=placement,
                reference=str(
                    law.PLAN_BEFORE_PLACEMENT_WITHOUT_CONSENT
                    if decision["without_consent"]
                    else law.PLAN_DUE
                ),
                about=decision["subject"],
            )
        )
    return dict(due)
