"""Reads for the child's portal. Each takes a child already given by the access helper
(`own_child_for_portal`) and returns only what staff wrote for the child or marked as visible to
the child: the plan's version for the child, decisions made final with an explanation for the
child, summaries to the child, and answers to the child's wishes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from audit.models import AccessAction, AccessBasis, AccessEvent
from audit.selectors import looks_at
from cases.models import Decision
from continuity.models import Handover, HandoverStatus
from conversations.models import Conversation, ConversationStatus, Visibility
from feedback.models import FeedbackRequest, FeedbackResponse, Respondent
from plans.models import ChildPlan, PlanGoal, WishAnswer
from portal.models import ChildResponse, PortalAccess, RevokedReason, SignInRecord

# How long the child is told about a change of caseworker after it happened.
CHANGE_SHOWN_DAYS = 60


def next_meeting(child) -> Conversation | None:
    return (
        Conversation.objects.filter(
            child=child, status=ConversationStatus.PLANNED, planned_at__gte=timezone.now()
        )
        .select_related("child_preparation")
        .order_by("planned_at")
        .first()
    )


@dataclass
class CaseworkerChange:
    new_caseworker: object
    joint_meeting_at: datetime | None
    joint_meeting_place: str
    under_way: bool


def caseworker_change(child) -> CaseworkerChange | None:
    """A change of caseworker under way, or finished lately: who the new one is, and when the
    three of us meet."""
    recent = timezone.now() - timedelta(days=CHANGE_SHOWN_DAYS)
    handover = (
        Handover.objects.filter(child=child)
        .filter(
            Q(status=HandoverStatus.IN_PROGRESS)
            | Q(status=HandoverStatus.COMPLETED, finished_at__gte=recent)
        )
        .select_related("to_caseworker")
        .order_by("-started_at")
        .first()
    )
    if handover is None:
        return None
    return CaseworkerChange(
        new_caseworker=handover.to_caseworker,
        joint_meeting_at=handover.joint_meeting_at,
        joint_meeting_place=handover.joint_meeting_place,
        under_way=handover.status == HandoverStatus.IN_PROGRESS,
    )


def feedback_for_child(child) -> QuerySet[FeedbackRequest]:
    """Questions to the child (not to a parent or the network)."""
    return FeedbackRequest.objects.filter(child=child, respondent=Respondent.CHILD)


def feedback_open(child) -> QuerySet[FeedbackRequest]:
    """Questions after meetings the child has not answered yet, and may still answer."""
    done = FeedbackResponse.objects.filter(request=OuterRef("pk"), completed_at__isnull=False)
    return (
        feedback_for_child(child)
        .filter(expires_at__gt=timezone.now())
        .filter(~Exists(done))
        .select_related("conversation")
        .order_by("-created_at")
    )


def feedback_given(child, limit: int = 20) -> list[FeedbackResponse]:
    return list(
        FeedbackResponse.objects.filter(
            child=child, respondent=Respondent.CHILD, completed_at__isnull=False
        )
        .select_related("request__conversation")
        .order_by("-completed_at")[:limit]
    )


def plans_for_child(child) -> list[ChildPlan]:
    """Adopted plans with their version for the child, newest first."""
    return list(
        ChildPlan.objects.filter(child=child, adopted_on__isnull=False)
        .exclude(version_for_child="")
        .prefetch_related(Prefetch("goals", queryset=PlanGoal.objects.order_by("target_date")))
        .order_by("-adopted_on")
    )


def decisions_for_child(child) -> list[Decision]:
    """Decisions made final and explained to the child."""
    return list(
        Decision.objects.filter(case__child=child, finalised_at__isnull=False)
        .exclude(explanation_for_child="")
        .select_related("case__child", "replaced_by")
        .order_by("-decided_on")
    )


def responses_by_subject(child) -> dict[tuple[str, int], ChildResponse]:
    """The child's latest response to each plan and decision."""
    latest = {}
    for response in ChildResponse.objects.filter(child=child).order_by("created_at"):
        key = ("plan", response.plan_id) if response.plan_id else ("decision", response.decision_id)
        latest[key] = response
    return latest


def you_said_we_did(child) -> list[WishAnswer]:
    """Answers written to the child about what they wished for. A statement the child made is
    shown back only when it was not kept for staff alone."""
    return list(
        WishAnswer.objects.filter(Q(wish__child=child) | Q(statement__conversation__child=child))
        .exclude(statement__visibility=Visibility.STAFF_ONLY)
        .select_related("wish", "statement")
        .order_by("-created_at")
    )


def meetings_told(child, limit: int = 20) -> list[Conversation]:
    """Held meetings with a summary written to the child."""
    return list(
        Conversation.objects.filter(child=child, status=ConversationStatus.HELD)
        .exclude(summary_to_child="")
        .order_by("-held_at")[:limit]
    )


def looks_by_others(child) -> QuerySet:
    """Who has looked at the child's case, without the child's own visits."""
    return looks_at(child).exclude(basis=AccessBasis.OWN)


@dataclass
class PortalStatus:
    """The child's way into the portal as the caseworker sees it on the child's page: the open
    access, and attempts on it that the caseworker should know about."""

    access: PortalAccess | None  # the open access, if any
    closed: PortalAccess | None  # the newest access, when it was closed after wrong PINs
    wrong_pins: int = 0  # within the last `hours`
    last_wrong_at: datetime | None = None
    hours: int = 0


def portal_status(child) -> PortalStatus:
    """The open access (always the newest: a new code closes the old one), whether the newest was
    closed because of wrong PINs, and the wrong PINs typed with the child's code lately (read
    from the access log, where each is written against the child)."""
    newest = child.portal_accesses.order_by("-created_at").first()
    if newest is None:
        return PortalStatus(access=None, closed=None)
    hours = settings.STEMME_PORTAL_CLOSE_WINDOW_HOURS
    wrong = AccessEvent.objects.filter(
        child=child,
        action=AccessAction.SIGN_IN_FAILED,
        record=SignInRecord.WRONG_PIN,
        at__gte=timezone.now() - timedelta(hours=hours),
    ).aggregate(count=Count("pk"), last=Max("at"))
    return PortalStatus(
        access=newest if newest.revoked_at is None else None,
        closed=newest if newest.revoked_reason == RevokedReason.WRONG_PINS else None,
        wrong_pins=wrong["count"],
        last_wrong_at=wrong["last"],
        hours=hours,
    )
