"""The database roles on PostgreSQL: the owner of the tables runs the migrations; the application
runs as a role that may read and write what it needs, but may only add to the access log and
read it — no UPDATE, DELETE or TRUNCATE, and, not being the owner, no ALTER TABLE (so no
DISABLE or DROP TRIGGER). The chain's head it may move forward only (migration 0006's trigger).

`manage.py migrate` applies these grants after every migration when it runs as the owner
(STEMME_OWNER_DATABASE_URL); `manage.py db_grants --print` shows them for a database
administrator."""

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY = "audit_accessevent"
HEAD = "audit_chainhead"


class RoleProblem(Exception):
    """The application's role would be able to rewrite the log."""


def grant_statements(app_role: str, quote) -> list[str]:
    """The grants of the application's role, idempotent, in order (later revokes win)."""
    role = quote(app_role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # The access log: add and read, nothing else.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {APPEND_ONLY} FROM {role}",
        # The chain's head: every append moves it (forward only, enforced by its trigger).
        f"REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON {HEAD} FROM {role}",
        # Which migrations ran is the owner's business.
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM {role}",
    ]


def grant_app_role(connection: BaseDatabaseWrapper, app_role: str) -> list[str]:
    """Apply the grants as the connected owner, in one transaction (the broad grant and the
    revokes after it take effect together); refuses a role that could rewrite the log."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        if app_role == owner:
            raise RoleProblem(
                f"The application connects as {app_role}, the owner of the tables: give it a "
                "role of its own (README, Running in production)."
            )
        cursor.execute(
            "SELECT rolsuper, pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [owner, app_role],
        )
        found = cursor.fetchone()
        if found is None:
            raise RoleProblem(f"There is no database role {app_role}; create it first.")
        if found[0] or found[1]:
            raise RoleProblem(
                f"{app_role} is a superuser or a member of {owner}: it could rewrite the log."
            )
        statements = grant_statements(app_role, connection.ops.quote_name)
        for statement in statements:
            cursor.execute(statement)
    return statements


def may_rewrite_the_log(connection: BaseDatabaseWrapper) -> bool:
    """Whether the connected role owns the access log or may change, delete or empty it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, relowner, 'MEMBER')"
            " OR has_table_privilege(current_user, oid, 'UPDATE, DELETE, TRUNCATE')"
            " FROM pg_class WHERE oid = to_regclass(%s)",
            [APPEND_ONLY],
        )
        found = cursor.fetchone()
    return bool(found and found[0])
