"""On PostgreSQL the access log defends itself: the roles are set up exactly as README.md's
production section says, and the application's role can add to the log and read it, but
cannot change, delete, empty or unprotect it."""

import os
import re
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from audit.dbroles import grant_statements

README = (settings.BASE_DIR / "README.md").read_text()

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles exist on PostgreSQL"
)


def _sql_block(starting: str) -> str:
    return re.search(r"```sql\n(" + re.escape(starting) + r".*?)```", README, re.S).group(1)


def test_readme_shows_the_grants_that_migrate_applies():
    shown = _sql_block("GRANT USAGE ON SCHEMA").strip().splitlines()
    applied = [f"{line};" for line in grant_statements("stemme_app", lambda name: name)]
    assert shown == applied


@pytest.fixture
def roles_database(tmp_path):
    """A database and two roles made from README's superuser block, named after the test
    database (roles are shared by the whole server), removed afterwards."""
    server = connection.settings_dict
    base = re.sub(r"\W", "_", server["NAME"])
    names = {"db": f"{base}_roles", "owner": f"{base}_owner", "app": f"{base}_app"}
    superuser = {
        "host": server["HOST"] or "127.0.0.1",
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
    }

    def drop(admin):
        admin.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{names["app"]}"')
        admin.execute(f'DROP ROLE IF EXISTS "{names["owner"]}"')

    setup = (
        _sql_block("-- Stemme's database roles")
        .replace("stemme_owner", names["owner"])
        .replace("stemme_app", names["app"])
        .replace("DATABASE stemme ", f"DATABASE {names['db']} ")
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **superuser) as admin:
        drop(admin)
        for statement in filter(str.strip, setup.split(";")):
            admin.execute(statement)
    address = f"{superuser['host']}:{superuser['port']}/{names['db']}"
    yield {
        **names,
        "superuser": superuser,
        "app_url": f"postgres://{names['app']}:…@{address}",
        "owner_url": f"postgres://{names['owner']}:…@{address}",
        "env": {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "stemme.settings",
            "SECRET_KEY": "roles-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "STEMME_AUDIT_KEY": "roles-test-audit-key-9876543210-zyxwvutsrqponmlkjihgfedcba",
            "STEMME_AUDIT_ANCHORS": str(tmp_path / "anchors"),
            "STEMME_SSL_REDIRECT": "false",
        },
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **superuser) as admin:
        drop(admin)


def _manage(setup, *args, as_owner=False):
    env = {**setup["env"], "DATABASE_URL": setup["app_url"]}
    if as_owner:
        env["STEMME_OWNER_DATABASE_URL"] = setup["owner_url"]
    return subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_application_role_may_only_add_to_the_log_and_read_it(roles_database):
    setup = roles_database
    migrated = _manage(setup, "migrate", "--noinput", as_owner=True)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    role_check = _manage(
        setup,
        "check",
        "--deploy",
        "--database",
        "default",
        "--tag",
        "database",
        "--fail-level",
        "WARNING",
    )
    assert role_check.returncode == 0, role_check.stdout + role_check.stderr
    # The application, as its own role: it writes the log (moving the head) and verifies it.
    written = _manage(
        setup,
        "shell",
        "-c",
        "from audit.services import access_record\n"
        "for n in range(3): access_record(user=None, action='sign_in_failed', record=f'n{n}')",
    )
    assert written.returncode == 0, written.stderr
    anchored = _manage(setup, "audit_anchor")
    assert anchored.returncode == 0 and anchored.stdout.startswith("3:"), anchored.stderr
    verified = _manage(setup, "audit_verify")
    assert verified.returncode == 0, verified.stderr
    assert "3 entries" in verified.stdout and "anchor 3 found intact" in verified.stdout

    app = {**setup["superuser"], "user": setup["app"], "dbname": setup["db"]}
    with psycopg.connect(autocommit=True, **app) as as_app:
        assert as_app.execute("SELECT count(*) FROM audit_accessevent").fetchone() == (3,)
        with pytest.raises(psycopg.errors.NotNullViolation), as_app.transaction():
            as_app.execute("INSERT INTO audit_accessevent (sequence) VALUES (4)")  # may insert
        owned = as_app.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole"
        ).fetchone()
        assert owned == (0,)
        refused = [
            "TRUNCATE audit_accessevent",
            "TRUNCATE audit_accessevent CASCADE",
            "UPDATE audit_accessevent SET purpose = 'nothing to see' WHERE sequence = 2",
            "DELETE FROM audit_accessevent WHERE sequence = 3",
            "ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_append_only",
            "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_accessevent_append_only ON audit_accessevent",
            "DROP TABLE audit_accessevent CASCADE",
            "ALTER TABLE audit_accessevent RENAME TO audit_old",
            "SET session_replication_role = replica",
            # The head: forward only, to an entry that exists, never removed.
            "UPDATE audit_chainhead SET sequence = 1,"
            " entry_hash = (SELECT entry_hash FROM audit_accessevent WHERE sequence = 1)",
            "UPDATE audit_chainhead SET sequence = 9, entry_hash = repeat('a', 64)",
            "DELETE FROM audit_chainhead",
            "TRUNCATE audit_chainhead",
            "ALTER TABLE audit_chainhead DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_chainhead_forward_only ON audit_chainhead",
            "DELETE FROM django_migrations",
        ]
        allowed = []
        for statement in refused:
            try:
                with as_app.transaction():
                    as_app.execute(statement)
                allowed.append(statement)
            except psycopg.errors.InsufficientPrivilege:
                pass
            except psycopg.errors.RaiseException as refusal:
                assert "access log" in str(refusal), statement
        assert allowed == []
    verified = _manage(setup, "audit_verify")
    assert verified.returncode == 0 and "3 entries" in verified.stdout, verified.stderr
