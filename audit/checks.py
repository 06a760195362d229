"""System checks of the access log's protection in production (not in the local demo)."""

import dj_database_url
from django.conf import settings
from django.core import checks
from django.db import connections


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


@checks.register(checks.Tags.database, deploy=True)
def check_application_role(app_configs, databases=None, **kwargs):
    """`check --deploy --database default`: the application's role must not be able to rewrite
    the access log (README, Running in production). `migrate` itself runs as the owner."""
    if not databases or "default" not in databases:
        return []
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    owner_url = settings.STEMME_OWNER_DATABASE_URL
    if owner_url and dj_database_url.parse(owner_url).get("USER") == connection.settings_dict.get(
        "USER"
    ):
        return []  # migrate, connected as the owner
    from audit.dbroles import may_rewrite_the_log

    if not may_rewrite_the_log(connection):
        return []
    return [
        checks.Warning(
            "The application's database role owns the access log or may change, delete or "
            "empty it.",
            hint="Run the application as a role of its own and migrate as the owner "
            "(STEMME_OWNER_DATABASE_URL; README, Running in production).",
            id="audit.W001",
        )
    ]
