"""Write (and print) the access log's anchor: its head's sequence number and hash.

The worker does this on a schedule to STEMME_AUDIT_ANCHORS (audit/tasks.py); run it by hand to
anchor now, and to restart the schedule if it stopped. Keep further copies anywhere else you
like (a printed page, a mail to the data protection officer) with --file; `audit_verify --anchor`
or `--anchor-file` checks against such a copy."""

from pathlib import Path

from django.core.management.base import BaseCommand

from audit.anchors import anchor_write, current_anchor
from audit.tasks import anchor_schedule


class Command(BaseCommand):
    help = (
        "Write the access log's anchor (latest sequence:hash) to STEMME_AUDIT_ANCHORS and print "
        "it; --file also appends it to a file. Restarts the worker's schedule if it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="also append the anchor to this file")

    def handle(self, *args, file, **options):
        anchor = anchor_write() or current_anchor()
        if file:
            with Path(file).open("a") as anchors:
                anchors.write(anchor.line() + "\n")
        if anchor_schedule():
            self.stderr.write("The worker's anchoring was not scheduled; it is now.")
        self.stdout.write(anchor.line())
