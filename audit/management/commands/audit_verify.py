"""Check the whole access log's hash chain and name the first entry that was tampered with."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.anchors import Anchor, latest_anchor
from audit.verify import verify_chain


def parse_anchor(text: str) -> Anchor:
    try:
        return Anchor.parse(text)
    except ValueError as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = (
        "Verify the access log's hash chain against its head and the latest anchor kept outside "
        "the database (STEMME_AUDIT_ANCHORS); exits 1 and names the first altered, removed or "
        "inserted entry, or where the log was cut short."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", help="SEQUENCE:HASH as printed by audit_anchor")
        parser.add_argument("--anchor-file", help="a file of anchors; its last line is used")
        parser.add_argument("--chunk-size", type=int, default=20_000)

    def handle(self, *args, anchor, anchor_file, chunk_size, **options):
        if anchor_file:
            lines = [line for line in Path(anchor_file).read_text().splitlines() if line.strip()]
            if not lines:
                raise CommandError(f"{anchor_file} holds no anchor.")
            anchor = lines[-1]
        if anchor:
            anchor_value = parse_anchor(anchor)
        else:
            try:
                anchor_value = latest_anchor()
            except (OSError, ValueError) as error:
                raise CommandError(
                    f"The anchors in STEMME_AUDIT_ANCHORS cannot be read: {error}"
                ) from None
            self._warn_if_stale(anchor_value)
        started = time.perf_counter()
        result = verify_chain(chunk_size=chunk_size, anchor=anchor_value)
        seconds = time.perf_counter() - started
        if not result.ok:
            finding = result.finding
            self.stderr.write(
                f"Access log entry {finding.sequence} was {finding.problem}: {finding.detail}."
            )
            raise SystemExit(1)
        rate = result.checked / seconds if seconds else result.checked
        anchored = f", anchor {anchor_value.sequence} found intact" if anchor_value else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"The access log is intact: {result.checked} entries checked in {seconds:.1f} s "
                f"({rate:,.0f} per second), its head matches the last entry{anchored}. "
                f"Latest: {result.last_sequence}:{result.last_hash}"
            )
        )

    def _warn_if_stale(self, anchor: Anchor | None):
        """Anchoring that stopped (no worker, a full disk) is said, not silently accepted."""
        if not settings.STEMME_AUDIT_ANCHORS:
            self.stderr.write(
                "No anchors are kept (STEMME_AUDIT_ANCHORS is not set): a tail cut off together "
                "with the chain's head would not be found."
            )
            return
        limit = timedelta(minutes=2 * settings.STEMME_AUDIT_ANCHOR_MINUTES)
        if anchor is None or (anchor.at and datetime.now(UTC) - anchor.at > limit):
            when = anchor.at.isoformat(timespec="minutes") if anchor and anchor.at else "never"
            self.stderr.write(
                f"The latest anchor was written {when}: is the worker (db_worker) running?"
            )
