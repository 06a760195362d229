"""The indicators of whether children are heard, each defined once: what is counted (the
denominator), what counts as met (the numerator), the definition shown next to the number, and
where the rule comes from.

Every indicator is one aggregate query over the records it counts, grouped in the database by
the unit asked for (the fixed caseworker now, their team, or the month), so a dashboard costs
the same number of queries for 60 children as for 100,000.

Compliance follows how the national appeals board's audits (Børnesagsbarometret) count; the
outcomes are the seven of the Bedre Børneinddragelse evaluation (Børns Vilkår 2014-2018).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Avg,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Municipality, Role, User
from cases.models import (
    PLACEMENT_KINDS,
    Assessment,
    ContributorLink,
    Decision,
    EndKind,
    FollowUp,
    Measure,
)
from continuity.models import AssignmentKind, CaseworkerAssignment, Handover, HandoverStatus
from conversations.models import Conversation, ConversationKind, ConversationStatus, Wish
from conversations.rules import decision_heard_before, supervision_due_on
from core import law
from core.dates import months_back
from feedback.models import FeedbackResponse, ItemAnswer, Outcome, Respondent
from insights.models import SelfAssessment
from lifebook.models import Entry
from plans.models import ChildPlan, Complaint, WishAnswer


class Group:
    COMPLIANCE = "compliance"
    EXPERIENCE = "experience"
    OUTCOMES = "outcomes"
    WORKLOAD = "workload"


GROUP_NAMES = {
    Group.COMPLIANCE: _("Compliance with the law"),
    Group.EXPERIENCE: _("The children's experience"),
    Group.OUTCOMES: _("The seven outcomes of Bedre Børneinddragelse"),
    Group.WORKLOAD: _("Workload and stability"),
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def contains(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


@dataclass(frozen=True)
class Population:
    """Whom an indicator counts: children (a queryset of their pks), the caseworkers (a
    queryset of their pks) and the municipalities (their ids)."""

    children: QuerySet
    staff: QuerySet
    municipalities: tuple[int, ...]


@dataclass
class Figure:
    """One indicator for one unit: `met` of `counted`, or an average over `counted`;
    `people` is how many children (or caseworkers) stand behind it, for small-cell
    suppression."""

    counted: int
    met: Decimal | int | None
    people: int | None = None
    suppressed: bool = False

    def is_small(self, minimum: int) -> bool:
        """Too few people behind it to show outside the municipality without identifying
        anyone."""
        return 0 < (self.counted if self.people is None else self.people) < minimum

    @property
    def share(self) -> float | None:
        if self.suppressed or not self.counted or self.met is None:
            return None
        return round(100 * float(self.met) / self.counted, 1)

    def value(self, kind: str):
        """The number shown: per cent for a share, the average (0-10) or ratio itself, or
        the count."""
        if self.suppressed:
            return None
        if kind == "share":
            return self.share
        if kind == "count":
            return self.counted
        return None if self.met is None else float(self.met)


def suppress(figures: list[Figure], minimum: int) -> None:
    """Hide every figure that fewer than `minimum` people stand behind — and, when only one
    of a breakdown is hidden, the next smallest too, so it cannot be found by subtracting the
    others from the total."""
    small = [figure for figure in figures if figure.is_small(minimum)]
    for figure in small:
        figure.suppressed = True
    if len(small) == 1:
        shown = [f for f in figures if not f.suppressed and f.counted]
        if shown:
            min(shown, key=lambda f: f.counted if f.people is None else f.people).suppressed = True


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    name: str
    definition: str
    reference: str
    kind: str  # "share" (per cent), "average" (0-10), "ratio", "count"
    figures: Callable  # (population, period, unit) -> {unit value: Figure}
    # Measured at the end of the period (a caseload, a score): not split month by month.
    snapshot: bool = False


def _holder(child_ref: str) -> Subquery:
    """The child's fixed caseworker now."""
    return Subquery(
        CaseworkerAssignment.objects.filter(
            child_id=OuterRef(child_ref), kind=AssignmentKind.RESPONSIBLE, ended_at__isnull=True
        ).values("caseworker_id")[:1]
    )


