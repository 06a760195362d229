"""The pseudonymised export for evaluators and researchers: every indicator per municipality
and per team, across municipalities, with no names, no CPR numbers and no record of any child —
only counts. Municipalities and teams carry pseudonyms made from the evaluator's own key (HMAC),
stable for the same key so exports join over time, unlinkable for another key. A figure that
fewer than STEMME_SMALL_CELL children (or caseworkers) stand behind is left empty and marked,
with one more hidden where it could otherwise be found by subtraction."""

import csv
import hashlib
import hmac
from collections.abc import Iterator

from django.conf import settings

from accounts.models import Municipality, Role, Team, User
from cases.models import Child
from insights.indicators import INDICATORS, Figure, Period, Population, suppress

COLUMNS = [
    "municipality",
    "team",
    "period_start",
    "period_end",
    "indicator",
    "kind",
    "counted",
    "met",
    "value",
    "suppressed",
]


def pseudonym(key: str, kind: str, identifier: object) -> str:
    """A stable pseudonym for `identifier` under the evaluator's key."""
    digest = hmac.new(key.encode(), f"{kind}:{identifier}".encode(), hashlib.sha256)
    return f"{kind[0].upper()}{digest.hexdigest()[:12]}"


def rows(key: str, period: Period, municipality_ids=None) -> Iterator[list]:
    """The export's rows: per municipality, then per team within it (all municipalities unless
    `municipality_ids` is given)."""
    municipalities = Municipality.objects.all()
    if municipality_ids is not None:
        municipalities = municipalities.filter(pk__in=municipality_ids)
    codes = dict(municipalities.values_list("pk", "code"))
    population = Population(
        Child.objects.filter(municipality_id__in=codes).values("pk"),
        User.objects.filter(municipality_id__in=codes, role=Role.CASEWORKER).values("pk"),
        tuple(codes),
    )
    teams = dict(
        Team.objects.filter(municipality_id__in=codes).values_list("pk", "municipality_id")
    )
    minimum = settings.STEMME_SMALL_CELL
    for indicator in INDICATORS:
        by_municipality = indicator.figures(population, period, "municipality")
        by_team = indicator.figures(population, period, "team")
        suppress(list(by_municipality.values()), minimum)
        for municipality_id in codes:
            in_it = {t: f for t, f in by_team.items() if t and teams.get(t) == municipality_id}
            suppress(list(in_it.values()), minimum)
        for municipality_id, code in sorted(codes.items(), key=lambda item: item[1]):
            name = pseudonym(key, "municipality", code)
            figure = by_municipality.get(municipality_id)
            if figure is not None:
                yield _row(name, "", period, indicator, figure)
            for team_id, team_figure in sorted(by_team.items(), key=lambda item: str(item[0])):
                if team_id and teams.get(team_id) == municipality_id:
                    team = pseudonym(key, "team", f"{code}:{team_id}")
                    yield _row(name, team, period, indicator, team_figure)


def _row(municipality: str, team: str, period: Period, indicator, figure: Figure) -> list:
    value = figure.value(indicator.kind)
    hidden = figure.suppressed
    return [
        municipality,
        team,
        period.start.isoformat(),
        period.end.isoformat(),
        indicator.key,
        indicator.kind,
        "" if hidden else figure.counted,
        "" if hidden or figure.met is None else figure.met,
        "" if value is None else value,
        "yes" if hidden else "no",
    ]


def write(out, key: str, period: Period, municipality_ids=None) -> int:
    """Write the export as CSV to `out`; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows(key, period, municipality_ids):
        writer.writerow(row)
        count += 1
    return count
