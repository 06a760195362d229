"""Write a child's whole case as a signed transfer bundle for another municipality."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from records import services
from records.bundle import BundleError
from records.management.operator import actor_and_child


class Command(BaseCommand):
    help = (
        "Export a child's whole case (records, history, life book and media) as one signed, "
        "checksummed bundle for the municipality that takes over."
    )

    def add_arguments(self, parser):
        parser.add_argument("--child", type=int, required=True, help="The child's id.")
        parser.add_argument("--to", required=True, help="The receiving municipality's code.")
        parser.add_argument("--by", required=True, help="Username of who sends it.")
        parser.add_argument("--out", required=True, help="The bundle file to write.")

    def handle(self, *args, child, to, by, out, **options):
        actor, found = actor_and_child(by, child)
        try:
            with open(out, "wb") as handle:
                transfer = services.transfer_export(
                    actor=actor, child=found, to_code=to, out=handle
                )
        except (BundleError, PermissionDenied) as refused:
            raise CommandError(str(refused) or "Not allowed.") from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote bundle {transfer.bundle_id} to {out} ({transfer.files} files)."
            )
        )