def _holder_team(child_ref: str) -> Subquery:
    return Subquery(
        CaseworkerAssignment.objects.filter(
            child_id=OuterRef(child_ref), kind=AssignmentKind.RESPONSIBLE, ended_at__isnull=True
        ).values("caseworker__team_id")[:1]
    )


def _child_municipality(child_ref: str) -> F:
    return F(child_ref.removesuffix("_id") + "__municipality_id")


UNIT_EXPRESSIONS = {
    "caseworker": _holder,
    "team": _holder_team,
    "municipality": _child_municipality,
}


def _grouped(rows: QuerySet, child_ref: str, unit: str, month_field: str, **aggregates) -> dict:
    """Aggregate `rows` for all of them (key None), per unit, or per month of `month_field`."""
    if unit == "all":
        return {None: rows.aggregate(**aggregates)}
    if unit == "month":
        expression = TruncMonth(month_field, output_field=DateField())
    else:
        expression = UNIT_EXPRESSIONS[unit](child_ref)
    return {
        row.pop("unit"): row
        for row in rows.annotate(unit=expression).values("unit").annotate(**aggregates)
    }


def share(
    model_rows: Callable,
    child_ref: str,
    met: Callable,
    month_field: str,
) -> Callable:
    """An indicator counting records (`model_rows(period)`) and those that `met`."""

    def figures(population: Population, period: Period, unit: str) -> dict:
        rows = model_rows(period).filter(**{f"{child_ref}__in": population.children})
        found = _grouped(
            rows,
            child_ref,
            unit,
            month_field,
            counted=Count("pk", distinct=True),
            met=Count("pk", filter=met(period), distinct=True),
            people=Count(child_ref, distinct=True),
        )
        return {
            key: Figure(row["counted"], row["met"], row["people"]) for key, row in found.items()
        }

    return figures


def average(outcomes: tuple[str, ...]) -> Callable:
    """The average of the child's answers (0-10) to the questions about these outcomes."""

    def figures(population: Population, period: Period, unit: str) -> dict:
        rows = ItemAnswer.objects.filter(
            item__outcome__in=outcomes,
            value__isnull=False,
            response__respondent=Respondent.CHILD,
            response__completed_at__date__gte=period.start,
            response__completed_at__date__lte=period.end,
            response__child_id__in=population.children,
        )
        found = _grouped(
            rows,
            "response__child_id",
            unit,
            "response__completed_at",
            counted=Count("pk"),
            met=Avg("normalized"),
            people=Count("response__child_id", distinct=True),
        )
        return {
            key: Figure(
                row["counted"],
                round(Decimal(row["met"] or 0), 1) if row["counted"] else None,
                row["people"],
            )
            for key, row in found.items()
        }

    return figures


def _local_day(field: str):
    return TruncDate(field, tzinfo=ZoneInfo(settings.TIME_ZONE))


# --- Compliance -----------------------------------------------------------------------------


def _final_decisions(period):
    return Decision.objects.filter(period.contains("decided_on"), finalised_at__isnull=False)


def _heard_before(period) -> Q:
    """Barnets lov § 5: the one rule of conversations.rules.conversations_heard_before."""
    return Q(decision_heard_before())


def _assessments(period):
    return Assessment.objects.filter(period.contains("completed_on"))


