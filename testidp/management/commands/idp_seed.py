"""Make the provider's signing key, its one client (Stemme) and its users with their groups."""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Seed the test identity provider: --client-id, --secret, --redirect-uri, --users JSON."

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--secret", required=True)
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument("--users", required=True, help='[{"username", "password", "groups"}]')

    def handle(self, *args, client_id, secret, redirect_uri, users, **options):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (settings.FOLDER / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        Application.objects.create(
            name="Stemme",
            client_id=client_id,
            client_secret=secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=redirect_uri,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
        for spec in json.loads(users):
            user = User.objects.create_user(
                spec["username"],
                email=spec.get("email", ""),
                password=spec["password"],
                first_name=spec.get("first_name", ""),
                last_name=spec.get("last_name", ""),
            )
            for name in spec.get("groups", []):
                user.groups.add(Group.objects.get_or_create(name=name)[0])
        self.stdout.write(f"Seeded {len(json.loads(users))} users.")
