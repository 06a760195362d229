"""Which children a dashboard counts, and how it groups them, by the reader's role. Dashboards
show numbers only — never a child's name or record — so they read no child's data through the
access helper; the analyst sees the same aggregates as the head of department."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Team, User
from cases.models import Child
from continuity.models import AssignmentKind
from insights.indicators import INDICATORS, Figure, Period, Population, suppress


@dataclass
class Scope:
    title: str
    population: Population
    units: tuple[str, ...]  # the groupings the reader may choose, first is the default
    # Outside the municipality's own leaders, no figure that fewer than STEMME_SMALL_CELL
    # people stand behind is shown.
    suppress_small: bool = False


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
        return Scope(_("My children"), population, ("all", "month"))
    if user.role == Role.TEAM_LEADER and user.team_id:
        children = in_municipality.filter(assignments__caseworker__team_id=user.team_id, **held)
        population = Population(
            children.values("pk"),
            colleagues.filter(team_id=user.team_id).values("pk"),
            municipalities,
        )
        return Scope(user.team.name, population, ("caseworker", "month"))
    if user.role in (Role.HEAD_OF_DEPARTMENT, Role.ANALYST):
        population = Population(
            in_municipality.values("pk"), colleagues.values("pk"), municipalities
        )
        return Scope(
            user.municipality.name,
            population,
            ("team", "month"),
            suppress_small=user.role == Role.ANALYST,
        )
    return None


def default_period(today: date) -> Period:
    return Period(today - timedelta(days=364), today)


@dataclass
class Row:
    indicator: object
    total: Figure
    units: list[tuple[str, Figure]] = field(default_factory=list)

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


def dashboard(scope: Scope, period: Period, unit: str, municipality_id) -> list[Row]:
    """Every indicator for the scope: the total and, unless `unit` is "all", per unit."""
    rows, per_unit = [], {}
    population = scope.population
    for indicator in INDICATORS:
        total = indicator.figures(population, period, "all").get(None) or Figure(0, None)
        grouped = {} if unit == "all" else indicator.figures(population, period, unit)
        per_unit[indicator.key] = grouped
        rows.append(Row(indicator, total))
    keys = sorted({k for grouped in per_unit.values() for k in grouped if k}, key=str)
    if unit == "month":
        first = period.start.replace(day=1)
        keys = [k for k in keys if first <= _as_date(k) <= period.end]
    labels = unit_labels(unit, keys, municipality_id)
    order = sorted(keys, key=lambda k: (unit != "month", labels.get(k, ""), str(k)))
    for row in rows:
        grouped = per_unit[row.indicator.key]
        row.units = [
            (labels.get(key, "–"), grouped.get(key) or Figure(0, None))
            for key in order
            if key in labels
        ]
        if scope.suppress_small:
            suppress([row.total], settings.STEMME_SMALL_CELL)
            suppress([figure for _label, figure in row.units], settings.STEMME_SMALL_CELL)
    return rows


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
