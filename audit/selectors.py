"""Reads of the access log: what a child (or staff) sees of who has looked, and the leader's
search with the patterns that should stand out."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from accounts.models import Role
from audit.models import LOOKS, AccessAction, AccessBasis, AccessEvent

NIGHT_STARTS, NIGHT_ENDS = 22, 6
PATTERN_DAYS = 30


def looks_at(child) -> QuerySet:
    """Who has looked at the child's case: per day, role, unit and purpose, newest first.
    Employee names only where the municipality has turned that on."""
    local = ZoneInfo(settings.TIME_ZONE)
    fields = ["day", "role", "unit", "basis", "purpose"]
    if child.municipality.show_staff_names_to_child:
        fields += ["user__first_name", "user__last_name"]
    return (
        AccessEvent.objects.filter(child=child, action__in=LOOKS)
        .annotate(day=TruncDate("at", tzinfo=local))
        .values(*fields)
        .annotate(times=Count("pk"))
        .order_by("-day", *fields[1:])
    )


def events_in_scope(user) -> QuerySet:
    """The part of the log a leader may search: the municipality for the head of department,
    the team's own members for a team leader."""
    events = AccessEvent.objects.filter(municipality_code=user.municipality.code)
    if user.role == Role.TEAM_LEADER:
        events = events.filter(user__team_id=user.team_id)
    return events


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def search(user, *, child=None, actor=None, date_from=None, date_to=None, action="") -> QuerySet:
    """The leader's search of the log, newest first."""
    events = events_in_scope(user)
    if child is not None:
        events = events.filter(Q(child=child) | Q(requested_child_id=child.pk))
    if actor is not None:
        events = events.filter(user=actor)
    if date_from:
        events = events.filter(at__gte=_local_midnight(date_from))
    if date_to:
        events = events.filter(at__lt=_local_midnight(date_to + timedelta(days=1)))
    if action:
        events = events.filter(action=action)
    return events.select_related("user", "child").order_by("-sequence")


def _top(events: QuerySet, **count) -> list[dict]:
    return list(
        events.values("user_id", "user__first_name", "user__last_name", "user__username", "role")
        .annotate(**count)
        .order_by(f"-{next(iter(count))}")[:5]
    )


def unusual_patterns(user) -> dict[str, list[dict]]:
    """What should stand out over the last 30 days: many children opened without assignment,
    looks at night, many exports and downloads."""
    since = timezone.now() - timedelta(days=PATTERN_DAYS)
    recent = events_in_scope(user).filter(at__gte=since)
    night = (
        recent.filter(action__in=LOOKS)
        .annotate(hour=ExtractHour("at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .filter(Q(hour__gte=NIGHT_STARTS) | Q(hour__lt=NIGHT_ENDS))
    )
    return {
        "break_glass": _top(
            recent.filter(basis=AccessBasis.BREAK_GLASS),
            children=Count("child_id", distinct=True),
        ),
        "night": _top(night, looks=Count("pk")),
        "exports": _top(
            recent.filter(action__in=[AccessAction.EXPORT, AccessAction.DOWNLOAD]),
            exports=Count("pk"),
        ),
    }
