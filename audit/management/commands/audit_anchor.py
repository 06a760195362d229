"""Print (and optionally append to a file) the access log's latest sequence number and hash.

Keep anchors outside the database (a file on another server, a printed page, an e-mail to the
data protection officer): `audit_verify --anchor-file` then proves the log was not cut short."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.models import ChainHead


class Command(BaseCommand):
    help = "Print the access log's anchor (latest sequence:hash); --file appends it to a file."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="append the anchor to this file")

    def handle(self, *args, file, **options):
        head = ChainHead.objects.filter(pk=1).first()
        if head is None:
            self.stdout.write("The access log is empty; there is nothing to anchor yet.")
            return
        line = f"{head.sequence}:{head.entry_hash} {timezone.now().isoformat(timespec='seconds')}"
        if file:
            with Path(file).open("a") as anchors:
                anchors.write(line + "\n")
        self.stdout.write(line)
