"""Settings for Pakta, read from the environment.

The embedded default (no variables set) runs on SQLite in ``var/`` with the database task
backend. Every variable is documented in ``docs/operations.md`` and ``.env.example``.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("PAKTA_VAR_DIR", PROJECT_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or os.environ.get("PAKTA_TESTING") == "1"
PRODUCTION = os.environ.get("PAKTA_ENV", "development") == "production"
# Off unless asked for: `make run` serves like production, so a page error shows Pakta's own
# translated error page, never Django's debug page (which lists every URL pattern).
DEBUG = env_bool("PAKTA_DEBUG", default=False)
DEMO_MODE = env_bool("PAKTA_DEMO", default=not PRODUCTION)


def _secret_key() -> str:
    """Return the secret key from the environment, or one generated once into ``var/``."""
    if key := os.environ.get("PAKTA_SECRET_KEY"):
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "PAKTA_SECRET_KEY must be set when PAKTA_ENV=production"
            " (a long random string, e.g. from `python3 -c 'import secrets;"
            " print(secrets.token_urlsafe(50))'`)."
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # Written with mode 600 from the start, and linked into place atomically: the web process
        # and the task worker start together and must end up with one and the same key.
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("PAKTA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("PAKTA_CSRF_TRUSTED_ORIGINS")
# A refused form is explained in the visitor's language, in every mode (not Django's debug page).
CSRF_FAILURE_VIEW = "pakta.core.views.csrf_failure"
# The public address printed in QR codes, links and CRL points of signed documents. By default
# the address `make run` serves on (PORT), so `PORT=8100 make run` writes links that resolve.
SITE_URL = os.environ.get(
    "PAKTA_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000').strip() or '8000'}"
)


def is_loopback_url(url: str) -> bool:
    """True when ``url`` names this machine only (localhost, 127.0.0.0/8, ::1) or no host."""
    host = (urlsplit(url).hostname or "").lower()
    if host in {"", "localhost"} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


if PRODUCTION and is_loopback_url(SITE_URL):
    from django.core.exceptions import ImproperlyConfigured

    # Verification QR codes and e-mails carry this address: a loopback one reaches no citizen.
    raise ImproperlyConfigured(
        f"PAKTA_SITE_URL is {SITE_URL!r}, a loopback address: set it to the public address of"
        " this Pakta when PAKTA_ENV=production (e.g. https://pakta.example.go.id)."
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "pakta.core",
    "pakta.audit",
    "pakta.org",
    "pakta.accounts",
    "pakta.signing",
    "pakta.pacts",
    "pakta.performance",
    "pakta.portal",
    "pakta.notifications",
    "pakta.surveys",
    "pakta.actionplans",
    "pakta.gratification",
    "pakta.reports",
    "pakta.ops",  # the top layer: demo data, backup, scheduler (docs/directory-map.md)
    "pakta.conflicts",
    "pakta.procurement",
    "pakta.discipline",
]

MIDDLEWARE = [
    # First: the public reporting routes forget the sender before anything else sees the request.
    "pakta.reports.middleware.ReportPrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pakta.core.middleware.LanguageMiddleware",
    "pakta.core.zone.PemdaTimezoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A browser in kiosk mode (pacts.kiosk) reaches nothing but the kiosk's pages.
    "pakta.pacts.kiosk.KioskLockMiddleware",
    # Cache-Control: no-store for logged-in users and the API, and a Permissions-Policy.
    "pakta.core.headers.PrivacyHeadersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pakta.accounts.middleware.TwoFactorRequiredMiddleware",
    # After a form sent by a user, their kept "Tugas saya" is forgotten (core/todo.py).
    "pakta.core.todo.TodoCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pakta.urls"
WSGI_APPLICATION = "pakta.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "pakta.core.context_processors.pakta",
            ],
        },
    }
]

# --- Database --------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "pakta.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web or worker process keeps its connection between requests, as on PostgreSQL: opening
    # one (and its PRAGMAs) cost more than a whole cached page (docs/scale.md, "Serving"). Tests
    # open one per test, as before. A restore replaces the file: stop the processes first
    # (docs/backup.md).
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 60
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the task worker writes; IMMEDIATE takes the write
        # lock at the start of a transaction so two writers queue instead of failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not :memory:, so that backup tests and the live server see one database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-pakta.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    # django-tasks-rq with retries: a task whose worker dies mid-task runs again (core/tasks_rq.py).
    TASKS = {"default": {"BACKEND": "pakta.core.tasks_rq.RetryingRQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pakta_cache",
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING or env_bool("PAKTA_TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a user's "Tugas saya" is kept in the cache (0: not kept). Their own actions, a
# notification to them and a change of their roles show at once (pakta.core.todo).
PAKTA_TODO_CACHE_SECONDS = int(os.environ.get("PAKTA_TODO_CACHE_SECONDS", "60"))

# How many times a task whose worker process died mid-task is run again (Redis backend).
PAKTA_TASK_RETRIES = int(os.environ.get("PAKTA_TASK_RETRIES", "2"))

# --- Authentication --------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Fast hashing in tests only; the argon2 hasher stays second so stored demo hashes verify.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pakta.accounts.backends.UsernameOrNipBackend",
]
# Invitation and password-reset links: valid 72 hours, and only until the password is set.
PASSWORD_RESET_TIMEOUT = 72 * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("PAKTA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Offices reach the app through one NAT address each: locking by IP would lock out a whole
# OPD after five typos by anyone. Accounts are locked by username instead (docs/security.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# One lockout per account whether its NIP or its username (in any case) is typed.
AXES_USERNAME_CALLABLE = "pakta.accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
OTP_TOTP_ISSUER = "Pakta"

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["pakta.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Years and ids must never print as "2.026": counts use the intcomma filter instead.
USE_THOUSAND_SEPARATOR = False

# --- Static and documents --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing directory otherwise
STATICFILES_DIRS = [
    BASE_DIR / "static",
    PROJECT_DIR / "build" / "static",
]  # + npm: docs/frontend.md
MEDIA_ROOT = Path(os.environ.get("PAKTA_DOCUMENT_DIR", VAR_DIR / "documents"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
PAKTA_IMPORT_MAX_BYTES = int(os.environ.get("PAKTA_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# The largest file of each kind accepted by pakta.core.uploads.upload_check (docs/uploads.md).
PAKTA_UPLOAD_LIMITS = {
    "report_file": 10 * 1024 * 1024,  # one attachment of a whistleblowing report
    "report_total": 25 * 1024 * 1024,  # a report message's attachments together
    "evidence": 10 * 1024 * 1024,  # evidence of a Perjanjian Kinerja realization
    "action_evidence": 20 * 1024 * 1024,  # evidence of an action item's progress
    "gratification_evidence": 20 * 1024 * 1024,  # evidence of a gratification report
}

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "PAKTA_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("PAKTA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PAKTA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("PAKTA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PAKTA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PAKTA_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("PAKTA_FROM_EMAIL", "Pakta <pakta@localhost>")

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "pakta.core.api.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "pakta.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with size and depth limits (docs/security.md); forms and uploads as DRF's own.
    "DEFAULT_PARSER_CLASSES": [
        "pakta.core.api.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["pakta.core.api.TenantFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pakta API",
    "DESCRIPTION": "Integrity pacts and integrity follow-up for Indonesian regional governments.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models call their status field "status"; name the shared choice sets explicitly.
    "ENUM_NAME_OVERRIDES": {
        "PublicationStatusEnum": "pakta.pacts.models.PactTemplate.Status",
        "SignatureValidityEnum": ["valid", "revoked", "modified", "untrusted"],
        "PositionLevelEnum": "pakta.org.models.Position.Level",
        "DisciplineLevelEnum": "pakta.discipline.rules.Level",
        "ImportModeEnum": "pakta.org.models.ImportJob.Mode",
        "OcdsImportModeEnum": "pakta.procurement.models.OcdsImport.Mode",
    },
}

# --- Security --------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browser features Pakta never uses are switched off for every page (docs/security.md).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
        "xr-spatial-tracking",
    )
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("PAKTA_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"anonymous_routes": {"()": "pakta.core.logs.AnonymousRouteFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["anonymous_routes"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("PAKTA_LOG_LEVEL", "INFO")},
    # Nothing is recorded about the anonymous public routes (/lapor/, /v/, /publik/, /survei/),
    # error or not: the filter sits on the loggers that write request paths (docs/reports.md).
    # The development server's access log (request line, status, size; no address) is kept for
    # the staff routes.
    "loggers": {
        "django.server": {
            "handlers": ["console"],
            "filters": ["anonymous_routes"],
            "level": "INFO",
            "propagate": False,
        },
        "django.request": {
            "handlers": ["console"],
            "filters": ["anonymous_routes"],
            "level": "WARNING",
            "propagate": False,
        },
        "django.security.csrf": {
            "handlers": ["console"],
            "filters": ["anonymous_routes"],
            "level": "WARNING",
            "propagate": False,
        },
        # Its start-up banner would precede every one-line configuration error (preflight).
        "axes.apps": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Domain settings -------------------------------------------------------------------------
PAKTA_TWO_FACTOR_ROLES = ("admin", "inspektorat", "upg", "pimpinan")
# Signing: an RFC 3161 timestamp authority (optional; when set and failing, signing fails closed),
# how long to wait before retrying, and extra trust roots (PEM files, e.g. the BSrE root).
PAKTA_TSA_URL = os.environ.get("PAKTA_TSA_URL", "")
PAKTA_TSA_RETRY_SECONDS = int(os.environ.get("PAKTA_TSA_RETRY_SECONDS", "300"))
PAKTA_TRUST_ROOTS = env_list("PAKTA_TRUST_ROOTS")
# A pact for a new position is overdue this many days after the assignment starts.
PAKTA_PACT_DUE_DAYS = int(os.environ.get("PAKTA_PACT_DUE_DAYS", "30"))
# Performance agreements: due this many days after the DPA date; realizations are late after
# this many days past the quarter's end; achievement is capped (percent); achievement bands.
PAKTA_AGREEMENT_DUE_DAYS = int(os.environ.get("PAKTA_AGREEMENT_DUE_DAYS", "30"))
PAKTA_REALIZATION_DEADLINE_DAYS = int(os.environ.get("PAKTA_REALIZATION_DEADLINE_DAYS", "10"))
PAKTA_ACHIEVEMENT_CAP = int(os.environ.get("PAKTA_ACHIEVEMENT_CAP", "120"))
PAKTA_ACHIEVEMENT_BANDS = (
    (91, "sangat_baik"),
    (76, "baik"),
    (66, "cukup"),
    (51, "kurang"),
    (0, "sangat_kurang"),
)
# Whistleblowing (docs/reports.md): working days for the first response to a report; the pepper
# of the receipt-code index (set it in production: changing it orphans every receipt code).
PAKTA_REPORT_FIRST_RESPONSE_DAYS = int(os.environ.get("PAKTA_REPORT_FIRST_RESPONSE_DAYS", "3"))
PAKTA_REPORT_PEPPER = os.environ.get("PAKTA_REPORT_PEPPER", "")
# Transparency log (docs/audit.md): the Ed25519 key that signs checkpoints (32 bytes, base64; by
# default generated into var/audit_log_key, never in the database), the log's origin line, the
# witness directory (a file outside the database that checkpoints are appended to), the
# addresses every checkpoint is mailed to, and how often a checkpoint is signed when events came.
PAKTA_AUDIT_LOG_KEY = os.environ.get("PAKTA_AUDIT_LOG_KEY", "")
PAKTA_AUDIT_LOG_ORIGIN = os.environ.get(
    "PAKTA_AUDIT_LOG_ORIGIN",
    (SITE_URL.split("://", 1)[-1].rstrip("/") or "pakta") + "/transparansi",
)
PAKTA_AUDIT_WITNESS_DIR = Path(os.environ.get("PAKTA_AUDIT_WITNESS_DIR", VAR_DIR / "witness"))
PAKTA_AUDIT_WITNESS_EMAILS = env_list("PAKTA_AUDIT_WITNESS_EMAILS")
PAKTA_AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("PAKTA_AUDIT_CHECKPOINT_SECONDS", "300"))
# Local time (HH:MM) of the daily reminders run by the worker (ops/tasks.py daily_run_task).
PAKTA_DAILY_AT = os.environ.get("PAKTA_DAILY_AT", "06:00")
