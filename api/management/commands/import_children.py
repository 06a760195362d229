"""Import children and cases from the case system's CSV or Excel file, from the command line:
a dry run unless --commit, all rows or none."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from api import imports
from api.views import IMPORTERS


class Command(BaseCommand):
    help = (
        "Check (and with --commit, import) a CSV or Excel file of children and cases as the "
        "head of department --by. Prints what would change and every refused row."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--by", required=True, help="The head of department's username.")
        parser.add_argument("--commit", action="store_true", help="Import, not only check.")

    def handle(self, *args, file, by, commit, **options):
        actor = User.objects.filter(username=by, is_active=True, role__in=IMPORTERS).first()
        if actor is None:
            raise CommandError(f"No active head of department {by}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        with path.open("rb") as handle:
            data = handle.read(settings.STEMME_IMPORT_MAX_BYTES + 1)
        try:
            batch = imports.batch_check(actor=actor, name=path.name, data=data)
            if commit and not batch.report["refused"]:
                batch = imports.batch_import(actor=actor, batch=batch)
        except (imports.ImportFileError, ValidationError) as refused:
            raise CommandError(str(refused)) from refused
        report = batch.report
        for row in report["refused"]:
            self.stdout.write(
                f"row {row['row']} ({row['external_id']}): {'; '.join(row['errors'])}"
            )
        state = "imported" if batch.imported_at else "checked, not imported"
        self.stdout.write(
            f"{path.name}: {state}. New {report['created']}, changed {report['updated']}, "
            f"unchanged {report['unchanged']}, refused {len(report['refused'])}."
        )
        if report["refused"]:
            raise CommandError("Nothing was imported: correct the refused rows first.")
