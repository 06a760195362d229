"""Reads of the child's feedback: one child's trend, and the team numbers for leaders."""

from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Role
from conversations.models import Conversation, ConversationStatus
from feedback.models import FeedbackResponse, ItemAnswer, Outcome, Respondent

CHART_WIDTH, CHART_HEIGHT = 600, 200


def trend(child, latest: int = 20) -> dict:
    """The child's scores after meetings over time: points for an SVG line and rows for the
    table beside it."""
    responses = list(
        FeedbackResponse.objects.filter(
            child=child,
            respondent=Respondent.CHILD,
            completed_at__isnull=False,
            declined=False,
            score__isnull=False,
            version__instrument__after_meeting=True,
        )
        .order_by("completed_at")
        .values("completed_at", "score", "scale", "version__alert_below")
    )
    count = len(responses)
    # The alert limit drawn is the one of the version the newest answer was given on.
    cutoff = responses[-1]["version__alert_below"] if responses else 6
    step = CHART_WIDTH / max(count - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{CHART_HEIGHT - float(r['score']) * CHART_HEIGHT / 10:.1f}"
        for i, r in enumerate(responses)
    )
    return {
        "points": points,
        "count": count,
        "rows": list(reversed(responses[-latest:])),
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        # Strings, not floats: the Danish locale would render 80.0 as "80,0", which SVG rejects.
        "cutoff_y": f"{CHART_HEIGHT - float(cutoff) * CHART_HEIGHT / 10:.1f}",
    }


def team_numbers(user, months: int = 12) -> list[dict]:
    """Per team and month: meetings held, the share with the child's feedback, and the average
    'felt listened to' and 'had a say' (0-10)."""
    local = ZoneInfo(settings.TIME_ZONE)
    since = (timezone.now() - timedelta(days=31 * months)).replace(day=1)
    scope = Q(created_by__municipality_id=user.municipality_id)
    if user.role == Role.TEAM_LEADER:
        scope &= Q(created_by__team_id=user.team_id)
    meetings = (
        Conversation.objects.filter(scope, status=ConversationStatus.HELD, held_at__gte=since)
        .annotate(month=TruncMonth("held_at", tzinfo=local))
        .values("created_by__team__name", "month")
        .annotate(
            meetings=Count("pk", distinct=True),
            with_feedback=Count(
                "pk",
                distinct=True,
                filter=Q(
                    feedback_requests__response__completed_at__isnull=False,
                    feedback_requests__respondent=Respondent.CHILD,
                ),
            ),
        )
    )
    rows = {
        (m["created_by__team__name"] or "–", m["month"]): {
            "team": m["created_by__team__name"] or "–",
            "month": m["month"],
            "meetings": m["meetings"],
            "with_feedback": m["with_feedback"],
        }
        for m in meetings
    }
    averages = (
        ItemAnswer.objects.filter(
            response__request__conversation__in=Conversation.objects.filter(
                scope, status=ConversationStatus.HELD, held_at__gte=since
            ),
            response__respondent=Respondent.CHILD,
            response__completed_at__isnull=False,
            item__outcome__in=[Outcome.LISTENED, Outcome.HAD_SAY],
            normalized__isnull=False,
        )
        .annotate(month=TruncMonth("response__request__conversation__held_at", tzinfo=local))
        .values("response__request__conversation__created_by__team__name", "month", "item__outcome")
        .annotate(average=Avg("normalized"))
    )
    extra = defaultdict(dict)
    for a in averages:
        team = a["response__request__conversation__created_by__team__name"] or "–"
        extra[(team, a["month"])][a["item__outcome"]] = a["average"]
    for key, row in rows.items():
        row["share"] = row["with_feedback"] / row["meetings"] if row["meetings"] else None
        row["listened"] = extra[key].get(Outcome.LISTENED)
        row["had_say"] = extra[key].get(Outcome.HAD_SAY)
    return sorted(rows.values(), key=lambda r: (r["team"], r["month"]), reverse=False)
