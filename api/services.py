"""Writes of the API app: register, rotate and revoke system clients."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from api.models import SCOPES, ApiClient, ApiToken, Webhook, token_digest

MANAGERS = (Role.ADMINISTRATOR,)


def _new_token(client: ApiClient) -> str:
    token = f"stm_{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(client=client, digest=token_digest(token), prefix=token[:8])
    return token


@transaction.atomic
def api_client_create(
    *, actor, name: str, scopes: tuple[str, ...] = SCOPES
) -> tuple[ApiClient, str]:
    """Register a system client of the actor's municipality, allowed to `scopes` ("read",
    "write"); returns it with its first token (shown only now)."""
    if actor.role not in MANAGERS and not actor.is_superuser:
        raise PermissionDenied
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise ValidationError({"scopes": _("Scopes are read and write.")})
    user = User.objects.create(
        username=f"api-{actor.municipality.code}-{secrets.token_hex(4)}",
        first_name=name.strip()[:150],
        role=Role.CASE_SYSTEM,
        municipality=actor.municipality,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    client = ApiClient.objects.create(
        municipality=actor.municipality,
        name=name.strip(),
        user=user,
        created_by=actor,
        scopes=" ".join(scope for scope in SCOPES if scope in scopes),
    )
    return client, _new_token(client)


@transaction.atomic
def api_token_rotate(*, actor, client: ApiClient, grace_hours: int = 24) -> str:
    """A new token; the old ones keep working for `grace_hours` so the case system can switch."""
    if actor.municipality_id != client.municipality_id or client.revoked_at:
        raise PermissionDenied
    until = timezone.now() + timedelta(hours=grace_hours)
    client.tokens.filter(revoked_at__isnull=True).filter(expires_at__isnull=True).update(
        expires_at=until
    )
    return _new_token(client)


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient) -> None:
    """End the client and all its tokens at once."""
    if actor.municipality_id != client.municipality_id:
        raise PermissionDenied
    now = timezone.now()
    client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    client.revoked_at = now
    client.save(update_fields=["revoked_at"])
    User.objects.filter(pk=client.user_id).update(is_active=False)


@transaction.atomic
def webhook_create(*, actor, client: ApiClient, url: str) -> tuple[Webhook, str]:
    """Where the client wants events; returns it with its signing secret (shown only now)."""
    if actor.municipality_id != client.municipality_id or client.revoked_at:
        raise PermissionDenied
    URLValidator(schemes=["https", "http"])(url)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    return Webhook.objects.create(client=client, url=url, secret=secret), secret
