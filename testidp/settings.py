"""A real OpenID Connect provider for Stemme's sign-in tests (django-oauth-toolkit), run as a
separate process beside the app under test: the municipality's identity provider, in small.
Never part of Stemme itself; its database and signing key live in a throwaway folder."""

import os
from pathlib import Path

FOLDER = Path(os.environ["TESTIDP_FOLDER"])

SECRET_KEY = "test-identity-provider-only"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
ROOT_URLCONF = "testidp.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "testidp",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": FOLDER / "idp.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
USE_TZ = True
LOGIN_URL = "/accounts/login/"
# The provider and Stemme run on the same machine: their cookies must not meet.
SESSION_COOKIE_NAME = "idp_session"
CSRF_COOKIE_NAME = "idp_csrf"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (FOLDER / "key.pem").read_text()
    if (FOLDER / "key.pem").exists()
    else "",
    "OAUTH2_VALIDATOR_CLASS": "testidp.validators.GroupsValidator",
    "PKCE_REQUIRED": False,
    "SCOPES": {
        "openid": "OpenID Connect",
        "email": "E-mail",
        "profile": "Profile",
        "groups": "Groups",
    },
}
