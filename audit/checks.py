"""System checks of the access log's protection in production (not in the local demo)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def check_audit_key(app_configs, **kwargs):
    """The chain's key must be its own secret: one leaked or rotated SECRET_KEY must neither let
    anyone forge the log nor break its verification."""
    if settings.DEBUG:
        return []
    key = settings.STEMME_AUDIT_KEY
    if not key:
        return [
            checks.Error(
                "STEMME_AUDIT_KEY is not set: the access log's hash chain needs a key of its own.",
                hint="Set STEMME_AUDIT_KEY to a long random value, kept outside the database.",
                id="audit.E001",
            )
        ]
    secret = settings.SECRET_KEY
    if key in (secret, f"audit:{secret}") or secret in key or len(key) < 32:
        return [
            checks.Error(
                "STEMME_AUDIT_KEY must be independent of SECRET_KEY and at least 32 characters.",
                hint="Generate a new random value; never reuse or derive it from SECRET_KEY.",
                id="audit.E002",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_anchor_place(app_configs, **kwargs):
    """Without anchors outside the database, a tail cut off together with the chain's head
    cannot be found."""
    if settings.DEBUG or settings.STEMME_AUDIT_ANCHORS:
        return []
    return [
        checks.Error(
            "STEMME_AUDIT_ANCHORS is not set: the access log's anchors need a place outside the "
            "database.",
            hint="A folder on another server (a mount) or s3://bucket/prefix.",
            id="audit.E003",
        )
    ]
