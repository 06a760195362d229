"""Checking the access log's hash chain, streaming: millions of entries in constant memory.

The chain alone cannot tell a log cut short from a shorter log, so the walk is held against two
checkpoints: the chain's head in the database (every append moves it, in the same transaction)
and, by default, the latest anchor kept outside the database (audit/anchors.py)."""

from dataclasses import dataclass

from audit.anchors import Anchor
from audit.chain import GENESIS, HASHED_FIELDS, entry_hash, hash_key
from audit.models import AccessEvent, ChainHead

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


def _head() -> Anchor:
    head = ChainHead.objects.filter(pk=1).values_list("sequence", "entry_hash").first()
    return Anchor(*head) if head else Anchor(0, GENESIS)


def verify_chain(*, chunk_size: int = 20_000, anchor: Anchor | None = None) -> Verification:
    """Walk the chain in order and name the first entry that was altered, removed or inserted,
    or where the log was cut short of its head or of the anchor.

    The head is read before the walk: entries appended meanwhile come after it, and are vouched
    for by the head read again at the end."""
    head = _head()
    checkpoints = {head.sequence: ("its head in the database", head.entry_hash)}
    if anchor is not None:
        if anchor.sequence in checkpoints and checkpoints[anchor.sequence][1] != anchor.entry_hash:
            return _done(
                0,
                Finding(anchor.sequence, "altered", "the chain's head and the anchor disagree"),
            )
        checkpoints[anchor.sequence] = ("the anchor kept outside the database", anchor.entry_hash)
    key = hash_key()
    previous_sequence, previous_hash = 0, GENESIS
    checked = 0
    pending = None  # a suspicious entry waiting for the next one to tell inserted from altered
    for row in _rows(chunk_size):
        sequence, stored_previous, stored_hash = row[0], row[-2], row[-1]
        if pending is not None:
            if stored_previous == previous_hash:
                return _done(
                    checked,
                    Finding(pending, "inserted", "the chain skips this entry: it was put in later"),
                )
            return _done(
                checked, Finding(pending, "altered", "its content no longer matches its hash")
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
        if sequence in checkpoints and stored_hash != checkpoints[sequence][1]:
            return _done(
                checked,
                Finding(sequence, "altered", f"it does not match {checkpoints[sequence][0]}"),
            )
        previous_sequence, previous_hash = sequence, stored_hash
        checked += 1
    if pending is not None:
        return _done(checked, Finding(pending, "altered", "its content no longer matches its hash"))
    furthest = max(checkpoints)
    if previous_sequence < furthest:
        return _done(
            checked,
            Finding(
                furthest,
                "cut",
                f"the log ends at entry {previous_sequence}, but {checkpoints[furthest][0]} "
                f"names entry {furthest}",
            ),
        )
    if previous_sequence > head.sequence:
        # Appended during the walk, or written without moving the head: the head now decides.
        now = _head()
        if now.sequence < previous_sequence or (
            now.sequence == previous_sequence and now.entry_hash != previous_hash
        ):
            return _done(
                checked,
                Finding(
                    now.sequence + 1,
                    "inserted",
                    f"entries {now.sequence + 1}–{previous_sequence} lie beyond the chain's "
                    f"head in the database",
                ),
            )
    return Verification(checked, previous_sequence, previous_hash, None)


def _done(checked: int, finding: Finding) -> Verification:
    return Verification(checked, 0, "", finding)
