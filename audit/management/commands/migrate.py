"""Django's `migrate`, run as the owner of the tables when STEMME_OWNER_DATABASE_URL is set, and
followed by the application role's grants (audit/dbroles.py): the application itself
(DATABASE_URL) never owns a table, so it cannot alter or empty the access log."""

from contextlib import contextmanager

import dj_database_url
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from audit.dbroles import RoleProblem, grant_app_role

CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


def app_role_name() -> str:
    return settings.DATABASES[DEFAULT_DB_ALIAS].get("USER", "")


@contextmanager
def owner_connection():
    """The default connection, as the owner while inside (unchanged without an owner URL)."""
    url = settings.STEMME_OWNER_DATABASE_URL
    connection = connections[DEFAULT_DB_ALIAS]
    if not url or connection.vendor != "postgresql":
        yield
        return
    owner = dj_database_url.parse(url)
    kept = {key: connection.settings_dict.get(key) for key in CONNECTION_KEYS}
    connection.close()
    connection.settings_dict.update({key: owner.get(key) for key in CONNECTION_KEYS})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(kept)


class Command(migrate.Command):
    help = migrate.Command.help + " Runs as STEMME_OWNER_DATABASE_URL's role when it is set."

    def handle(self, *args, **options):
        owner_url = settings.STEMME_OWNER_DATABASE_URL
        if not owner_url or options["database"] != DEFAULT_DB_ALIAS:
            return super().handle(*args, **options)
        app_role = app_role_name()
        with owner_connection():
            super().handle(*args, **options)
            if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
                try:
                    grant_app_role(connections[DEFAULT_DB_ALIAS], app_role)
                except RoleProblem as problem:
                    raise CommandError(str(problem)) from None
                if options["verbosity"]:
                    self.stdout.write(f"Granted {app_role} its privileges (append-only log).")
