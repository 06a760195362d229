"""What conversations each child needs, with the rule and its legal reference. Computed for many
children at once in a fixed number of queries (start page, child page, insights).

- Barnets lov § 5: a conversation before every decision (held, or not held for a lawful reason).
- Barnets lov § 137: a conversation after a report of concern about violence or abuse.
- Barnets lov § 156, stk. 5: at least two supervision visits with a conversation a year in a
  placement, looking back as well as forward (`supervision_due_on`, which the insights use too).
- Barnets lov §§ 95-96: a follow-up at the latest 3 months after support starts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.models import PLACEMENT_KINDS, ConcernReport, Decision, Measure
from conversations.models import Conversation, ConversationKind, ConversationStatus
from core import law
from core.dates import add_months

DONE = (ConversationStatus.HELD, ConversationStatus.NOT_HELD)


@dataclass
class Due:
    child_id: int
    kind: str  # the ConversationKind to hold
    rule: str
    reference: str
    due_on: date
    about: str = ""
    decision_id: int | None = None
    concern_report_id: int | None = None
    measure_id: int | None = None
    planned_id: int | None = None  # a planned conversation that will meet it

    @property
    def is_overdue(self) -> bool:
        return self.due_on < timezone.localdate()

    @property
    def kind_label(self) -> str:
        return str(ConversationKind(self.kind).label)


def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def _day(conversation) -> date:
    return timezone.localtime(conversation.held_at or conversation.planned_at).date()


def conversation_before(decision_id: int, decided_on: date, conversation) -> bool:
    """A planned conversation that will count as before the decision (linked to it, or a
    conversation before a decision within the window); held ones are asked of
    `conversations_heard_before`."""
    window = timedelta(days=settings.STEMME_DECISION_CONVERSATION_WINDOW_DAYS)
    return conversation.decision_id == decision_id or (
        conversation.kind == ConversationKind.BEFORE_DECISION
        and decided_on - window <= _day(conversation) <= decided_on
    )


def conversations_heard_before(
    *, decision_id, child_id, decided_on, replaces_id=None
) -> QuerySet[Conversation]:
    """Barnets lov § 5 — the one rule for "the child was heard before the decision", used by the
    finality guard, the due lists and the `decisions_heard` indicator alike: a conversation of
    the child held (or not held for a recorded lawful reason) *on or before* the decision date,
    linked to the decision or a conversation before a decision within the window. A
    conversation after the decision is not a conversation before it, even when linked to it.
    A correction (`replaces_id`) keeps the conversations linked to the decision it replaces.

    The arguments are values (one decision) or `OuterRef`s (many decisions, in SQL)."""
    window = timedelta(days=settings.STEMME_DECISION_CONVERSATION_WINDOW_DAYS)
    if isinstance(decided_on, date):
        since = decided_on - window
    else:
        since = ExpressionWrapper(decided_on - window, output_field=DateField())
    counts = Q(decision_id=decision_id) | Q(kind=ConversationKind.BEFORE_DECISION, day__gte=since)
    if replaces_id is not None:
        counts |= Q(decision_id=replaces_id)
    return (
        Conversation.objects.filter(child_id=child_id, status__in=DONE)
        .annotate(day=TruncDate(Coalesce("held_at", "planned_at"), tzinfo=_zone()))
        .filter(day__lte=decided_on)
        .filter(counts)
    )


def decision_heard_before(decision_id="pk", child_id="case__child_id", decided_on="decided_on"):
    """`Exists` for a Decision queryset: `conversations_heard_before` for each decision."""
    return Exists(
        conversations_heard_before(
            decision_id=OuterRef(decision_id),
            child_id=OuterRef(child_id),
            decided_on=OuterRef(decided_on),
            replaces_id=OuterRef("replaces_id"),
        )
    )


def supervision_due_on(*, started_on: date, visits: Iterable[date], on: date) -> date:
    """Barnets lov § 156, stk. 5: the last day by which the next supervision visit must be held,
    seen on the day `on` — overdue when it lies before `on`. The one rule for the due-lists and
    the insights.

    A placement needs STEMME_SUPERVISION_VISITS visits in every STEMME_SUPERVISION_WINDOW_MONTHS
    months (by default two in every 12), counted only from the day it started:
    - with at least that many visits held, the next is due when the oldest of the last that many
      would leave the window: 12 months after it (the day itself still counts);
    - with fewer (a placement in its first year, or one whose visits were missed), the visits
      are due pro rata from the start: the first 6 months after it, the second 12 months after.
      A placement running 400 days with one visit 20 days ago was due a visit 35 days ago.
    The law says "mindst to årlige tilsynsbesøg"; the pro rata first year is Stemme's reading for
    a placement younger than a year (docs/LAW.md).
    """
    required = settings.STEMME_SUPERVISION_VISITS
    months = settings.STEMME_SUPERVISION_WINDOW_MONTHS
    held = sorted((day for day in visits if started_on <= day <= on), reverse=True)
    if len(held) >= required:
        return add_months(held[required - 1], months)
    return add_months(started_on, ceil((len(held) + 1) * months / required))


def supervision_rule_label() -> str:
    """The supervision rule in words, with the figures the settings hold now."""
    visits = settings.STEMME_SUPERVISION_VISITS
    return ngettext(
        "Supervision visit with a conversation (%(n)d in every %(months)d months)",
        "Supervision visits with a conversation (%(n)d in every %(months)d months)",
        visits,
    ) % {"n": visits, "months": settings.STEMME_SUPERVISION_WINDOW_MONTHS}


def decision_has_conversation(decision) -> bool:
    """A conversation was held before the decision, or not held for a lawful, recorded reason."""
    return conversations_heard_before(
        decision_id=decision.pk,
        child_id=decision.case.child_id,
        decided_on=decision.decided_on,
        replaces_id=decision.replaces_id,
    ).exists()


def due_conversations(child_ids, today: date | None = None) -> dict[int, list[Due]]:
    """{child id: the conversations due or overdue}, soonest first."""
    today = today or timezone.localdate()
    # Older breaches belong to the insights; the due-lists show what can still be acted on.
    lookback = today - timedelta(days=settings.STEMME_DUE_LOOKBACK_DAYS)
    child_ids = list(child_ids)
    conversations = defaultdict(list)
    for conversation in Conversation.objects.filter(child_id__in=child_ids).only(
        "child_id",
        "kind",
        "status",
        "planned_at",
        "held_at",
        "decision_id",
        "concern_report_id",
        "measure_id",
    ):
        conversations[conversation.child_id].append(conversation)
    due = defaultdict(list)

    def planned(child_id, match):
        return next(
            (
                c.pk
                for c in conversations[child_id]
                if c.status == ConversationStatus.PLANNED and match(c)
            ),
            None,
        )

    for decision in (
        Decision.objects.filter(case__child_id__in=child_ids, decided_on__gte=lookback)
        .filter(~decision_heard_before())
        .values("pk", "case__child_id", "decided_on", "subject")
    ):
        child_id = decision["case__child_id"]

        def before(c, d=decision):
            return conversation_before(d["pk"], d["decided_on"], c)

        due[child_id].append(
            Due(
                child_id,
                ConversationKind.BEFORE_DECISION,
                str(_("Conversation before the decision")),
                str(law.CHILD_VIEW_BEFORE_DECISION),
                decision["decided_on"],
                about=decision["subject"],
                decision_id=decision["pk"],
                planned_id=planned(child_id, before),
            )
        )

    abuse_days = timedelta(days=settings.STEMME_ABUSE_CONVERSATION_DAYS)
    for report in ConcernReport.objects.filter(
        case__child_id__in=child_ids, concerns_abuse=True, received_on__gte=lookback
    ).values("pk", "case__child_id", "received_on"):
        child_id = report["case__child_id"]

        def after(c, r=report):
            return c.concern_report_id == r["pk"] or (
                c.kind == ConversationKind.AFTER_CONCERN and _day(c) >= r["received_on"]
            )

        if any(c.status in DONE and after(c) for c in conversations[child_id]):
            continue
        due[child_id].append(
            Due(
                child_id,
                ConversationKind.AFTER_CONCERN,
                str(_("Conversation after a report of violence or abuse")),
                str(law.ABUSE_CONVERSATION),
                report["received_on"] + abuse_days,
                concern_report_id=report["pk"],
                planned_id=planned(child_id, after),
            )
        )

    current = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    for measure in (
        Measure.objects.filter(case__child_id__in=child_ids)
        .filter(current)
        .values("pk", "case__child_id", "kind", "started_on", "place")
    ):
        child_id = measure["case__child_id"]
        started = measure["started_on"]
        if started > today:
            continue
        if measure["kind"] in PLACEMENT_KINDS:
            visits = [
                _day(c)
                for c in conversations[child_id]
                if c.kind == ConversationKind.SUPERVISION and c.status == ConversationStatus.HELD
            ]
            due[child_id].append(
                Due(
                    child_id,
                    ConversationKind.SUPERVISION,
                    supervision_rule_label(),
                    str(law.SUPERVISION_VISITS),
                    supervision_due_on(started_on=started, visits=visits, on=today),
                    about=measure["place"],
                    measure_id=measure["pk"],
                    planned_id=planned(child_id, lambda c: c.kind == ConversationKind.SUPERVISION),
                )
            )
        first_follow_up = Measure.first_follow_up_due_for(started)

        def follows_up(c, m=measure):
            return c.measure_id == m["pk"] or (
                c.kind == ConversationKind.FOLLOW_UP and _day(c) >= m["started_on"]
            )

        if first_follow_up >= lookback and not any(
            c.status in DONE and follows_up(c) for c in conversations[child_id]
        ):
            due[child_id].append(
                Due(
                    child_id,
                    ConversationKind.FOLLOW_UP,
                    str(_("First follow-up after support started")),
                    str(law.FOLLOW_UP),
                    first_follow_up,
                    about=measure["place"],
                    measure_id=measure["pk"],
                    planned_id=planned(child_id, follows_up),
                )
            )
    for items in due.values():
        items.sort(key=lambda item: item.due_on)
    return dict(due)


def due_within(due: dict[int, list[Due]], horizon_days: int) -> list[Due]:
    """The items due within the horizon or overdue, soonest first."""
    limit = timezone.localdate() + timedelta(days=horizon_days)
    return sorted(
        (item for items in due.values() for item in items if item.due_on <= limit),
        key=lambda item: item.due_on,
    )
