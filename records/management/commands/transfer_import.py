"""Import a transfer bundle into the receiving municipality."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from records import services
from records.bundle import BundleError


class Command(BaseCommand):
    help = (
        "Import a transfer bundle in one transaction and give the child a fixed caseworker in "
        "the receiving municipality. Importing the same bundle again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("bundle", help="The bundle file.")
        parser.add_argument(
            "--caseworker", required=True, help="Username of the receiving fixed caseworker."
        )

    def handle(self, *args, bundle, caseworker, **options):
        holder = User.objects.filter(username=caseworker, is_active=True).first()
        if holder is None:
            raise CommandError(f"No active user {caseworker}.")
        try:
            transfer, changed = services.transfer_import(path=bundle, caseworker=holder)
        except BundleError as refused:
            raise CommandError(str(refused)) from refused
        if not changed:
            self.stdout.write(f"Bundle {transfer.bundle_id} was imported before; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported bundle {transfer.bundle_id}: child {transfer.child_id}, "
                f"{transfer.records} records, {transfer.files} files."
            )
        )
