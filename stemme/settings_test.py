"""Settings for the test suite: the production settings with a throwaway key. DATABASE_URL
chooses SQLite (default) or PostgreSQL, exactly as in production."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("STEMME_AUDIT_KEY", "test-only-audit-key-independent-of-the-secret-key")
os.environ.setdefault("STEMME_REQUIRE_2FA", "true")
# The test client and the browser tests speak plain HTTP to the test server.
os.environ.setdefault("STEMME_SSL_REDIRECT", "false")
# Playwright's sync API runs an event loop in the test thread; the ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from stemme.settings import *  # noqa: E402,F403

# Argon2 at full strength makes every test sign-in slow; tests check behaviour, not cost
# (accounts/tests.py checks that production uses Argon2).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Uploaded files from the tests go to a throwaway folder, never into the project.
import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="stemme-test-media-"))  # noqa: F405

# SQLite is tested as it runs: a file in WAL mode, so concurrent requests in the race tests
# meet SQLite's real locking, not the shared-cache table locks of an in-memory database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"stemme-test-{os.getpid()}.sqlite3")  # noqa: F405
    }
