"""The hash chain of the access log: one definition of an entry's hash, used when writing and
when verifying."""

import hashlib
import hmac
from datetime import UTC, datetime

from django.conf import settings

GENESIS = "0" * 64

# The fields an entry's hash covers, in order. Changing this list breaks every existing chain.
HASHED_FIELDS = (
    "sequence",
    "at",
    "user_id",
    "role",
    "municipality_code",
    "unit",
    "child_id",
    "requested_child_id",
    "action",
    "record",
    "basis",
    "purpose",
    "path",
    "previous_hash",
)


def _key() -> bytes:
    return (settings.STEMME_AUDIT_KEY or f"audit:{settings.SECRET_KEY}").encode()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return str(value)


def entry_hash(values: tuple, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the HASHED_FIELDS values, in that order."""
    message = "\x1f".join(_text(value) for value in values).encode()
    return hmac.new(key or _key(), message, hashlib.sha256).hexdigest()


def hash_key() -> bytes:
    return _key()