def _supervision_kept(population: Population, period: Period, unit: str) -> dict:
    """Barnets lov § 156, stk. 5, by conversations.rules.supervision_due_on — the rule the
    due-lists use: placements open at the end of the period whose first visit was due by then,
    and those with no visit overdue at the end."""
    end = period.end
    placements = list(
        Measure.objects.filter(
            kind__in=PLACEMENT_KINDS,
            case__child_id__in=population.children,
            started_on__lte=end,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        .values("pk", "case__child_id", "started_on")
    )
    visits: dict[int, list[date]] = {}
    for child_id, day in (
        Conversation.objects.filter(
            child_id__in={p["case__child_id"] for p in placements},
            kind=ConversationKind.SUPERVISION,
            status=ConversationStatus.HELD,
        )
        .annotate(day=_local_day("held_at"))
        .filter(day__lte=end)
        .values_list("child_id", "day")
    ):
        visits.setdefault(child_id, []).append(day)
    counted, met = [], []
    for placement in placements:
        started = placement["started_on"]
        if supervision_due_on(started_on=started, visits=[], on=end) > end:
            continue  # no visit was due yet
        counted.append(placement["pk"])
        due = supervision_due_on(
            started_on=started, visits=visits.get(placement["case__child_id"], []), on=end
        )
        if due >= end:
            met.append(placement["pk"])
    found = _grouped(
        Measure.objects.filter(pk__in=counted),
        "case__child_id",
        unit,
        "started_on",
        counted=Count("pk"),
        met=Count("pk", filter=Q(pk__in=met)),
        people=Count("case__child_id", distinct=True),
    )
    return {key: Figure(r["counted"], r["met"], r["people"]) for key, r in found.items()}


def _measures_due_follow_up(period):
    """Measures whose first follow-up fell due in the period (and by today), unless the measure
    had ended before it was due."""
    end = min(period.end, timezone.localdate())
    return Measure.objects.filter(
        first_follow_up_due__gte=period.start, first_follow_up_due__lte=end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=F("first_follow_up_due")))


def _followed_up_in_time(period) -> Q:
    """Barnets lov §§ 95-96, as conversations.rules: a follow-up conversation held (or not held
    for a recorded reason) for the measure, or a follow-up conversation after it started, on or
    before the due day — or a follow-up recorded as held in that time."""
    done = (ConversationStatus.HELD, ConversationStatus.NOT_HELD)
    conversation = (
        Conversation.objects.filter(child_id=OuterRef("case__child_id"), status__in=done)
        .filter(Q(measure_id=OuterRef("pk")) | Q(kind=ConversationKind.FOLLOW_UP))
        .annotate(day=_local_day(Coalesce("held_at", "planned_at")))
        .filter(day__gte=OuterRef("started_on"), day__lte=OuterRef("first_follow_up_due"))
    )
    recorded = FollowUp.objects.filter(
        case_id=OuterRef("case_id"),
        held_on__gte=OuterRef("started_on"),
        held_on__lte=OuterRef("first_follow_up_due"),
    )
    return Q(Exists(conversation)) | Q(Exists(recorded))


def _placements_due_plan(period):
    """Final decisions on a placement whose plan fell due in the period (and by today)."""
    end = min(period.end, timezone.localdate())
    return Decision.objects.filter(
        finalised_at__isnull=False,
        measure__kind__in=PLACEMENT_KINDS,
        plan_due__gte=period.start,
        plan_due__lte=end,
    )


def _plan_in_time(period) -> Q:
    """Barnets lov § 91, as plans.rules: a plan adopted by the due day, for this decision or
    adopted on or after it."""
    plans = ChildPlan.objects.filter(
        child_id=OuterRef("case__child_id"),
        adopted_on__isnull=False,
        adopted_on__lte=OuterRef("plan_due"),
    ).filter(Q(decision_id=OuterRef("pk")) | Q(adopted_on__gte=OuterRef("decided_on")))
    return Q(Exists(plans))


# --- The children's experience and the outcomes ----------------------------------------------


def _held_meetings(period):
    return Conversation.objects.filter(
        status=ConversationStatus.HELD,
        held_at__date__gte=period.start,
        held_at__date__lte=period.end,
    ).exclude(kind=ConversationKind.INFORMAL)


def _with_feedback(period) -> Q:
    answered = FeedbackResponse.objects.filter(
        request__conversation_id=OuterRef("pk"),
        respondent=Respondent.CHILD,
        completed_at__isnull=False,
    )
    return Q(Exists(answered))


def _told(period) -> Q:
    return Q(child_told_on__isnull=False) & ~Q(explanation_for_child="")


def _view_weighed(period) -> Q:
    return ~Q(childs_view="") & ~Q(how_weighed="")


def _wishes(period):
    return Wish.objects.filter(created_at__date__gte=period.start, created_at__date__lte=period.end)


def _answered(period) -> Q:
    return Q(Exists(WishAnswer.objects.filter(wish_id=OuterRef("pk"))))


