"""Django settings, read from environment variables with safe defaults.

SQLite file database unless ``DATABASE_URL`` names another; media on the filesystem unless
``MEDIA_BACKEND=s3``. With ``DEBUG`` off (the default) a secret key is required: ``SECRET_KEY``,
or the file ``SECRET_KEY_FILE`` names, or ``var/secret_key`` (which ``scripts/run.sh`` writes).
HTTPS, HSTS, secure cookies and the reverse proxies in front are switched on by the environment
docs/deployment.md gives for production; ``aftersales check --deploy`` passes with it.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("AFTERSALES_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def secret_key() -> str:
    """From ``SECRET_KEY``, else the file ``SECRET_KEY_FILE`` names (a container's or service
    manager's secret), else ``var/secret_key``; a fixed, public key only with ``DEBUG`` on."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    named = os.environ.get("SECRET_KEY_FILE")
    path = Path(named) if named else VAR_DIR / "secret_key"
    if named or path.is_file():
        return path.read_text().strip()
    if DEBUG:
        return "dev-only-not-secret-aftersales"
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. In production set SECRET_KEY (or SECRET_KEY_FILE) to a long random "
        "value, the same on every server, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
        "In a checkout, ./scripts/run.sh writes var/secret_key; or set DEBUG=1 for development."
    )


SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
# Origins (scheme://host) a form may be posted from besides the site's own, e.g. a second domain.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. Each is off by default, so that the demo and the tests run over plain HTTP on
# localhost; production turns all of them on (docs/deployment.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The load balancer's health probe speaks plain HTTP to each server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Reverse proxies and load balancers in front of the app, each appending the address it received
# the request from to X-Forwarded-For and setting X-Forwarded-Proto. With one or more, the
# client's address is read from X-Forwarded-For (aftersales/core/ratelimit.py) and a request is
# secure when X-Forwarded-Proto says https; the app must then be reachable only through them.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy that rewrites Host and passes the original in X-Forwarded-Host.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "aftersales.core",
    "aftersales.accounts",
    "aftersales.centres",
    "aftersales.warranty",
    "aftersales.billing",
    "aftersales.repairs",
    "aftersales.onsite",
    "aftersales.customers",
    "aftersales.ledger",
    "aftersales.invoicing",
    "aftersales.payments",
    "aftersales.csr",
    "aftersales.notifications",
    "aftersales.sla",
    "aftersales.evidence",
    "aftersales.conversation",
    "aftersales.disputes",
    "aftersales.portal",
    "aftersales.console",
    "aftersales.api",
    "aftersales.demo",
    "aftersales.audit",
]

MIDDLEWARE = [
    # First, so that the time it reports covers every other middleware and the view.
    "aftersales.core.timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# ``Server-Timing: app;dur=<ms>`` on every response (aftersales/core/timing.py).
SERVER_TIMING = env_bool("SERVER_TIMING", True)

ROOT_URLCONF = "aftersales.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"

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
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:  # the SQLite file goes in the variable folder, made on first use
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aftersales.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The few statements the busiest requests run are prepared once per connection
    # (aftersales/core/prepared.py); Django's own queries are not, whatever this says. Off
    # (DB_PREPARED_STATEMENTS=0) behind a pooler that cannot keep them (docs/deployment.md).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5 if env_bool("DB_PREPARED_STATEMENTS", True) else None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20,
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

# Django's database sessions, less one needless query per new session (aftersales/core/sessions.py).
SESSION_ENGINE = "aftersales.core.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/console/login/"
LOGIN_REDIRECT_URL = "/console/"

# Failed sign-ins (the console and the admin) are counted by django-axes per account and, apart,
# per client address; past the limit, that account or that address is refused for the cool-off
# time with a page in the reader's language. An administrator lifts a lock early with
# `aftersales axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aftersales.accounts.lockout.locked_out"
# The same client address as the rate limits: REMOTE_ADDR, which a reverse proxy must set.
AXES_CLIENT_IP_CALLABLE = "aftersales.accounts.lockout.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

if os.environ.get("MEDIA_BACKEND", "filesystem") == "s3":
    _media_backend = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "aftersales-media"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
            # Signed links use Signature Version 4, which every AWS region accepts.
            "signature_version": "s3v4",
        },
    }
