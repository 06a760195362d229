"""Checking the access log's hash chain, streaming: millions of entries in constant memory."""

from dataclasses import dataclass

from audit.chain import GENESIS, HASHED_FIELDS, entry_hash, hash_key
from audit.models import AccessEvent

COLUMNS = (*HASHED_FIELDS, "entry_hash")


@dataclass
class Finding:
    sequence: int
    problem: str  # "altered", "removed", "inserted", "cut"
    detail: str


@dataclass
class Verification:
    checked: int
    last_sequence: int
    last_hash: str
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


def _rows(chunk_size: int):
    return (
        AccessEvent.objects.order_by("sequence")
        .values_list(*COLUMNS)
        .iterator(chunk_size=chunk_size)
    )


def verify_chain(
    *, chunk_size: int = 20_000, anchor: tuple[int, str] | None = None
) -> Verification:
    """Walk the chain in order and name the first entry that was altered, removed or inserted.

    An anchor (a sequence number and hash kept outside the database) proves the tail was not
    cut off: that entry must still be there with that hash."""
    key = hash_key()
    previous_sequence, previous_hash = 0, GENESIS
    checked = 0
    pending = None  # a suspicious entry waiting for the next one to tell inserted from altered
    anchor_seen = anchor is None
    for row in _rows(chunk_size):
        sequence, stored_previous, stored_hash = row[0], row[-2], row[-1]
        if pending is not None:
            suspect_sequence = pending
            if stored_previous == previous_hash:
                return _done(
                    checked,
                    Finding(
                        suspect_sequence,
                        "inserted",
                        "the chain skips this entry: it was put in later",
                    ),
                )
            return _done(
                checked,
                Finding(suspect_sequence, "altered", "its content no longer matches its hash"),
            )
        if sequence != previous_sequence + 1:
            return _done(
                checked,
                Finding(
                    previous_sequence + 1,
                    "removed",
                    f"entries {previous_sequence + 1}–{sequence - 1} are missing",
                ),
            )
        if stored_previous != previous_hash or entry_hash(row[:-1], key) != stored_hash:
            pending = sequence
            continue
        if anchor is not None and sequence == anchor[0]:
            if stored_hash != anchor[1]:
                return _done(
                    checked,
                    Finding(
                        sequence,
                        "altered",
                        "it does not match the anchor kept outside the database",
                    ),
                )
            anchor_seen = True
        previous_sequence, previous_hash = sequence, stored_hash
        checked += 1
    if pending is not None:
        return _done(checked, Finding(pending, "altered", "its content no longer matches its hash"))
    if not anchor_seen:
        return _done(
            checked,
            Finding(
                anchor[0], "cut", f"the log ends at entry {previous_sequence}, before the anchor"
            ),
        )
    return Verification(checked, previous_sequence, previous_hash, None)


def _done(checked: int, finding: Finding) -> Verification:
    return Verification(checked, 0, "", finding)
