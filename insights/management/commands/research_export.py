"""The operator's pseudonymised export for evaluators, across municipalities."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Municipality
from insights import export
from insights.indicators import Period


class Command(BaseCommand):
    help = (
        "Write every indicator per municipality and team as pseudonymised CSV for evaluators "
        "(no names or CPR numbers; small cells suppressed). The same --key gives the same "
        "pseudonyms."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key", required=True, help="The evaluator's secret key (16+ chars).")
        parser.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True)
        parser.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True)
        parser.add_argument(
            "--municipality", action="append", default=None, help="Municipality code (repeatable)."
        )
        parser.add_argument("--out", default="-", help="File to write; '-' for standard output.")

    def handle(self, *args, key, date_from, date_to, municipality, out, **options):
        if len(key) < 16:
            raise CommandError("The key must be at least 16 characters.")
        if date_from > date_to:
            raise CommandError("--from must come before --to.")
        ids = None
        if municipality:
            found = dict(
                Municipality.objects.filter(code__in=municipality).values_list("code", "pk")
            )
            unknown = sorted(set(municipality) - set(found))
            if unknown:
                raise CommandError(f"No municipality with code {', '.join(unknown)}.")
            ids = list(found.values())
        period = Period(date_from, date_to)
        if out == "-":
            count = export.write(sys.stdout, key, period, ids)
        else:
            with open(out, "w", newline="", encoding="utf-8") as handle:
                count = export.write(handle, key, period, ids)
        self.stderr.write(self.style.SUCCESS(f"Exported {count} rows."))