def _plans_responded(period):
    return ChildPlan.objects.filter(period.contains("adopted_on"), child_agrees__isnull=False)


def _agrees(period) -> Q:
    return Q(child_agrees=True)


def _handovers(period):
    return Handover.objects.filter(
        status=HandoverStatus.COMPLETED,
        finished_at__date__gte=period.start,
        finished_at__date__lte=period.end,
    )


def _joint_meeting(period) -> Q:
    return Q(joint_meeting_at__isnull=False)


def _caseworkers_per_child(population: Population, period: Period, unit: str) -> dict:
    """Distinct fixed caseworkers per child over the continuity window (the last 12 months) up
    to the end of the period, as continuity.selectors counts them for the child's page."""
    window_start = months_back(period.end, settings.STEMME_CONTINUITY_WINDOW_MONTHS)
    rows = CaseworkerAssignment.objects.filter(
        child_id__in=population.children,
        kind=AssignmentKind.RESPONSIBLE,
        started_at__date__lte=period.end,
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=window_start))
    found = _grouped(
        rows,
        "child_id",
        unit,
        "started_at",
        counted=Count("child_id", distinct=True),
        pairs=Count(
            Concat("child_id", Value("-"), "caseworker_id", output_field=CharField()), distinct=True
        ),
    )
    return {
        key: Figure(
            row["counted"],
            round(Decimal(row["pairs"]) / row["counted"], 2) if row["counted"] else None,
            row["counted"],
        )
        for key, row in found.items()
    }


NO_PEOPLE = 0  # a figure about the organisation: no child or caseworker can be identified


def _self_assessment(population: Population, period: Period, unit: str) -> dict:
    """The municipality's latest self-assessment score (0-100) in the period, averaged over the
    municipalities counted; month by month, each month's rounds."""
    rounds = SelfAssessment.objects.filter(municipality_id__in=population.municipalities).filter(
        period.contains("carried_out_on")
    )
    if unit in ("caseworker", "team"):
        return {}
    if unit == "month":
        found = (
            rounds.annotate(unit=TruncMonth("carried_out_on", output_field=DateField()))
            .values("unit")
            .annotate(counted=Count("pk"), met=Avg("score"))
        )
        return {row["unit"]: Figure(row["counted"], round(Decimal(row["met"]), 1)) for row in found}
    latest, counted = {}, {}
    for row in rounds.order_by("carried_out_on", "pk").values("municipality_id", "score"):
        latest[row["municipality_id"]] = row["score"]
        counted[row["municipality_id"]] = counted.get(row["municipality_id"], 0) + 1
    if unit == "municipality":
        return {
            key: Figure(counted[key], Decimal(score), NO_PEOPLE) for key, score in latest.items()
        }
    if not latest:
        return {None: Figure(0, None)}
    average = round(Decimal(sum(latest.values())) / len(latest), 1)
    return {None: Figure(sum(counted.values()), average, NO_PEOPLE)}


# --- Workload ---------------------------------------------------------------------------------


def _complaints(period):
    return Complaint.objects.filter(period.contains("received_on"))


def _placements_ended(period):
    return Measure.objects.filter(kind__in=PLACEMENT_KINDS).filter(period.contains("ended_on"))


def _broke_down(period) -> Q:
    return Q(end_kind=EndKind.UNPLANNED)


def _everything(period) -> Q:
    return Q(pk__isnull=False)


def _caseloads(population: Population, period: Period) -> list[dict]:
    """Each caseworker's number of children held as fixed caseworker at the end of the
    period."""
    end = period.end
    return list(
        CaseworkerAssignment.objects.filter(
            caseworker_id__in=population.staff,
            kind=AssignmentKind.RESPONSIBLE,
            started_at__date__lte=end,
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=end))
        .values("caseworker_id", "caseworker__team_id", "caseworker__municipality_id")
        .annotate(children=Count("child_id", distinct=True))
    )


STAFF_UNITS = {
    "all": None,
    "caseworker": "caseworker_id",
    "team": "caseworker__team_id",
    "municipality": "caseworker__municipality_id",
}


