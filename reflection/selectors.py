"""A caseworker's development over time, quarter by quarter: how many of their conversations
the child gave feedback on, how listened to the children felt, how often they reflected and
which training they had. The caseworker sees their own; the team leader the team's together."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.models import Role, User
from conversations.models import Conversation, ConversationStatus
from core.dates import add_months
from feedback.models import ItemAnswer, Outcome
from reflection.models import Reflection, TrainingDay

QUARTERS = 4


@dataclass
class Quarter:
    start: date
    held: int
    with_feedback: int
    listened: float | None
    reflections: int
    training_days: int

    @property
    def label(self) -> str:
        return f"{self.start.year} K{(self.start.month - 1) // 3 + 1}"

    @property
    def feedback_share(self) -> int | None:
        """Per cent of the held conversations the child gave feedback on."""
        return round(100 * self.with_feedback / self.held) if self.held else None


def _quarters(today: date) -> list[tuple[date, date]]:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    starts = [add_months(first, -3 * n) for n in range(QUARTERS - 1, -1, -1)]
    return [(start, add_months(start, 3)) for start in starts]


def _figures(caseworkers) -> list[Quarter]:
    result = []
    for start, end in _quarters(timezone.localdate()):
        held = Conversation.objects.filter(
            created_by__in=caseworkers,
            status=ConversationStatus.HELD,
            held_at__date__gte=start,
            held_at__date__lt=end,
        )
        counts = held.aggregate(
            held=Count("pk", distinct=True),
            with_feedback=Count(
                "feedback_requests",
                filter=Q(feedback_requests__response__completed_at__isnull=False),
                distinct=True,
            ),
        )
        listened = ItemAnswer.objects.filter(
            response__request__conversation__in=held.values("pk"),
            response__completed_at__isnull=False,
            item__outcome=Outcome.LISTENED,
            normalized__isnull=False,
        ).aggregate(value=Avg("normalized"))["value"]
        result.append(
            Quarter(
                start=start,
                held=counts["held"],
                with_feedback=counts["with_feedback"],
                listened=round(float(listened), 1) if listened is not None else None,
                reflections=Reflection.objects.filter(
                    author__in=caseworkers, created_at__date__gte=start, created_at__date__lt=end
                ).count(),
                training_days=TrainingDay.objects.filter(
                    attendee__in=caseworkers, held_on__gte=start, held_on__lt=end
                ).count(),
            )
        )
    return result


def development(user) -> list[Quarter]:
    return _figures([user.pk])


def team_development(leader) -> list[Quarter]:
    """The team's figures together: no one caseworker's reflections, only how many."""
    team = User.objects.filter(
        team_id=leader.team_id, role__in=(Role.CASEWORKER, Role.TEAM_LEADER)
    ).values("pk")
    return _figures(team)
