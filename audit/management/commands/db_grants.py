"""Grant the application's database role what it may do (PostgreSQL): everything it needs, but
only INSERT and SELECT on the access log. `migrate` does this itself when it runs as the owner;
run this by hand after changing roles, or with --print to hand the SQL to a DBA."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit.dbroles import RoleProblem, grant_app_role, grant_statements
from audit.management.commands.migrate import app_role_name, owner_connection


class Command(BaseCommand):
    help = (
        "Grant the application's database role (the user of DATABASE_URL, or --app-role) its "
        "privileges, connected as the owner (STEMME_OWNER_DATABASE_URL): only INSERT and SELECT "
        "on the access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--app-role", help="default: the user of DATABASE_URL")
        parser.add_argument(
            "--print", action="store_true", dest="print_only", help="print the SQL, change nothing"
        )

    def handle(self, *args, app_role, print_only, **options):
        app_role = app_role or app_role_name()
        if print_only:
            for statement in grant_statements(app_role, connection.ops.quote_name):
                self.stdout.write(statement + ";")
            return
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        with owner_connection():
            try:
                statements = grant_app_role(connection, app_role)
            except RoleProblem as problem:
                raise CommandError(str(problem)) from None
        self.stdout.write(f"{app_role}: {len(statements)} grants applied.")