def _by_staff_unit(rows: list[dict], unit: str) -> dict:
    groups: dict = {}
    field = STAFF_UNITS.get(unit)
    if unit not in STAFF_UNITS:
        return {}
    for row in rows:
        groups.setdefault(row[field] if field else None, []).append(row)
    return groups


def _caseload(population: Population, period: Period, unit: str) -> dict:
    """Children per caseworker: `counted` children, the value the average per caseworker."""
    return {
        key: Figure(
            sum(r["children"] for r in rows),
            round(Decimal(sum(r["children"] for r in rows)) / len(rows), 1),
            len(rows),
        )
        for key, rows in _by_staff_unit(_caseloads(population, period), unit).items()
    }


def _over_threshold(population: Population, period: Period, unit: str) -> dict:
    """Caseworkers holding more children than their municipality's caseload threshold."""
    thresholds = {
        m.pk: m.effective_caseload_threshold()
        for m in Municipality.objects.filter(pk__in=population.municipalities)
    }
    return {
        key: Figure(
            len(rows),
            sum(
                1
                for r in rows
                if r["children"] > thresholds.get(r["caseworker__municipality_id"], 10**6)
            ),
            len(rows),
        )
        for key, rows in _by_staff_unit(_caseloads(population, period), unit).items()
    }


def _turnover(population: Population, period: Period, unit: str) -> dict:
    """Caseworkers employed during the period, and how many of them left in it."""
    if unit == "month":
        return {}
    staff = User.objects.filter(
        pk__in=population.staff, role=Role.CASEWORKER, date_joined__date__lte=period.end
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))
    aggregates = {
        "counted": Count("pk"),
        "met": Count("pk", filter=Q(left_on__lte=period.end)),
    }
    if unit == "all":
        found = {None: staff.aggregate(**aggregates)}
    else:
        field = {"caseworker": "pk", "team": "team_id", "municipality": "municipality_id"}[unit]
        found = {
            row.pop("unit"): row
            for row in staff.annotate(unit=F(field)).values("unit").annotate(**aggregates)
        }
    return {key: Figure(row["counted"], row["met"], row["counted"]) for key, row in found.items()}


