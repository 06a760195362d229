"""Fill an empty access log with N chained entries, fast (bulk inserts, the chain computed here
exactly as audit.services computes it). Run by bench/run.py with DATABASE_URL set."""

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from audit.chain import GENESIS, HASHED_FIELDS, entry_hash, hash_key  # noqa: E402
from audit.models import AccessEvent, ChainHead  # noqa: E402

BATCH = 20_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, required=True)
    options = parser.parse_args()
    if AccessEvent.objects.exists():
        print(AccessEvent.objects.count())
        return
    key = hash_key()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    previous = GENESIS
    batch = []
    began = time.perf_counter()
    for sequence in range(1, options.entries + 1):
        values = {
            "sequence": sequence,
            "at": start + timedelta(seconds=sequence),
            "user_id": None,
            "role": "caseworker",
            "municipality_code": "900",
            "unit": "Team 1",
            "child_id": None,
            "requested_child_id": sequence % 100_000,
            "action": "view",
            "record": "child",
            "basis": "assigned",
            "purpose": "",
            "path": f"/children/{sequence % 100_000}/",
            "previous_hash": previous,
        }
        previous = entry_hash(tuple(values[name] for name in HASHED_FIELDS), key)
        batch.append(AccessEvent(entry_hash=previous, **values))
        if len(batch) == BATCH:
            AccessEvent.objects.bulk_create(batch)
            batch = []
    AccessEvent.objects.bulk_create(batch)
    ChainHead.objects.update_or_create(
        pk=1, defaults={"sequence": options.entries, "entry_hash": previous}
    )
    print(
        f"filled {options.entries} entries in {time.perf_counter() - began:.0f} s", file=sys.stderr
    )
    print(options.entries)


if __name__ == "__main__":
    main()
