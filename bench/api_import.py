"""The case system's API at size: 100,000 children imported through `POST /batches/children`
in batches of 500, then the whole municipality read back with changed-since pages of
`GET /children`. Requests go through the whole stack (middleware, token, validation, access
helper, access log) in-process with Django's test client, so the figures are the server's own
work without a network in between. Prints one JSON line.

Run by bench/run.py with DATABASE_URL set to an empty database:
    python bench/api_import.py --children 100000 --batch 500"""

import argparse
import json
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Municipality, Role, User  # noqa: E402
from api.services import api_client_create  # noqa: E402
from cases.cpr import make_cpr  # noqa: E402

CODE = "997"


def _staff(caseworkers: int):
    municipality, _created = Municipality.objects.get_or_create(
        code=CODE, defaults={"name": "API-kommune"}
    )
    admin, _created = User.objects.get_or_create(
        username="api-bench-admin",
        defaults={"role": Role.ADMINISTRATOR, "municipality": municipality},
    )
    names = [f"api-bench-{n}" for n in range(caseworkers)]
    User.objects.bulk_create(
        [User(username=n, role=Role.CASEWORKER, municipality=municipality) for n in names],
        ignore_conflicts=True,
    )
    _client, token = api_client_create(actor=admin, name="Bench")
    return names, token


def _items(start: int, count: int, caseworkers: list[str]) -> list[dict]:
    born = date(2008, 1, 1)
    return [
        {
            "external_id": f"B-{n}",
            "cpr": make_cpr(born + timedelta(days=n % 6000), 1 + n // 6000),
            "first_name": f"Barn{n}",
            "last_name": "Bench",
            "caseworker": caseworkers[n % len(caseworkers)],
        }
        for n in range(start, start + count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    options = parser.parse_args()
    call_command("migrate", "--noinput", verbosity=0)
    caseworkers, token = _staff(max(options.children // 25, 1))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    batch_seconds = []
    started = time.perf_counter()
    for start in range(0, options.children, options.batch):
        body = json.dumps({"items": _items(start, options.batch, caseworkers)})
        began = time.perf_counter()
        response = client.post("/api/v1/batches/children", body, content_type="application/json")
        batch_seconds.append(time.perf_counter() - began)
        if response.status_code != 200 or response.json()["created"] != options.batch:
            sys.exit(f"batch at {start} failed: {response.status_code} {response.content[:300]}")
    imported = time.perf_counter() - started

    again = json.dumps({"items": _items(0, options.batch, caseworkers)})
    began = time.perf_counter()
    unchanged = client.post("/api/v1/batches/children", again, content_type="application/json")
    unchanged_seconds = time.perf_counter() - began
    assert unchanged.json()["unchanged"] == options.batch

    pages, rows, page_seconds = 0, 0, []
    began = time.perf_counter()
    offset = 0
    while offset is not None:
        one = time.perf_counter()
        page = client.get(
            "/api/v1/children",
            {"changed_since": "2000-01-01T00:00:00+00:00", "limit": 500, "offset": offset},
        ).json()
        page_seconds.append(time.perf_counter() - one)
        pages += 1
        rows += len(page["items"])
        offset = page["next_offset"]
    read = time.perf_counter() - began
    assert rows == options.children, rows

    print(
        json.dumps(
            {
                "children": options.children,
                "batch": options.batch,
                "import_seconds": round(imported, 1),
                "import_rows_per_second": round(options.children / imported),
                "batch_median_ms": round(statistics.median(batch_seconds) * 1000),
                "batch_p95_ms": round(
                    statistics.quantiles(batch_seconds, n=20)[-1] * 1000
                    if len(batch_seconds) > 1
                    else batch_seconds[0] * 1000
                ),
                "unchanged_batch_ms": round(unchanged_seconds * 1000),
                "read_seconds": round(read, 1),
                "read_pages": pages,
                "read_rows_per_second": round(rows / read),
                "page_first_ms": round(page_seconds[0] * 1000),
                "page_last_ms": round(page_seconds[-1] * 1000),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