def _lifebook_overdue(population: Population, period: Period, unit: str) -> dict:
    """Contributors obliged to write in a child's life book (a cadence for their role) whose
    next entry was overdue at the end of the period, as lifebook.services.contributors_behind
    counts them."""
    if unit == "month":
        return {}
    end = period.end
    cadences = {role: days for role, days in settings.STEMME_LIFEBOOK_CADENCE_DAYS.items() if days}
    last_entry = Subquery(
        Entry.objects.filter(
            child_id=OuterRef("child_id"), author_id=OuterRef("user_id"), created_at__date__lte=end
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    links = (
        ContributorLink.objects.filter(
            child_id__in=population.children, role__in=cadences, started_on__lte=end
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        .annotate(since=Coalesce(_local_day(last_entry), "started_on"))
    )
    behind = Q()
    for role, days in cadences.items():
        behind |= Q(role=role, since__lt=end - timedelta(days=days))
    found = _grouped(
        links,
        "child_id",
        unit,
        "started_on",
        counted=Count("pk"),
        met=Count("pk", filter=behind),
        people=Count("child_id", distinct=True),
    )
    return {key: Figure(r["counted"], r["met"], r["people"]) for key, r in found.items()}


def _shown(render: Callable[[], str]):
    """A label rendered each time it is shown, so a figure in it is the setting's figure now."""
    return lazy(render, str)()


def _months(setting: str) -> int:
    return getattr(settings, setting)


def _assessments_on_time_name() -> str:
    return ngettext(
        "Assessments finished within %(n)d month",
        "Assessments finished within %(n)d months",
        _months("STEMME_ASSESSMENT_DEADLINE_MONTHS"),
    ) % {"n": _months("STEMME_ASSESSMENT_DEADLINE_MONTHS")}


def _assessments_on_time_definition() -> str:
    return ngettext(
        "Child-professional assessments finished in the period on or before their "
        "deadline, %(n)d month after the need became known.",
        "Child-professional assessments finished in the period on or before their "
        "deadline, %(n)d months after the need became known.",
        _months("STEMME_ASSESSMENT_DEADLINE_MONTHS"),
    ) % {"n": _months("STEMME_ASSESSMENT_DEADLINE_MONTHS")}


def _follow_up_on_time_name() -> str:
    return ngettext(
        "First follow-up within %(n)d month",
        "First follow-up within %(n)d months",
        _months("STEMME_FIRST_FOLLOW_UP_MONTHS"),
    ) % {"n": _months("STEMME_FIRST_FOLLOW_UP_MONTHS")}


def _follow_up_on_time_definition() -> str:
    return ngettext(
        "Measures whose first follow-up fell due in the period, where a follow-up "
        "conversation was held (or not held for a recorded reason) or a follow-up was "
        "recorded as held between the start of the measure and the due day, %(n)d month "
        "after it started.",
        "Measures whose first follow-up fell due in the period, where a follow-up "
        "conversation was held (or not held for a recorded reason) or a follow-up was "
        "recorded as held between the start of the measure and the due day, %(n)d months "
        "after it started.",
        _months("STEMME_FIRST_FOLLOW_UP_MONTHS"),
    ) % {"n": _months("STEMME_FIRST_FOLLOW_UP_MONTHS")}


def _plans_on_time_name() -> str:
    return ngettext(
        "Plans within %(n)d month",
        "Plans within %(n)d months",
        _months("STEMME_PLAN_DEADLINE_MONTHS"),
    ) % {"n": _months("STEMME_PLAN_DEADLINE_MONTHS")}


def _plans_on_time_definition() -> str:
    return ngettext(
        "Final decisions on a placement whose plan fell due in the period, where the "
        "child's plan was adopted by the due day: %(n)d month after the decision, or "
        "before it for a placement without consent.",
        "Final decisions on a placement whose plan fell due in the period, where the "
        "child's plan was adopted by the due day: %(n)d months after the decision, or "
        "before it for a placement without consent.",
        _months("STEMME_PLAN_DEADLINE_MONTHS"),
    ) % {"n": _months("STEMME_PLAN_DEADLINE_MONTHS")}


def _supervision_twice_name() -> str:
    return ngettext(
        "Placements with their supervision visit held in time (%(n)d in every %(months)d months)",
        "Placements with their supervision visits held in time (%(n)d in every %(months)d months)",
        _months("STEMME_SUPERVISION_VISITS"),
    ) % {
        "n": _months("STEMME_SUPERVISION_VISITS"),
        "months": _months("STEMME_SUPERVISION_WINDOW_MONTHS"),
    }


def _supervision_twice_definition() -> str:
    return ngettext(
        "Placements open at the end of the period whose first supervision visit was due "
        "by then, where no visit was overdue: %(n)d visit with a conversation held in "
        "the last %(months)d months (pro rata from the start of the placement while it "
        "is younger), the same rule as the due-lists.",
        "Placements open at the end of the period whose first supervision visit was due "
        "by then, where no visit was overdue: %(n)d visits with a conversation held in "
        "the last %(months)d months (pro rata from the start of the placement while it "
        "is younger), the same rule as the due-lists.",
        _months("STEMME_SUPERVISION_VISITS"),
    ) % {
        "n": _months("STEMME_SUPERVISION_VISITS"),
        "months": _months("STEMME_SUPERVISION_WINDOW_MONTHS"),
    }


def _caseworkers_per_child_name() -> str:
    return ngettext(
        "5. Continuity: fixed caseworkers per child in the last %(n)d month",
        "5. Continuity: fixed caseworkers per child in the last %(n)d months",
        _months("STEMME_CONTINUITY_WINDOW_MONTHS"),
    ) % {"n": _months("STEMME_CONTINUITY_WINDOW_MONTHS")}


def _caseworkers_per_child_definition() -> str:
    return ngettext(
        "Distinct fixed caseworkers per child over the last %(n)d month up to the end of "
        "the period (1 is best).",
        "Distinct fixed caseworkers per child over the last %(n)d months up to the end of "
        "the period (1 is best).",
        _months("STEMME_CONTINUITY_WINDOW_MONTHS"),
    ) % {"n": _months("STEMME_CONTINUITY_WINDOW_MONTHS")}


INDICATORS = [
    Indicator(
        "decisions_heard",
        Group.COMPLIANCE,
        _("Decisions preceded by a conversation"),
        _(
            "Decisions made final in the period where a conversation with the child was held "
            "before (linked to the decision, or a conversation before a decision within the "
            "window), or not held for a lawful reason that was recorded."
        ),
        str(law.CHILD_VIEW_BEFORE_DECISION),
        "share",
        share(_final_decisions, "case__child_id", _heard_before, "decided_on"),
    ),
    Indicator(
        "assessments_on_time",
        Group.COMPLIANCE,
        _shown(_assessments_on_time_name),
        _shown(_assessments_on_time_definition),
        str(law.ASSESSMENT_DEADLINE),
        "share",
        share(
            _assessments,
            "case__child_id",
            lambda period: Q(completed_on__lte=F("deadline")),
            "completed_on",
        ),
    ),
    Indicator(
        "follow_up_on_time",
        Group.COMPLIANCE,
        _shown(_follow_up_on_time_name),
        _shown(_follow_up_on_time_definition),
        str(law.FOLLOW_UP),
        "share",
        share(
            _measures_due_follow_up, "case__child_id", _followed_up_in_time, "first_follow_up_due"
        ),
    ),
    Indicator(
        "plans_on_time",
        Group.COMPLIANCE,
        _shown(_plans_on_time_name),
        _shown(_plans_on_time_definition),
        str(law.PLAN_DUE),
        "share",
        share(_placements_due_plan, "case__child_id", _plan_in_time, "plan_due"),
    ),
    Indicator(
        "supervision_twice",
        Group.COMPLIANCE,
        _shown(_supervision_twice_name),
        _shown(_supervision_twice_definition),
        str(law.SUPERVISION_VISITS),
        "share",
        _supervision_kept,
    ),
    Indicator(
        "feedback_share",
        Group.EXPERIENCE,
        _("Meetings with the child's feedback"),
        _("Conversations held in the period that the child gave feedback on afterwards."),
        "Bedre Børneinddragelse",
        "share",
        share(_held_meetings, "child_id", _with_feedback, "held_at"),
    ),
    Indicator(
        "felt_listened",
        Group.EXPERIENCE,
        _("Felt listened to"),
        _("The children's average answer (0-10) to 'did you feel listened to?' in the period."),
        "Bedre Børneinddragelse",
        "average",
        average((Outcome.LISTENED,)),
    ),
    Indicator(
        "understood_next",
        Group.EXPERIENCE,
        _("Understood what happens next"),
        _("The children's average answer (0-10) to 'do you know what happens now?'."),
        "Bedre Børneinddragelse",
        "average",
        average((Outcome.UNDERSTOOD_NEXT,)),
    ),
    Indicator(
        "had_say",
        Group.EXPERIENCE,
        _("Had a say"),
        _("The children's average answer (0-10) to 'did you have a say?'."),
        "Bedre Børneinddragelse",
        "average",
        average((Outcome.HAD_SAY,)),
    ),
    Indicator(
        "understands_decisions",
        Group.OUTCOMES,
        _("1. The child understands decisions"),
        _(
            "Decisions made final in the period that were explained to the child in a version "
            "written for the child, with the day the child was told."
        ),
        f"{law.CHILD_VIEW_BEFORE_DECISION}, Bedre Børneinddragelse",
        "share",
        share(_final_decisions, "case__child_id", _told, "decided_on"),
    ),
    Indicator(
        "feels_heard",
        Group.OUTCOMES,
        _("2. The child feels heard and has a say"),
        _("The children's average answer (0-10) to 'listened to' and 'had a say' together."),
        "Bedre Børneinddragelse",
        "average",
        average((Outcome.LISTENED, Outcome.HAD_SAY)),
    ),
    Indicator(
        "influence",
        Group.OUTCOMES,
        _("3. Influence in own case: wishes answered"),
        _(
            "The child's wishes written down in the period that have an answer "
            "('you said – we did')."
        ),
        f"{law.CHILD_VIEW_BEFORE_DECISION}, Bedre Børneinddragelse",
        "share",
        share(_wishes, "child_id", _answered, "created_at"),
    ),
    Indicator(
        "ownership",
        Group.OUTCOMES,
        _("4. Ownership: the child agrees with the plan"),
        _("Plans adopted in the period with the child's response, where the child agrees."),
        f"{law.PLAN_CONTENT}, Bedre Børneinddragelse",
        "share",
        share(_plans_responded, "child_id", _agrees, "adopted_on"),
    ),
    Indicator(
        "caseworkers_per_child",
        Group.OUTCOMES,
        _shown(_caseworkers_per_child_name),
        _shown(_caseworkers_per_child_definition),
        "Bedre Børneinddragelse",
        "ratio",
        _caseworkers_per_child,
    ),
    Indicator(
        "handovers_joint",
        Group.OUTCOMES,
        _("5. Continuity: handovers with a joint meeting"),
        _(
            "Handovers completed in the period where the old and new caseworker met the "
            "child together."
        ),
        "Bedre Børneinddragelse",
        "share",
        share(_handovers, "child_id", _joint_meeting, "finished_at"),
    ),
    Indicator(
        "view_in_decisions",
        Group.OUTCOMES,
        _("6. The caseworker includes the child's view in decisions"),
        _(
            "Decisions made final in the period with the child's view and how it was "
            "weighed written in."
        ),
        str(law.CHILD_VIEW_BEFORE_DECISION),
        "share",
        share(_final_decisions, "case__child_id", _view_weighed, "decided_on"),
    ),
    Indicator(
        "keeps_developing",
        Group.OUTCOMES,
        _("7. The municipality keeps developing how it involves children"),
        _(
            "The score (0-100) of the municipality's latest self-assessment in the period "
            "against the seven recommendations of Partnerskab om Børnene Først."
        ),
        "Partnerskab om Børnene Først (2023)",
        "score",
        _self_assessment,
    ),
    Indicator(
        "caseload",
        Group.WORKLOAD,
        _("Children per caseworker"),
        _(
            "Children held as fixed caseworker at the end of the period, per caseworker "
            "holding any (the Danish association of social workers recommends 20-30; the "
            "municipality's threshold is a setting)."
        ),
        "Dansk Socialrådgiverforening",
        "ratio",
        _caseload,
        snapshot=True,
    ),
    Indicator(
        "over_threshold",
        Group.WORKLOAD,
        _("Caseworkers above the caseload threshold"),
        _(
            "Caseworkers holding children at the end of the period who hold more than the "
            "municipality's caseload threshold."
        ),
        "Dansk Socialrådgiverforening",
        "share",
        _over_threshold,
        snapshot=True,
    ),
    Indicator(
        "turnover",
        Group.WORKLOAD,
        _("Caseworker turnover"),
        _("Caseworkers employed during the period, and the share of them who left in it."),
        "Bedre Børneinddragelse",
        "share",
        _turnover,
        snapshot=True,
    ),
    Indicator(
        "lifebook_overdue",
        Group.WORKLOAD,
        _("Life-book contributions overdue"),
        _(
            "Carers and others obliged to write in a child's life book on a cadence, and the "
            "share of them whose next entry was overdue at the end of the period."
        ),
        "Barnets livsbog (Stemme)",
        "share",
        _lifebook_overdue,
        snapshot=True,
    ),
    Indicator(
        "complaints",
        Group.WORKLOAD,
        _("Complaints received"),
        _("Complaints received in the period, from the child or on the child's behalf."),
        f"{law.COMPLAINTS}; {law.COMPLAINT_DEADLINE}",
        "count",
        share(_complaints, "child_id", _everything, "received_on"),
    ),
    Indicator(
        "breakdowns",
        Group.WORKLOAD,
        _("Placement breakdowns"),
        _("Placements that ended in the period, and how many of them ended unplanned."),
        f"{law.PLACEMENT_WITH_CONSENT}, {law.PLACEMENT_WITHOUT_CONSENT.section}",
        "share",
        share(_placements_ended, "case__child_id", _broke_down, "ended_on"),
    ),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
