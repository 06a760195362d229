"""Count every team's and municipality's dashboard now (run nightly, or after a bulk import)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Municipality, Team
from insights import selectors


class Command(BaseCommand):
    help = (
        "Count the default dashboards of every team and municipality and keep them as "
        "snapshots, so leaders' dashboards open at once."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        period = selectors.default_period(timezone.localdate())
        keys = [f"municipality:{pk}" for pk in Municipality.objects.values_list("pk", flat=True)]
        keys += [
            f"team:{municipality_id}:{pk}"
            for pk, municipality_id in Team.objects.values_list("pk", "municipality_id")
        ]
        count = 0
        for key in keys:
            scope = selectors.scope_from_key(key)
            if scope is None:
                continue
            for unit in scope.units:
                selectors.snapshot_refresh(scope, period, unit)
                count += 1
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Counted {count} dashboards in {elapsed:.1f} s."))
