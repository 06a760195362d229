"""Measure the two main pages in-process through Django's full request stack (middleware,
sessions, access helper and access log included). Run by bench/run.py with DATABASE_URL set."""

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from cases.models import Child  # noqa: E402
from continuity.models import CaseworkerAssignment  # noqa: E402
from conversations.models import Conversation  # noqa: E402


def measure(client: Client, url: str, requests: int) -> dict:
    for _ in range(10):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "queries": len(queries.captured_queries),
    }


def add_answers(child_id: int, caseworker, wanted: int) -> None:
    """Give a child `wanted` completed answers (bulk; the same rows the services would write)."""
    from feedback.models import (
        Channel,
        FeedbackRequest,
        FeedbackResponse,
        Instrument,
        ItemAnswer,
        token_digest,
    )

    missing = wanted - FeedbackResponse.objects.filter(child_id=child_id).count()
    if missing <= 0:
        return
    version = Instrument.objects.get(key="meeting", municipality=None).current_version()
    items = list(version.items.all())
    now = timezone.now()
    requests = [
        FeedbackRequest(
            child_id=child_id,
            version=version,
            respondent="child",
            channel=Channel.LINK,
            token_hash=token_digest(f"bench-{child_id}-{i}"),
            expires_at=now,
            created_by=caseworker,
        )
        for i in range(missing)
    ]
    FeedbackRequest.objects.bulk_create(requests)
    responses = [
        FeedbackResponse(
            request=request,
            child_id=child_id,
            version=version,
            respondent="child",
            scale="slider",
            child_age=12,
            completed_at=now - timedelta(days=i),
            score=Decimal(i % 11),
        )
        for i, request in enumerate(requests)
    ]
    FeedbackResponse.objects.bulk_create(responses)
    ItemAnswer.objects.bulk_create(
        ItemAnswer(response=r, item=item, value=int(r.score), normalized=r.score)
        for r in responses
        for item in items
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--count-children", action="store_true")
    options = parser.parse_args()
    if options.count_children:
        print(Child.objects.count())
        return
    # A caseworker of the last synthetic municipality, with a typical caseload.
    caseworker = (
        User.objects.filter(role=Role.CASEWORKER, municipality__code__gte="900")
        .order_by("-municipality__code", "pk")
        .first()
    )
    child_id = (
        CaseworkerAssignment.objects.filter(caseworker=caseworker, ended_at__isnull=True)
        .values_list("child_id", flat=True)
        .first()
    )
    client = Client()
    client.force_login(caseworker)
    child_url = reverse("cases:child", args=[child_id])
    results = {
        "start page": measure(client, reverse("cases:start"), options.requests),
        "child page": measure(client, child_url, options.requests),
    }
    # A child with 200 conversations: the page must not grow with them.
    busy = (
        CaseworkerAssignment.objects.filter(caseworker=caseworker, ended_at__isnull=True)
        .values_list("child_id", flat=True)
        .order_by("child_id")[1]
    )
    missing = 200 - Conversation.objects.filter(child_id=busy).count()
    now = timezone.now()
    Conversation.objects.bulk_create(
        Conversation(
            child_id=busy,
            kind="informal",
            status="held",
            planned_at=now - timedelta(days=i + 1),
            held_at=now - timedelta(days=i + 1),
            place="Skolen",
            created_by=caseworker,
        )
        for i in range(max(0, missing))
    )
    results["child page with 200 conversations"] = measure(
        client, reverse("cases:child", args=[busy]), options.requests
    )
    # A child with 300 answers to the feedback tool: the trend on the child's page.
    answered = (
        CaseworkerAssignment.objects.filter(caseworker=caseworker, ended_at__isnull=True)
        .values_list("child_id", flat=True)
        .order_by("child_id")[2]
    )
    add_answers(answered, caseworker, 300)
    results["child page with 300 feedback answers"] = measure(
        client, reverse("cases:child", args=[answered]), options.requests
    )
    # The team numbers for a team leader, over the whole generated set.
    leader = User.objects.get(username=f"{caseworker.municipality.code}-leader1")
    leader_client = Client()
    leader_client.force_login(leader)
    results["team feedback numbers"] = measure(
        leader_client, reverse("feedback:team"), max(20, options.requests // 5)
    )
    # The cost of the access log: the same page in the same run with the log switched off
    # (only here, in the benchmark process; production has no such switch).
    with mock.patch("access.policy.access_record"):
        results["child page without access log"] = measure(client, child_url, options.requests)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
