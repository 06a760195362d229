"""Check a transfer bundle without importing it."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Municipality
from records import bundle as bundles
from records.bundle import BundleError


class Command(BaseCommand):
    help = "Check a transfer bundle's signature and checksums without importing anything."

    def add_arguments(self, parser):
        parser.add_argument("bundle", help="The bundle file.")

    def handle(self, *args, bundle, **options):
        try:
            found = bundles.read(bundle)
        except BundleError as refused:
            raise CommandError(str(refused)) from refused
        manifest = found.manifest
        to = manifest["to"]["code"]
        here = Municipality.objects.filter(code=to).exists()
        self.stdout.write(
            self.style.SUCCESS(
                f"Bundle {manifest['bundle_id']} is intact: {len(found.record['records'])} "
                f"records and {len(manifest['files']) - 1} files from {manifest['from']['code']} "
                f"to {to}{'' if here else ' (not a municipality in this installation)'}."
            )
        )
