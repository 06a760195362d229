"""Anchors of the access log kept outside the database: the chain head's number and hash, written
on a schedule by the worker (audit.tasks) to a folder or an object-storage bucket
(STEMME_AUDIT_ANCHORS). `audit_verify` checks the log against the latest one, so a tail cut off
together with the chain head is found although the database alone looks consistent."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage

from audit.models import ChainHead


@dataclass(frozen=True)
class Anchor:
    sequence: int
    entry_hash: str
    at: datetime | None = None

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        """`SEQUENCE:HASH [ISO time]`, as audit_anchor prints it."""
        words = text.strip().split()
        sequence, _, digest = (words[0] if words else "").partition(":")
        if not sequence.isdigit() or len(digest) != 64:
            raise ValueError(f"An anchor looks like 1234:<64 hex digits>, not {text!r}.")
        at = datetime.fromisoformat(words[1]) if len(words) > 1 else None
        return cls(int(sequence), digest, at)

    def line(self) -> str:
        return f"{self.sequence}:{self.entry_hash} {self.at.isoformat(timespec='seconds')}"


def anchor_storage() -> Storage | None:
    """Where anchors go: `s3://bucket/prefix` (a bucket of its own, ideally with object lock) or a
    folder (a mount of another server); None when STEMME_AUDIT_ANCHORS is not set."""
    place = settings.STEMME_AUDIT_ANCHORS
    if not place:
        return None
    if place.startswith("s3://"):
        from storages.backends.s3 import S3Storage

        bucket, _, prefix = place.removeprefix("s3://").partition("/")
        return S3Storage(
            bucket_name=bucket,
            location=prefix.strip("/"),
            endpoint_url=settings.STEMME_S3_ENDPOINT_URL or None,
            region_name=settings.STEMME_S3_REGION or None,
            default_acl="private",
            file_overwrite=False,
        )
    return FileSystemStorage(location=place)


def current_anchor() -> Anchor:
    """The chain head now (an empty log has the genesis head)."""
    from audit.chain import GENESIS

    head = ChainHead.objects.filter(pk=1).first()
    now = datetime.now(UTC)
    return Anchor(head.sequence, head.entry_hash, now) if head else Anchor(0, GENESIS, now)


def anchor_write(storage: Storage | None = None) -> Anchor | None:
    """Write the chain head as a new anchor, one small file per anchor (never overwritten):
    `YYYY-MM-DD/HHMMSS-<sequence>.txt`, in UTC."""
    storage = storage or anchor_storage()
    if storage is None:
        return None
    anchor = current_anchor()
    name = f"{anchor.at:%Y-%m-%d}/{anchor.at:%H%M%S}-{anchor.sequence}.txt"
    storage.save(name, ContentFile((anchor.line() + "\n").encode()))
    return anchor


def latest_anchor(storage: Storage | None = None) -> Anchor | None:
    """The newest anchor written, or None when there is none (or no place is set)."""
    storage = storage or anchor_storage()
    if storage is None:
        return None
    try:
        days, _files = storage.listdir("")
    except FileNotFoundError:
        return None
    for day in sorted(days, reverse=True):
        _dirs, files = storage.listdir(day)
        if files:
            newest = max(files, key=_order)
            with storage.open(f"{day}/{newest}") as stored:
                return Anchor.parse(stored.read().decode())
    return None


def _order(name: str) -> tuple[str, int]:
    """Newest last: by time of day, then by sequence (two anchors in one second)."""
    time_of_day, _, rest = name.partition("-")
    sequence = rest.split(".")[0].split("_")[0]
    return time_of_day, int(sequence) if sequence.isdigit() else -1
