"""Check the whole access log's hash chain and name the first entry that was tampered with."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify_chain


def parse_anchor(text: str) -> tuple[int, str]:
    sequence, _, digest = text.strip().split()[0].partition(":")
    if not sequence.isdigit() or len(digest) != 64:
        raise CommandError(f"An anchor looks like 1234:<64 hex digits>, not {text!r}.")
    return int(sequence), digest


class Command(BaseCommand):
    help = (
        "Verify the access log's hash chain; exits 1 and names the first altered, removed or "
        "inserted entry. With an anchor (from audit_anchor) it also proves the tail is intact."
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
        anchor_value = parse_anchor(anchor) if anchor else None
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
        anchored = f", anchor {anchor_value[0]} found intact" if anchor_value else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"The access log is intact: {result.checked} entries checked in {seconds:.1f} s "
                f"({rate:,.0f} per second){anchored}. "
                f"Latest: {result.last_sequence}:{result.last_hash}"
            )
        )
