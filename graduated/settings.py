"""Settings for Graduated. Every value comes from the environment; README.md lists them all."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from graduated.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("DATA_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set unless DEBUG=1 (see README.md).")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = envstr("SITE_NAME", "Graduated")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "graduated.lib",
    "graduated.accounts",
    "graduated.organisations",
    "graduated.pupils",
    "graduated.audit",
    "graduated.pathway",
    "graduated.support",
    "graduated.profiles",
    "graduated.meetings",
    "graduated.documents",
    "graduated.worklists",
    "graduated.provision",
    "graduated.funding",
    "graduated.specialists",
    "graduated.statutory",
    "graduated.rulepacks",
    "graduated.guidance",
    "graduated.oap",
    "graduated.plans",
    "graduated.training",
    "graduated.professionals",
    "graduated.families",
    "graduated.family_notices",
    "graduated.ehc",
    "graduated.assessment_requests",
    "graduated.records",
    "graduated.oversight",
    "graduated.operations",
    "graduated.api",
    "ninja",  # only for its static Swagger UI files: the API docs page loads nothing from a CDN
    "graduated.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "graduated.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after sessions, before common (Django's order)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "graduated.audit.middleware.DeniedAccessMiddleware",  # a security event for each 403/404 on a record
    "graduated.audit.middleware.PupilViewAuditMiddleware",  # a VIEW event for each pupil a page opened
    # Default-deny: every page needs a signed-in person unless its view says login_not_required,
    # and then a second factor unless it says second_factor_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Before the session timeout, which tells the person signed out why.
    "django.contrib.messages.middleware.MessageMiddleware",
    "graduated.accounts.middleware.SessionTimeoutMiddleware",
    "graduated.accounts.middleware.SecondFactorRequiredMiddleware",
    "graduated.accounts.middleware.NoStoreForSignedInMiddleware",
    # Before any view hook reads the body (CSRF does): refuses oversized uploads with a page.
    "graduated.lib.middleware.RequestSizeLimitMiddleware",
    # After the CSRF, sign-in and messages middleware: spends a form's one-time token, so that a
    # form sent twice saves once (graduated/lib/submit_once.py).
    "graduated.lib.submit_once.SubmitOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "graduated.urls"
WSGI_APPLICATION = "graduated.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "graduated" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "graduated.lib.context_processors.shell",
            ],
            "builtins": ["graduated.lib.templatetags.govuk", "graduated.lib.templatetags.form_token"],
        },
    }
]

# Database: SQLite in DATA_DIR unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = envstr("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'graduated.sqlite3'}"  # set but empty: the default
# A connection is kept open between requests for DB_CONN_MAX_AGE seconds (0: one per request), on
# SQLite as on PostgreSQL: opening one costs more than most pages' queries (on SQLite the schema is
# read again, and closing the last connection checkpoints the WAL into the database file). Each is
# checked before a request reuses it, so a database that restarted or dropped it is reconnected to.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # Run once per connection (so, with persistent connections, once per worker). WAL lets
        # pages read while the worker writes; NORMAL is durable across application crashes under
        # WAL (only a power cut can lose the last transactions); IMMEDIATE takes the write lock at
        # BEGIN so concurrent writers wait (busy timeout, below) instead of failing. The page cache
        # (per connection: 32 MB) holds the hot pages of the pupil tables; temporary b-trees
        # (sorts, DISTINCT) stay in memory. Connections that stay open never delete the WAL file,
        # so a checkpoint truncates it back to 64 MB when a burst of writes has grown it further.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds a statement waits for another connection's write lock (busy_timeout)
    }
    DATABASES["default"]["TEST"] = {"NAME": ""}  # an in-memory database for tests
# A streaming replica of a PostgreSQL primary, read by the LA's read-heavy pages only
# (graduated/lib/db_routing.py). In tests it mirrors the default database.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["graduated.lib.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length and a list of common passwords, no composition rules (NCSC and NIST guidance).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 7)

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 12)
# The time of a session's last request is saved at most this often, not on every request (each save
# is a database write): a session may so end up to this many seconds before SESSION_IDLE_MINUTES.
SESSION_REFRESH_SECONDS = envint("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_IDLE_MINUTES * 60:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be at least 0 and less than SESSION_IDLE_MINUTES.")
# Sign-in is refused for an (e-mail address, IP address) pair after SIGN_IN_MAX_FAILURES failures
# within SIGN_IN_LOCKOUT_MINUTES (graduated/accounts/lockout.py).
SIGN_IN_MAX_FAILURES = envint("SIGN_IN_MAX_FAILURES", 5)
SIGN_IN_LOCKOUT_MINUTES = envint("SIGN_IN_LOCKOUT_MINUTES", 15)
# Failed sign-ins from one IP address, across all e-mail addresses, within the same window: loose,
# since a whole school may share one address.
SIGN_IN_MAX_FAILURES_PER_IP = envint("SIGN_IN_MAX_FAILURES_PER_IP", 100)
# Wrong second-factor codes per account, and per IP address, within SIGN_IN_LOCKOUT_MINUTES.
SECOND_FACTOR_MAX_FAILURES = envint("SECOND_FACTOR_MAX_FAILURES", 5)
SECOND_FACTOR_MAX_FAILURES_PER_IP = envint("SECOND_FACTOR_MAX_FAILURES_PER_IP", 50)
# Password reset e-mails per address, and per IP address, in an hour; past them the page looks the same.
PASSWORD_RESET_MAX_PER_ADDRESS = envint("PASSWORD_RESET_MAX_PER_ADDRESS", 3)
PASSWORD_RESET_MAX_PER_IP = envint("PASSWORD_RESET_MAX_PER_IP", 20)
# "Do not ask for a code on this device": how long a browser is remembered (0 turns the choice off).
REMEMBER_DEVICE_DAYS = envint("REMEMBER_DEVICE_DAYS", 30)
# The name authenticator apps show for accounts here.
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", SITE_NAME)
# django-otp's own slow-down after a wrong code is off: the limits above count wrong codes instead,
# and its growing delay would refuse the right code typed just after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
# The JSON API (graduated/api): calls per token per minute, and the longest life a new token may have.
API_RATE_LIMIT_PER_MINUTE = envint("API_RATE_LIMIT_PER_MINUTE", 120)
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", 365)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A form sent twice saves once (graduated/lib/submit_once.py). A second copy that arrives while the
# first is still being saved waits up to this many seconds for the first one's answer, then gets a
# page saying the form is still being sent.
SUBMIT_ONCE_WAIT_SECONDS = envint("SUBMIT_ONCE_WAIT_SECONDS", 5)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The product's own words can be translated (graduated/locale/README.md): families' pages first, in
# Welsh. A person's language is their choice (the footer's switch, kept in a cookie), else their
# browser's, else English.
USE_I18N = True
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "graduated" / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "graduated" / "static"]
# In production, file names carry a hash of their content (so browsers may cache them for ever);
# that needs `collectstatic` first, which development and the test suite skip.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests), WhiteNoise serves straight from the sources.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
# Uploaded files live outside the web root and are served only through access-checked views.
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "uploads")))
# The largest document a person may upload, in megabytes.
DOCUMENT_MAX_MB = envint("DOCUMENT_MAX_MB", 20)
# The largest file of pupils (CSV or Common Transfer File) a setting may import, in megabytes: a
# CSV of 130,000 pupils with their needs and contacts is about 40 MB.
IMPORT_MAX_MB = envint("IMPORT_MAX_MB", 100)
# An import left unfinished this long is cancelled (its file deleted); its rows not imported go this
# long after it ended (graduated purge-expired).
IMPORT_KEEP_DAYS = envint("IMPORT_KEEP_DAYS", 30)
# A Word, Excel or OpenDocument file is a zip: refused if its parts add up to more than this many
# megabytes, or if a part over 1 MB is packed more tightly than this ratio (zip bombs; see
# graduated/documents/safety.py).
UPLOAD_MAX_UNPACKED_MB = envint("UPLOAD_MAX_UNPACKED_MB", 100)
UPLOAD_MAX_COMPRESSION_RATIO = envint("UPLOAD_MAX_COMPRESSION_RATIO", 100)
# ClamAV: the path of clamd's UNIX socket turns on a virus scan of every upload (empty: off). While
# it is on and clamd does not answer within the timeout, uploads are refused, never let through.
CLAMD_SOCKET = envstr("CLAMD_SOCKET")
CLAMD_TIMEOUT_SECONDS = envint("CLAMD_TIMEOUT_SECONDS", 30)
# SEN records are kept until the pupil's date of birth plus this many years (the IRMS toolkit's
# retention for SEN files); `graduated purge-expired` then removes them (graduated/operations).
RETENTION_YEARS_AFTER_BIRTH = envint("RETENTION_YEARS_AFTER_BIRTH", 31)

# Background work: django.tasks, stored in the database, run by `graduated worker`.
TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}
# Finished task results (a sent e-mail's message among them, which may name pupils) are removed by
# `graduated purge-expired` this many days after they finished (graduated/operations/retention.py).
TASK_RESULTS_KEEP_DAYS = envint("TASK_RESULTS_KEEP_DAYS", 30)

# E-mail: the default mailer queues every message as a task; the worker hands it to the
# "delivery" mailer: SMTP (configured below) in production, the console in development.
EMAIL_BACKEND_DELIVERY = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_delivery: dict[str, object] = {"BACKEND": EMAIL_BACKEND_DELIVERY}
if EMAIL_BACKEND_DELIVERY.endswith("smtp.EmailBackend"):
    _delivery["OPTIONS"] = {
        "host": envstr("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", 25),
        "username": envstr("EMAIL_HOST_USER"),
        "password": envstr("EMAIL_HOST_PASSWORD"),
        "use_tls": envbool("EMAIL_USE_TLS", False),
        "use_ssl": envbool("EMAIL_USE_SSL", False),
        "timeout": envint("EMAIL_TIMEOUT", 30),
    }
MAILERS = {
    "default": {"BACKEND": "graduated.lib.mail.QueuedEmailBackend"},
    "delivery": _delivery,
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Graduated <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. The policy allows no inline script and no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=1 so Django trusts its header.
    if envbool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
