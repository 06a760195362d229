"""Register, rotate and revoke the case system's API clients."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from api import services
from api.models import ApiClient


class Command(BaseCommand):
    help = (
        "Manage API clients of a municipality: 'create NAME', 'rotate ID' (a new token; the old "
        "one works for --grace-hours more), 'revoke ID' (at once), 'list', or 'webhook ID --url "
        "URL' (notify the case system at URL; its signing secret is shown once). Tokens are "
        "shown once."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "revoke", "list", "webhook"])
        parser.add_argument("target", nargs="?", default="", help="A name, or a client's id.")
        parser.add_argument("--by", required=True, help="The administrator's username.")
        parser.add_argument("--grace-hours", type=int, default=24)
        parser.add_argument("--url", default="", help="With 'webhook': where to send events.")
        parser.add_argument(
            "--scopes",
            default="read,write",
            help="With 'create': what its tokens may do, 'read', 'write' or 'read,write'.",
        )

    def handle(self, *args, action, target, by, grace_hours, url, scopes, **options):
        actor = User.objects.filter(username=by, is_active=True).first()
        if actor is None or actor.municipality_id is None:
            raise CommandError(f"No active administrator {by} of a municipality.")
        try:
            if action == "create":
                if not target.strip():
                    raise CommandError("Give the client a name.")
                client, token = services.api_client_create(
                    actor=actor, name=target, scopes=tuple(scopes.replace(" ", "").split(","))
                )
                self.stdout.write(
                    f"Client {client.pk} '{client.name}'. Token (shown once): {token}"
                )
                return
            if action == "list":
                for client in ApiClient.objects.filter(municipality_id=actor.municipality_id):
                    state = "revoked" if client.revoked_at else "active"
                    self.stdout.write(f"{client.pk}\t{client.name}\t{client.scopes}\t{state}")
                return
            client = ApiClient.objects.filter(
                pk=int(target) if target.isdigit() else 0, municipality_id=actor.municipality_id
            ).first()
            if client is None:
                raise CommandError(f"No client {target} in {by}'s municipality.")
            if action == "webhook":
                hook, secret = services.webhook_create(actor=actor, client=client, url=url)
                self.stdout.write(
                    f"Webhook {hook.pk} to {hook.url}. Signing secret (shown once): {secret}"
                )
                return
            if action == "rotate":
                token = services.api_token_rotate(
                    actor=actor, client=client, grace_hours=grace_hours
                )
                self.stdout.write(f"New token (shown once): {token}")
            else:
                services.api_client_revoke(actor=actor, client=client)
                self.stdout.write(f"Client {client.pk} revoked; its tokens no longer work.")
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        except PermissionDenied as refused:
            raise CommandError(
                "Only an administrator of the municipality may do that."
            ) from refused
