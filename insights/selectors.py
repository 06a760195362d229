"""Which children a dashboard counts, and how it groups them, by the reader's role. Dashboards
show numbers only — never a child's name or record — so they read no child's data through the
access helper; the analyst sees the same aggregates as the head of department."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Team, User
from cases.models import Child
from continuity.models import AssignmentKind
from insights.indicators import INDICATORS, Figure, Period, Population, suppress
from insights.models import DashboardSnapshot


@dataclass
class Scope:
    title: str
    population: Population
    units: tuple[str, ...]  # the groupings the reader may choose, first is the default
    # Outside the municipality's own leaders, no figure that fewer than STEMME_SMALL_CELL
    # people stand behind is shown.
    suppress_small: bool = False
    # Teams and municipalities read their default view from a snapshot (see DashboardSnapshot);
    # a caseworker's own children are few and counted live.
    key: str = ""


def scope_for(user) -> Scope | None:
    """The children and caseworkers the reader's dashboard counts, by role: the caseworker's
    own children, the team leader's team, the municipality for the head of department and the
    analyst (who sees aggregates only, small cells hidden)."""
    if user.municipality_id is None:
        return None
    held = {
        "assignments__kind": AssignmentKind.RESPONSIBLE,
        "assignments__ended_at__isnull": True,
    }
    in_municipality = Child.objects.filter(municipality_id=user.municipality_id)
    colleagues = User.objects.filter(municipality_id=user.municipality_id, role=Role.CASEWORKER)
    municipalities = (user.municipality_id,)
    if user.role == Role.CASEWORKER:
        children = in_municipality.filter(assignments__caseworker=user, **held)
        population = Population(
            children.values("pk"), colleagues.filter(pk=user.pk).values("pk"), municipalities
        )
        return Scope(_("My children"), population, ("all", "month"), key="")
    if user.role == Role.TEAM_LEADER and user.team_id:
        children = in_municipality.filter(assignments__caseworker__team_id=user.team_id, **held)
        population = Population(
            children.values("pk"),
            colleagues.filter(team_id=user.team_id).values("pk"),
            municipalities,
        )
        key = f"team:{user.municipality_id}:{user.team_id}"
        return Scope(user.team.name, population, ("caseworker", "month"), key=key)
    if user.role in (Role.HEAD_OF_DEPARTMENT, Role.ANALYST):
        population = Population(
            in_municipality.values("pk"), colleagues.values("pk"), municipalities
        )
        return Scope(
            user.municipality.name,
            population,
            ("team", "month"),
            suppress_small=user.role == Role.ANALYST,
            key=f"municipality:{user.municipality_id}",
        )
    return None


def default_period(today: date) -> Period:
    return Period(today - timedelta(days=364), today)


ALL_DETAIL = "*"


@dataclass
class Row:
    indicator: object
    total: Figure
    units: list[tuple[str, Figure]] = field(default_factory=list)
    has_units: bool = False

    def bars(self):
        return bar_widths(self)


def unit_labels(unit: str, keys, municipality_id) -> dict:
    if unit == "caseworker":
        users = User.objects.filter(pk__in=[k for k in keys if k], municipality_id=municipality_id)
        return {u.pk: u.get_full_name() for u in users}
    if unit == "team":
        teams = Team.objects.filter(pk__in=[k for k in keys if k], municipality_id=municipality_id)
        return {t.pk: t.name for t in teams}
    return {key: key.strftime("%Y-%m") if key else "" for key in keys}


def figures_for(scope: Scope, period: Period, unit: str) -> dict:
    """{indicator key: (total Figure, {unit key: Figure})}, counted now."""
    found = {}
    for indicator in INDICATORS:
        total = indicator.figures(scope.population, period, "all").get(None) or Figure(0, None)
        grouped = {} if unit == "all" else indicator.figures(scope.population, period, unit)
        found[indicator.key] = (total, grouped)
    return found


def _encode(found: dict) -> dict:
    def figure(f: Figure) -> list:
        return [f.counted, None if f.met is None else str(f.met), f.people]

    return {
        key: {
            "total": figure(total),
            "units": [[None if k is None else str(k), figure(f)] for k, f in grouped.items()],
        }
        for key, (total, grouped) in found.items()
    }


def _decode(data: dict, unit: str) -> dict:
    def figure(raw) -> Figure:
        counted, met, people = raw
        return Figure(counted, None if met is None else Decimal(met), people)

    def unit_key(raw):
        if raw is None:
            return None
        return date.fromisoformat(raw[:10]) if unit == "month" else int(raw)

    return {
        key: (figure(item["total"]), {unit_key(k): figure(f) for k, f in item["units"]})
        for key, item in data.items()
    }


def snapshot_key(scope: Scope, period: Period, unit: str) -> str:
    return f"{scope.key}|{period.start}|{period.end}|{unit}"


def snapshot_refresh(scope: Scope, period: Period, unit: str) -> DashboardSnapshot:
    """Count the scope's figures now and keep them as its snapshot."""
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        key=snapshot_key(scope, period, unit),
        defaults={
            "computed_at": timezone.now(),
            "refresh_queued_at": None,
            "data": _encode(figures_for(scope, period, unit)),
        },
    )
    return snapshot


