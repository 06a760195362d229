"""Measure the municipality's insights dashboard on a generated data set: the whole page
through Django's request stack (median, p95, queries), each indicator's ORM query against one
hand-written SQL query for the same number (bench/insights_sql.py), and whether the two agree.

Usage (PostgreSQL; the hand-written SQL is PostgreSQL's):
    DATABASE_URL=postgres://…/db python bench/insights.py [--requests 15]
Prints a Markdown report; the last line is the figures as JSON."""

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Municipality, Role, User  # noqa: E402
from bench.insights_sql import SQL  # noqa: E402
from insights import selectors  # noqa: E402
from insights.indicators import INDICATORS  # noqa: E402


def timed(function, runs: int) -> tuple[float, object]:
    result, timings = None, []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), result


def page_figures(client: Client, url: str, query: dict, requests: int, **headers) -> dict:
    for _ in range(2):
        assert client.get(url, query, **headers).status_code == 200
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        assert client.get(url, query, **headers).status_code == 200
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query, **headers)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
        "queries": len(queries.captured_queries),
    }


def _same(a, b) -> bool:
    if a is None or b is None:
        return a == b or (a in (None, 0) and b in (None, 0))
    return abs(Decimal(str(a)) - Decimal(str(b))) <= Decimal("0.05")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    municipality = Municipality.objects.annotate(n=Count("children")).order_by("-n").first()
    head = User.objects.filter(municipality=municipality, role=Role.HEAD_OF_DEPARTMENT).first()
    scope = selectors.scope_for(head)
    today = timezone.localdate()
    period = selectors.default_period(today)
    children = scope.population.children.count()

    client = Client()
    client.force_login(head)
    url = reverse("insights:dashboard")
    live = {"date_from": (period.start + timedelta(days=1)).isoformat(), "by": "team"}
    pages = {
        "snapshot": page_figures(client, url, {}, options.requests),
        "one indicator per team (htmx)": page_figures(
            client, url, {"indicator": "decisions_heard"}, options.requests, HTTP_HX_REQUEST="1"
        ),
        "live": page_figures(client, url, live, max(3, options.requests // 3)),
    }

    cadence = settings.STEMME_LIFEBOOK_CADENCE_DAYS
    params = {
        "m": municipality.pk,
        "s": period.start,
        "e": period.end,
        "t": today,
        "w": settings.STEMME_DECISION_CONVERSATION_WINDOW_DAYS,
        "threshold": municipality.effective_caseload_threshold(),
        "foster_carer": cadence.get("foster_carer", 0),
        "institution": cadence.get("institution_staff", 0),
        "teacher": cadence.get("teacher", 0),
    }
    rows = []
    for indicator in INDICATORS:
        orm_ms, figures = timed(
            lambda i=indicator: i.figures(scope.population, period, "all"), options.runs
        )
        figure = figures.get(None)

        def hand(sql=SQL[indicator.key]):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()

        sql_ms, (counted, met) = timed(hand, options.runs)
        agree = figure is not None and figure.counted == (counted or 0) and _same(figure.met, met)
        rows.append(
            {
                "indicator": indicator.key,
                "orm_ms": orm_ms,
                "sql_ms": sql_ms,
                "counted": counted,
                "met": None if met is None else str(met),
                "agree": agree,
            }
        )
    print(f"Insights dashboard, {children:,} children in one municipality ({today})")
    print()
    for name, page in pages.items():
        print(
            f"Whole page (/insights/, per team), {name}: median {page['median_ms']:.0f} ms, "
            f"p95 {page['p95_ms']:.0f} ms, {page['queries']} queries"
        )
    print()
    print("| indicator | ORM ms | hand-written SQL ms | counted | met | same numbers |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['indicator']} | {row['orm_ms']:.1f} | {row['sql_ms']:.1f} | "
            f"{row['counted']} | {row['met']} | {'yes' if row['agree'] else 'NO'} |"
        )
    total_orm = sum(r["orm_ms"] for r in rows)
    total_sql = sum(r["sql_ms"] for r in rows)
    print(f"| all together | {total_orm:.0f} | {total_sql:.0f} | | | |")
    print(json.dumps({"children": children, "pages": pages, "indicators": rows}, default=str))


if __name__ == "__main__":
    main()
