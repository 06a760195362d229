"""Stemme's one settings module. Everything an operator changes is an environment variable,
documented in README.md; the defaults serve the embedded SQLite demo."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from stemme.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("STEMME_DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or STEMME_DEBUG=true for a local demo).")
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("STEMME_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("STEMME_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.apps.StemmeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "csp",
    # Before django_tasks_db: Stemme's db_worker (core/management) wraps the library's own.
    "core.apps.CoreConfig",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "cases",
    "continuity",
    "access",
    "audit",
    "conversations",
    "feedback",
    "plans",
    "insights",
    "survey",
    "records",
    "api",
    "reflection",
    "lifebook",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after the static files: every other answer, redirects and refusals included.
    "core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    "core.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "access.middleware.AccessMiddleware",
    "portal.middleware.PortalSessionMiddleware",
    "feedback.middleware.ScreenLockMiddleware",
]

ROOT_URLCONF = "stemme.urls"
WSGI_APPLICATION = "stemme.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.stemme",
            ],
        },
    },
]

# Database: embedded SQLite by default; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        # A writer waits this long for another's short write instead of failing at once.
        "timeout": envint("STEMME_SQLITE_BUSY_TIMEOUT_SECONDS", 20),
    }
else:
    # A database that is down or never answers must cost a request seconds, not minutes: the
    # request gets the 503 page (core.errors) and the threads stay free.
    _statement_ms = envint("STEMME_DB_STATEMENT_TIMEOUT_MS", 30000)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"connect_timeout": envint("STEMME_DB_CONNECT_TIMEOUT_SECONDS", 5)}
        | ({"options": f"-c statement_timeout={_statement_ms}"} if _statement_ms else {})
    )
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# On PostgreSQL the application (DATABASE_URL) runs as a role that may only add to the access log
# and read it; `manage.py migrate` connects as the owner of the tables instead when this is set,
# and then grants the application's role what it may do (audit/dbroles.py, README).
STEMME_OWNER_DATABASE_URL = envstr("STEMME_OWNER_DATABASE_URL", "")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# An invitation to a new contributor (choose your password) is valid for a week.
PASSWORD_RESET_TIMEOUT = envint("STEMME_INVITATION_SECONDS", 7 * 24 * 3600)
LOGIN_REDIRECT_URL = "core:home"

# Sessions end when idle: every request renews the cookie, an idle one expires.
SESSION_COOKIE_AGE = envint("STEMME_IDLE_TIMEOUT_MINUTES", 30) * 60
# The idle timer is renewed by core.middleware.SlidingSessionMiddleware, at most once a minute,
# not by a session write on every request.
SESSION_SAVE_EVERY_REQUEST = False
STEMME_SESSION_REFRESH_SECONDS = envint("STEMME_SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = envbool("STEMME_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Oversized requests get a clear 400 page instead of being read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("STEMME_MAX_REQUEST_BYTES", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Security headers. HSTS only where the operator serves over HTTPS.
SECURE_HSTS_SECONDS = envint("STEMME_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = envbool("STEMME_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Lockout after repeated failed sign-ins (django-axes), for every way a staff password is typed
# (the sign-in page and the handed-over screen's unlock).
AXES_FAILURE_LIMIT = envint("STEMME_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("STEMME_LOGIN_LOCKOUT_MINUTES", 15))
# Lock the account itself, whatever address the attempts come from: rotating addresses must not
# open a way around the lockout.
AXES_LOCKOUT_PARAMETERS = ["username"]
# ... and, separately, the client address after this many failures for any usernames within the
# lockout period, so one address can neither spray a few guesses at every known username nor
# lock every known account out (accounts.signin.SignInThrottle). Higher than the account's
# limit: a whole town hall may share one address.
STEMME_LOGIN_ADDRESS_FAILURE_LIMIT = envint("STEMME_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "accounts.signin.SignInThrottle"
# Attempts refused by a lock are not counted: a locked-out address cannot go on locking accounts.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client's address: the connection's own, unless the operator says how many reverse proxies
# stand in front of Stemme (each appends to X-Forwarded-For, which is otherwise never trusted).
STEMME_PROXY_COUNT = envint("STEMME_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
# Unknown usernames are stored as a keyed digest, never as typed (a password in the wrong field).
AXES_USERNAME_CALLABLE = "accounts.signin.username_for_axes"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks for the address among AXES_LOCKOUT_PARAMETERS: the address has its own, higher
# limit in SignInThrottle instead.
# HSTS preloading commits a whole domain (often the municipality's) to HTTPS for good: that is
# the municipality's decision, not Stemme's, so its check is silenced rather than forced.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]

OTP_TOTP_ISSUER = "Stemme"

# Internationalisation: Danish first, English available.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STEMME_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("STEMME_MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files (photos, life book media, PDFs) go through Django's storage API: the local file
# system by default, S3-compatible object storage (private bucket, no public URLs) when
# STEMME_S3_BUCKET is set. Credentials come from the usual AWS_* environment variables.
STEMME_S3_BUCKET = envstr("STEMME_S3_BUCKET", "")
STEMME_S3_ENDPOINT_URL = envstr("STEMME_S3_ENDPOINT_URL", "")
STEMME_S3_REGION = envstr("STEMME_S3_REGION", "")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STEMME_S3_BUCKET,
            "endpoint_url": STEMME_S3_ENDPOINT_URL or None,
            "region_name": STEMME_S3_REGION or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": envstr("STEMME_S3_PREFIX", ""),
        },
    }
    if STEMME_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background tasks (reminders): Django's task framework with its database-backed worker,
# `python manage.py db_worker` (started by `make run`; a service of its own in production).
# Two queues: a child's alarm goes to "urgent", which a worker of its own serves, so it never
# waits behind a book being printed or a slow mail server (core/worker.py, README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "urgent"]}}
STEMME_WORKER_HEARTBEAT_SECONDS = envint("STEMME_WORKER_HEARTBEAT_SECONDS", 10)
STEMME_WORKER_STALE_SECONDS = envint("STEMME_WORKER_STALE_SECONDS", 60)
STEMME_TASK_MAX_ATTEMPTS = envint("STEMME_TASK_MAX_ATTEMPTS", 3)
STEMME_TASK_WAIT_WARNING_MINUTES = envint("STEMME_TASK_WAIT_WARNING_MINUTES", 5)
STEMME_ALERT_MAIL_ATTEMPTS = envint("STEMME_ALERT_MAIL_ATTEMPTS", 8)

# E-mail: printed to the console in the demo, sent through SMTP in production.
EMAIL_BACKEND = envstr(
    "STEMME_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("STEMME_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("STEMME_EMAIL_PORT", 25)
EMAIL_USE_TLS = envbool("STEMME_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("STEMME_EMAIL_FROM", "stemme@localhost")
# Every outside call has a timeout: a mail server that accepts and never answers must not hold
# the worker (and every task behind it).
EMAIL_TIMEOUT = envint("STEMME_EMAIL_TIMEOUT_SECONDS", 15)
STEMME_PUBLIC_URL = envstr("STEMME_PUBLIC_URL", "http://127.0.0.1:8000")

# The child's portal (/me/): a personal code from the caseworker plus a PIN the child chooses.
STEMME_PORTAL_CODE_DAYS = envint("STEMME_PORTAL_CODE_DAYS", 14)  # first use before this
STEMME_PORTAL_PIN_TRIES = envint("STEMME_PORTAL_PIN_TRIES", 5)  # wrong PINs before a pause
STEMME_PORTAL_LOCK_MINUTES = envint("STEMME_PORTAL_LOCK_MINUTES", 15)
STEMME_PORTAL_IDLE_MINUTES = envint("STEMME_PORTAL_IDLE_MINUTES", 15)  # short idle sessions
# Someone guessing a child's PIN: after this many pauses within this many hours the code is
# closed and the caseworker told. Guessing codes: this many unknown codes from one client address
# pause the sign-in from there for STEMME_PORTAL_LOCK_MINUTES.
STEMME_PORTAL_CLOSE_AFTER_PAUSES = envint("STEMME_PORTAL_CLOSE_AFTER_PAUSES", 3)
STEMME_PORTAL_CLOSE_WINDOW_HOURS = envint("STEMME_PORTAL_CLOSE_WINDOW_HOURS", 24)
STEMME_PORTAL_CODE_FAILURES = envint("STEMME_PORTAL_CODE_FAILURES", 10)
# "I need to talk": within working hours it reaches the caseworker; outside, the on-call duty too.
STEMME_WORKING_HOURS = (envint("STEMME_WORKDAY_START", 8), envint("STEMME_WORKDAY_END", 16))
# Who else can help the child (Børns Vilkår's children's helpline by default).
STEMME_CHILD_HELPLINE_NAME = envstr("STEMME_CHILD_HELPLINE_NAME", "BørneTelefonen (Børns Vilkår)")
STEMME_CHILD_HELPLINE_PHONE = envstr("STEMME_CHILD_HELPLINE_PHONE", "116 111")
# From 18 the young adult keeps the life book and can download it whole (PDF and originals).
STEMME_ADULT_AGE = envint("STEMME_ADULT_AGE", 18)
# Insights outside the municipality's own leaders (the analyst, evaluators' exports, the
# children's survey) never show a figure that fewer people than this stand behind.
STEMME_SMALL_CELL = envint("STEMME_SMALL_CELL", 5)
# Moving a case between municipalities: bundles are signed with this key, shared by the
# municipalities that exchange cases (empty: derived from SECRET_KEY, for one installation).
STEMME_TRANSFER_KEY = envstr("STEMME_TRANSFER_KEY", "")
STEMME_TRANSFER_MAX_BYTES = envint("STEMME_TRANSFER_MAX_BYTES", 20 * 1024**3)
# Arkivloven: records are kept this many years after the case closes before delivery to the
# public archives; nothing is removed before an archival export has been made.
STEMME_RETENTION_YEARS = envint("STEMME_RETENTION_YEARS", 5)
# A team's or municipality's dashboard is read from a snapshot; one older than this is counted
# again in the background (the page says when its figures were counted).
STEMME_INSIGHTS_MAX_AGE_MINUTES = envint("STEMME_INSIGHTS_MAX_AGE_MINUTES", 15)
# The national eID (MitID, issued from 13) through the municipality's identity broker. Empty: off.
# "standin": a local stand-in for development and tests (refused unless STEMME_DEBUG is on);
# the broker's OpenID Connect client comes with municipal sign-in for staff.
STEMME_MITID_BROKER = envstr("STEMME_MITID_BROKER", "")
STEMME_MITID_MIN_AGE = envint("STEMME_MITID_MIN_AGE", 13)

# Outgoing notifications to the case system (webhooks): attempts before a delivery gives up
# (1, 2, 4 … minutes apart) and how long one attempt may take.
STEMME_WEBHOOK_ATTEMPTS = envint("STEMME_WEBHOOK_ATTEMPTS", 8)
STEMME_WEBHOOK_TIMEOUT_SECONDS = envint("STEMME_WEBHOOK_TIMEOUT_SECONDS", 10)

# Bulk import of children and cases from the case system's CSV or Excel export.
STEMME_IMPORT_MAX_BYTES = envint("STEMME_IMPORT_MAX_BYTES", 20_000_000)
STEMME_IMPORT_MAX_ROWS = envint("STEMME_IMPORT_MAX_ROWS", 100_000)

# Municipal sign-in for staff through the municipality's OpenID Connect provider
# (mozilla-django-oidc). On when STEMME_OIDC_CLIENT_ID is set; the provider's groups map to
# Stemme's roles ("group=role,…", roles: caseworker, team_leader, head_of_department,
# administrator, analyst) and, optionally, to teams ("group=Team name,…").
STEMME_OIDC_CLIENT_ID = envstr("STEMME_OIDC_CLIENT_ID", "")
STEMME_OIDC_ENABLED = bool(STEMME_OIDC_CLIENT_ID)
STEMME_OIDC_MUNICIPALITY = envstr("STEMME_OIDC_MUNICIPALITY", "")
STEMME_OIDC_USERNAME_CLAIM = envstr("STEMME_OIDC_USERNAME_CLAIM", "preferred_username")
STEMME_OIDC_GROUPS_CLAIM = envstr("STEMME_OIDC_GROUPS_CLAIM", "groups")
STEMME_OIDC_ROLE_GROUPS = envlist("STEMME_OIDC_ROLE_GROUPS", [])
STEMME_OIDC_TEAM_GROUPS = envlist("STEMME_OIDC_TEAM_GROUPS", [])
# "idp": the provider's own multi-factor sign-in counts as the second factor; "stemme": staff
# confirm with Stemme's TOTP as well.
STEMME_OIDC_SECOND_FACTOR = envstr("STEMME_OIDC_SECOND_FACTOR", "idp")
OIDC_RP_CLIENT_ID = STEMME_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = envstr("STEMME_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = envstr("STEMME_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = envstr("STEMME_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = envstr("STEMME_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = envstr("STEMME_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = envstr("STEMME_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = envstr("STEMME_OIDC_SCOPES", "openid email profile")
OIDC_TIMEOUT = 10
OIDC_CALLBACK_CLASS = "accounts.oidc.SignInCallback"
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.SignInStart"
LOGIN_REDIRECT_URL_FAILURE = "/login/"
if STEMME_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.MunicipalOIDCBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("STEMME_LOG_LEVEL", "WARNING")},
}

# --- Stemme's own rules. Figures come from law or practice and change: keep them settings. ---

# The key of the access log's hash chain (HMAC). Keep it outside the database. Required in
# production and never the same as SECRET_KEY (a system check, audit/checks.py); only the local
# demo derives it from SECRET_KEY.
STEMME_AUDIT_KEY = envstr("STEMME_AUDIT_KEY", "")
# Where the worker writes the access log's anchors (its head's number and hash), outside the
# database: a folder (a mount of another server) or `s3://bucket/prefix`. Every this many
# minutes; `audit_verify` checks the log against the latest one.
STEMME_AUDIT_ANCHORS = envstr("STEMME_AUDIT_ANCHORS", "")
STEMME_AUDIT_ANCHOR_MINUTES = envint("STEMME_AUDIT_ANCHOR_MINUTES", 60)

# How long a break-glass opening of an unassigned child lasts.
STEMME_BREAK_GLASS_HOURS = envint("STEMME_BREAK_GLASS_HOURS", 8)

# Staff must confirm sign-in with a second factor (TOTP). Only a local demo may turn this off;
# the sign-in page then says so.
STEMME_REQUIRE_2FA = envbool("STEMME_REQUIRE_2FA", True)

# Dansk Socialrådgiverforening recommends 20-30 children per caseworker.
STEMME_CASELOAD_THRESHOLD = envint("STEMME_CASELOAD_THRESHOLD", 25)

# Barnets lov § 20: the child-professional assessment is completed within 4 months.
STEMME_ASSESSMENT_DEADLINE_MONTHS = envint("STEMME_ASSESSMENT_DEADLINE_MONTHS", 4)

# Barnets lov §§ 95-96: the first follow-up at the latest 3 months after support starts.
STEMME_FIRST_FOLLOW_UP_MONTHS = envint("STEMME_FIRST_FOLLOW_UP_MONTHS", 3)

# How far ahead the caseworker's "what is due" list looks.
STEMME_DUE_HORIZON_DAYS = envint("STEMME_DUE_HORIZON_DAYS", 30)

# Continuity is counted as distinct responsible caseworkers over this many months.
STEMME_CONTINUITY_WINDOW_MONTHS = envint("STEMME_CONTINUITY_WINDOW_MONTHS", 12)

# Barnets lov § 137: after a report of concern about violence or abuse, a conversation with the
# child is mandatory; Stemme expects it within this many days.
STEMME_ABUSE_CONVERSATION_DAYS = envint("STEMME_ABUSE_CONVERSATION_DAYS", 7)

# Barnets lov § 5: a conversation counts as "before the decision" when held within this many
# days before it (or linked to it).
STEMME_DECISION_CONVERSATION_WINDOW_DAYS = envint("STEMME_DECISION_CONVERSATION_WINDOW_DAYS", 90)

# Barnets lov § 156, stk. 5: at least two supervision visits a year at the placement, where the
# municipality talks with the child. Stemme holds every placement to this many visits in each
# window of this many months (pro rata in a placement's first window: conversations.rules).
STEMME_SUPERVISION_VISITS = envint("STEMME_SUPERVISION_VISITS", 2)
STEMME_SUPERVISION_WINDOW_MONTHS = envint("STEMME_SUPERVISION_WINDOW_MONTHS", 12)

# How far back the due-lists look for decisions, reports and measures still to act on.
STEMME_DUE_LOOKBACK_DAYS = envint("STEMME_DUE_LOOKBACK_DAYS", 365)

# Barnets lov § 6: a bisidder must be at least this old.
STEMME_BISIDDER_MIN_AGE = envint("STEMME_BISIDDER_MIN_AGE", 15)

# The highest LIX of a summary to the child, per age band: (up to and including age, limit).
STEMME_LIX_LIMITS = [
    (9, envint("STEMME_LIX_MAX_UNDER_10", 25)),
    (12, envint("STEMME_LIX_MAX_10_TO_12", 30)),
    (17, envint("STEMME_LIX_MAX_13_TO_17", 35)),
]

# Uploaded images (photos, drawings): checked from their content, re-encoded (core.uploads).
STEMME_MAX_IMAGE_BYTES = envint("STEMME_MAX_IMAGE_BYTES", 10_000_000)
STEMME_MAX_IMAGE_PIXELS = envint("STEMME_MAX_IMAGE_PIXELS", 40_000_000)
# Life book media besides photos: short videos, sound and documents, each type read from the
# file's content. Office documents are zip files: their unpacked size is capped (zip bombs).
STEMME_MAX_VIDEO_BYTES = envint("STEMME_MAX_VIDEO_BYTES", 100_000_000)
STEMME_MAX_AUDIO_BYTES = envint("STEMME_MAX_AUDIO_BYTES", 25_000_000)
STEMME_MAX_DOCUMENT_BYTES = envint("STEMME_MAX_DOCUMENT_BYTES", 20_000_000)
STEMME_MAX_UNZIPPED_BYTES = envint("STEMME_MAX_UNZIPPED_BYTES", 100_000_000)
# How long ffmpeg may take to remux one video or sound file without its metadata (core.uploads).
STEMME_MEDIA_TIMEOUT_SECONDS = envint("STEMME_MEDIA_TIMEOUT_SECONDS", 120)

# The child's feedback: how long a link (or QR code) to answer stays valid, and how long the
# caseworker's screen may stay handed over.
STEMME_FEEDBACK_LINK_HOURS = envint("STEMME_FEEDBACK_LINK_HOURS", 72)
STEMME_FEEDBACK_SCREEN_HOURS = envint("STEMME_FEEDBACK_SCREEN_HOURS", 2)

# Barnets lov § 3: from this age the child is a party in the cases § 3 lists: may complain about
# decisions (§§ 144-150) and see their own file (forvaltningsloven § 9).
STEMME_PARTY_AGE = envint("STEMME_PARTY_AGE", 10)

# How long a party has to complain (retssikkerhedsloven § 67, stk. 1: 4 weeks from being told).
STEMME_COMPLAINT_WEEKS = envint("STEMME_COMPLAINT_WEEKS", 4)

# Barnets lov § 91: the child's plan within 3 months of the decision (mandatory for placements);
# § 91, stk. 2 (with § 47): before the decision for a placement without consent; § 108: an
# ungeplan from 16.
STEMME_PLAN_DEADLINE_MONTHS = envint("STEMME_PLAN_DEADLINE_MONTHS", 3)
STEMME_YOUTH_PLAN_AGE = envint("STEMME_YOUTH_PLAN_AGE", 16)

# Barnets livsbog: how often each kind of contributor is expected to add an entry (days);
# 0: no obligation. A municipality sets its own figures.
STEMME_LIFEBOOK_CADENCE_DAYS = {
    "foster_carer": envint("STEMME_LIFEBOOK_DAYS_FOSTER_CARER", 30),
    "institution_staff": envint("STEMME_LIFEBOOK_DAYS_INSTITUTION", 30),
    "parent": envint("STEMME_LIFEBOOK_DAYS_PARENT", 0),
    "teacher": envint("STEMME_LIFEBOOK_DAYS_TEACHER", 180),
    "other": 0,
}