def _figures(scope: Scope, period: Period, unit: str, today: date) -> tuple[dict, object]:
    """The figures and when they were counted: the default view of a team or municipality
    from its snapshot (refreshed in the background once it is older than
    STEMME_INSIGHTS_MAX_AGE_MINUTES), anything else counted now."""
    if not scope.key or period != default_period(today):
        return figures_for(scope, period, unit), None
    snapshot = DashboardSnapshot.objects.filter(key=snapshot_key(scope, period, unit)).first()
    if snapshot is None:
        snapshot = snapshot_refresh(scope, period, unit)
    else:
        now = timezone.now()
        age = timedelta(minutes=settings.STEMME_INSIGHTS_MAX_AGE_MINUTES)
        queued = snapshot.refresh_queued_at
        if snapshot.computed_at < now - age and (queued is None or queued < now - age):
            DashboardSnapshot.objects.filter(pk=snapshot.pk).update(refresh_queued_at=now)
            from insights.tasks import refresh_snapshot

            refresh_snapshot.enqueue(scope.key, unit)
    return _decode(snapshot.data, unit), snapshot.computed_at


def dashboard(
    scope: Scope,
    period: Period,
    unit: str,
    municipality_id,
    today: date | None = None,
    detail: str | None = ALL_DETAIL,
) -> tuple[list[Row], object]:
    """Every indicator for the scope: the total and, unless `unit` is "all", per unit — for
    every indicator (`detail` ALL_DETAIL), one (its key) or none (None, the page's first
    view); and when the figures were counted (None: just now)."""
    found, counted_at = _figures(scope, period, unit, today or timezone.localdate())
    rows = [Row(indicator, found[indicator.key][0]) for indicator in INDICATORS]
    wanted = {
        key: grouped
        for key, (_total, grouped) in found.items()
        if detail == ALL_DETAIL or key == detail
    }
    keys = sorted({k for grouped in wanted.values() for k in grouped if k}, key=str)
    if unit == "month":
        first = period.start.replace(day=1)
        keys = [k for k in keys if first <= _as_date(k) <= period.end]
    labels = unit_labels(unit, keys, municipality_id)
    order = sorted(keys, key=lambda k: (unit != "month", labels.get(k, ""), str(k)))
    for row in rows:
        row.has_units = bool(found[row.indicator.key][1])
        grouped = wanted.get(row.indicator.key, {})
        row.units = [
            (labels.get(key, "–"), grouped.get(key) or Figure(0, None))
            for key in order
            if key in labels and grouped
        ]
        if scope.suppress_small:
            suppress([row.total], settings.STEMME_SMALL_CELL)
            suppress([figure for _label, figure in row.units], settings.STEMME_SMALL_CELL)
    return rows, counted_at


def scope_from_key(key: str) -> Scope | None:
    """The team's or municipality's scope a snapshot was counted for (no reader needed)."""
    kind, municipality_id, *rest = key.split(":")
    reader = User(municipality_id=int(municipality_id))
    if kind == "team":
        reader.role, reader.team_id = Role.TEAM_LEADER, int(rest[0])
        reader.team = Team.objects.filter(pk=reader.team_id).first()
        return scope_for(reader) if reader.team else None
    reader.role = Role.HEAD_OF_DEPARTMENT
    return scope_for(reader)


def bar_widths(row: Row) -> list[tuple[str, Figure, float]]:
    """Each unit with the length of its bar in per cent of the chart's width."""
    kind = row.indicator.kind
    values = [figure.value(kind) or 0 for _label, figure in row.units]
    top = {"share": 100, "average": 10, "score": 100}.get(kind) or max(values + [1])
    return [
        (label, figure, round(100 * (figure.value(kind) or 0) / top, 1))
        for label, figure in row.units
    ]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