else:
    _media_backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_backend,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# Seconds each step of an SMTP exchange may take: a delivery must end within the notification
# sender's lease (aftersales/notifications/services.py, LEASE), or a second worker would send it too.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "60"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "service@aftersales.example")
# The address customers reach the site at, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DIAGNOSTIC_TOOL_SECRET = os.environ.get("DIAGNOSTIC_TOOL_SECRET", "")  # shared with the diagnostic tool (csr.diagnostics)
CARRIER_SCAN_SECRET = os.environ.get("CARRIER_SCAN_SECRET", "")  # shared with the carrier (csr.carrier)
# Text messages: the sender class (see aftersales/notifications/sms.py); the default only logs.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "aftersales.notifications.sms.LogSmsSender")

# Per-process memory: nothing that must be shared between processes or kept across a restart
# lives here. The rate limits' counters are rows in the database (aftersales/core/ratelimit.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where the policy packs shipped with the product live; `aftersales load-packs` reads them.
POLICY_PACK_DIR = Path(os.environ.get("POLICY_PACK_DIR", PROJECT_DIR / "policies"))
# Largest file accepted by uploads (policy packs, serial CSVs).
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
# Largest photo, video and document accepted as case evidence (bytes).
EVIDENCE_MAX_IMAGE_BYTES = int(os.environ.get("EVIDENCE_MAX_IMAGE_BYTES", str(15 * 1024 * 1024)))
EVIDENCE_MAX_VIDEO_BYTES = int(os.environ.get("EVIDENCE_MAX_VIDEO_BYTES", str(200 * 1024 * 1024)))
EVIDENCE_MAX_DOCUMENT_BYTES = int(os.environ.get("EVIDENCE_MAX_DOCUMENT_BYTES", str(20 * 1024 * 1024)))
# A case's videos together, at most (bytes).
EVIDENCE_MAX_VIDEO_BYTES_PER_CASE = int(os.environ.get("EVIDENCE_MAX_VIDEO_BYTES_PER_CASE", str(1024 * 1024 * 1024)))
# Files one upload field takes at once (the customer's photos, the console's evidence form).
EVIDENCE_MAX_FILES_PER_FIELD = int(os.environ.get("EVIDENCE_MAX_FILES_PER_FIELD", "10"))
# Photos are refused, before decoding, when their header declares more pixels than this, or
# pixels that would take more memory than this once decoded (RGB takes 4 bytes a pixel).
EVIDENCE_MAX_IMAGE_PIXELS = int(os.environ.get("EVIDENCE_MAX_IMAGE_PIXELS", "50000000"))
EVIDENCE_MAX_IMAGE_DECODED_BYTES = int(os.environ.get("EVIDENCE_MAX_IMAGE_DECODED_BYTES", "200000000"))
# Public look-ups (warranty by serial) allowed per client address per minute.
PUBLIC_LOOKUPS_PER_MINUTE = int(os.environ.get("PUBLIC_LOOKUPS_PER_MINUTE", "30"))
# Case look-ups (number + e-mail or phone) allowed per client address per minute.
CASE_LOOKUPS_PER_MINUTE = int(os.environ.get("CASE_LOOKUPS_PER_MINUTE", "10"))
# Customers' messages and "I don't understand" requests (each reaches staff or sends a message)
# allowed per client address per minute. Bookings share CASE_LOOKUPS_PER_MINUTE with the API's.
CUSTOMER_MESSAGES_PER_MINUTE = int(os.environ.get("CUSTOMER_MESSAGES_PER_MINUTE", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
