"""OneWindow settings: one module, every production value from the environment.

Defaults are for a local run (SQLite file under var/, Celery tasks run eagerly in-process).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL and HTTPS=1;
with those `manage.py check --deploy` reports nothing.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on", "да"}:
        return True
    if value in {"0", "false", "no", "off", "нет"}:
        return False
    raise ImproperlyConfigured(f"{name}: ожидается 1/0, true/false, yes/no; получено «{value}»")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: ожидается целое число; получено «{value}»") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _local_secret_key() -> str:
    """A random key kept in var/ so a local run needs no configuration; production sets one."""
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "onewindow.apps.OneWindowConfig",
    "services.apps.ServicesConfig",
    "cases.apps.CasesConfig",
    "archive.apps.ArchiveConfig",
    "reconciliation.apps.ReconciliationConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "onewindow.http.RefuseNullCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "onewindow.middleware.SessionExpiryMiddleware",
    "onewindow.middleware.PrivateResponseMiddleware",
    "onewindow.middleware.DevicePagesMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the Russian lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onewindow.urls"
WSGI_APPLICATION = "onewindow.wsgi.application"

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
                "csp.context_processors.nonce",
                "onewindow.context_processors.navigation_items",
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "onewindow.templatetags.onewindow_tags",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'onewindow.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL") or DEFAULT_SQLITE_URL
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several counters write at once even on a local run: wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # trigram lookups for the typo-tolerant counter search (pg_trgm)
    INSTALLED_APPS.insert(INSTALLED_APPS.index("rest_framework"), "django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, authentication, sessions ----------------------------------------------------------
AUTH_USER_MODEL = "onewindow.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "onewindow.auth_backends.CachedModelBackend",  # ModelBackend, permissions kept in the cache
]
# how long a user's permissions are cached: a change applies at once in the process (or, with a
# shared CACHE_URL, everywhere); without a shared cache other processes see it within this time
PERMISSIONS_CACHE_SECONDS = env_int("PERMISSIONS_CACHE_SECONDS", 60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle expiry: activity renews the session (at most once a minute), so it ends after this many
# idle minutes.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
# however active, a session ends this many hours after the login (onewindow.middleware)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The session row is renewed (its expiry moved SESSION_COOKIE_AGE ahead) at most once a
# SESSION_TOUCH_SECONDS by onewindow.middleware.SessionExpiryMiddleware, not on every request: a
# keystroke of the counter's search writes nothing; idle expiry stays right to that many seconds.
SESSION_SAVE_EVERY_REQUEST = False
# Sessions read from the cache (Redis in production, CACHE_URL), written through to the database:
# a keystroke reads no session row; a restart of Redis costs one database read per session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
# the hall's kiosk and display accounts (onewindow.roles.DEVICE_ROLES) stay signed in this long,
# across the browser's restart: they open only their own page and see no personal data
DEVICE_SESSION_SECONDS = env_int("DEVICE_SESSION_DAYS", 30) * 86400
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "onewindow.views.csrf_failure"

# Lockout after repeated failures (django-axes), per user name and address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "onewindow.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None

# --- HTTPS and security headers ----------------------------------------------------------------
# HTTPS=1 in production (behind a TLS-terminating proxy that sets X-Forwarded-Proto).
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    },
}

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Volgograd"
USE_I18N = True
# the project's own catalogue: Russian for the messages of Django REST framework its catalogue
# lacks (locale/ru/LC_MESSAGES/django.po; `make messages` compiles it)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# WhiteNoise serves STATIC_ROOT after collectstatic; an empty folder keeps it quiet before.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production (STATIC_MANIFEST=1, after collectstatic): hashed, compressed files.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Cache ------------------------------------------------------------------------------------
# Shared by the application's processes when CACHE_URL names a Redis database (production: the
# cached permissions and the API's throttles then agree across gunicorn workers); else each
# process keeps its own in memory.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ----------------------------------------------------------------------------------
# Without a broker, tasks run eagerly in-process (a local run needs no Redis).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 3 * 60 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 60 * 60}
RECONCILIATION_INBOX = Path(env_str("RECONCILIATION_INBOX", str(VAR_DIR / "inbox")))
# Matching on PostgreSQL runs set-based in SQL for CSV extracts (reconciliation/fastpath.py); 0 forces the
# Python path everywhere.
RECONCILE_SQL = env_bool("RECONCILE_SQL", True)
# An XLSX extract is read by python-calamine, which holds the whole sheet in memory (some 90 bytes
# a cell: a 1,000,000-row, 6-column extract takes about 540 MB); a sheet estimated at more than
# this (MB) is read by openpyxl, a row at a time in flat memory but some fifteen times slower.
XLSX_IN_MEMORY_MB = env_int("XLSX_IN_MEMORY_MB", 700)
# A selection item is due this many working days after it was found (recipients themselves must
# report such changes within 10 days; every day later is money paid wrongly).
SELECTION_WORK_DAYS = env_int("SELECTION_WORK_DAYS", 10)
# An extract uploaded in the browser: the largest accepted (MB), and how long an upload waits on
# its preview for «Запустить сверку» before the periodic task deletes it (hours). Uploads above
# FILE_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB) are streamed to a temporary file, never held in
# memory; DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts. A reverse proxy in front needs a
# body limit of at least EXTRACT_MAX_MB (nginx: client_max_body_size).
EXTRACT_MAX_MB = env_int("EXTRACT_MAX_MB", 512)
STAGED_EXTRACT_HOURS = env_int("STAGED_EXTRACT_HOURS", 24)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # temporary handovers whose period has ended return what is still open
    "return-expired-handovers": {
        "task": "onewindow.return_expired_handovers",
        "schedule": crontab(hour=1, minute=30),
    },
    # the extracts of the day arrive in the evening; selections are ready in the morning
    "reconciliation-inbox": {
        "task": "reconciliation.scan_inbox",
        "schedule": crontab(hour=env_int("RECONCILIATION_HOUR", 2), minute=0),
    },
    # a job whose worker died (killed, out of memory, a deploy) is restarted, once
    "recover-jobs": {
        "task": "onewindow.recover_jobs",
        "schedule": crontab(minute="*/10"),
    },
    # uploads left on their preview past STAGED_EXTRACT_HOURS: file and row deleted
    "reconciliation-purge-staged": {
        "task": "reconciliation.purge_staged_extracts",
        "schedule": crontab(minute=20),
    },
}
CELERY_BEAT_SCHEDULE |= {
    # the access log's hash chain: rows are sealed as they are written; this catches any left
    "access-log-seal": {"task": "onewindow.seal_access_log", "schedule": crontab(minute="*")},
    # the director's monthly report: the task runs daily and forms the reports of the month
    # before only on the first working day of a month (the production calendar decides)
    "monthly-reports": {
        "task": "onewindow.form_monthly_reports",
        "schedule": crontab(hour=env_int("MONTHLY_REPORTS_HOUR", 6), minute=15),
    },
    # rows older than the retention period leave the log (the chain keeps verifying)
    "access-log-purge": {
        "task": "onewindow.purge_access_log",
        "schedule": crontab(hour=3, minute=30),
    },
    # the API's answers kept for a retried POST, past API_IDEMPOTENCY_DAYS
    "api-idempotency-purge": {
        "task": "onewindow.purge_idempotent_requests",
        "schedule": crontab(hour=3, minute=45),
    },
    # the queue: bookings nobody checked in for, past their slot and grace → «не пришёл»
    "queue-missed-bookings": {
        "task": "cases.mark_missed_bookings",
        "schedule": crontab(minute="*/5"),
    },
    # the queue: the visitor's name and phone leave bookings past QUEUE_BOOKING_KEEP_DAYS
    "queue-erase-past-bookings": {
        "task": "cases.erase_past_bookings",
        "schedule": crontab(hour=3, minute=50),
    },
}
# --- Access log (152-ФЗ; ФСТЭК Приказ № 21, РСБ) ---------------------------------------------
# how long the events are kept, in days (3 years by default)
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 3 * 365)
# How long the office keeps database backups (their rotation is outside the application): the
# personal-data destruction act says the destroyed data leave the backups when this runs out.
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 30)
# seal each row into the hash chain when its transaction commits (else only the periodic task)
ACCESS_LOG_SEAL_ON_COMMIT = env_bool("ACCESS_LOG_SEAL_ON_COMMIT", True)
# ... but at most once in this many seconds (a burst of rows is sealed together)
ACCESS_LOG_SEAL_EVERY_SECONDS = env_int("ACCESS_LOG_SEAL_EVERY_SECONDS", 5)
# PostgreSQL: a row written on its own commits without waiting for the disk (onewindow.audit)
ACCESS_LOG_ASYNC_COMMIT = env_bool("ACCESS_LOG_ASYNC_COMMIT", True)
HEALTHZ_WORKER_TIMEOUT = float(env_str("HEALTHZ_WORKER_TIMEOUT", "1.0"))

# --- REST API (onewindow/api and each app's api/ package) -------------------------------------
REST_FRAMEWORK = {
    # other systems call with a per-user token (onewindow.api.authentication); the UI's own calls
    # come with the session and its CSRF token
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "onewindow.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["onewindow.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "onewindow.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "onewindow.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"api_token_failures": env_str("API_TOKEN_FAILURES", "10/min")},
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = 200
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365)  # a new token's default lifetime
API_IDEMPOTENCY_DAYS = env_int("API_IDEMPOTENCY_DAYS", 7)  # answers kept for a retried POST

SPECTACULAR_SETTINGS = {
    "TITLE": "OneWindow API",
    "DESCRIPTION": (
        "Программный интерфейс «Одного окна»: те же правила, права и журнал доступа, что и у "
        "экранов. Ключ выдаёт администратор (раздел «Ключи API»); заголовок запроса: "
        "`Authorization: Token <ключ>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "cases.models.Application.Status",
        "DocumentMarkStatusEnum": "cases.models.ApplicationDocument.Status",
        "MeasureStatusEnum": "cases.models.Entitlement.Status",
        "ExtractKindEnum": "reconciliation.models.Kind",
        "ExtractSourceEnum": "reconciliation.models.Source",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "onewindow.api.schema.russian_descriptions",
    ],
}

# --- Printed documents ------------------------------------------------------------------------
PDF_FONT_FAMILY = env_str(
    "PDF_FONT_FAMILY", '"Liberation Serif", "PT Serif", "DejaVu Serif", serif'
)

# --- The public status page (a receipt's QR code leads there) ----------------------------------
# The address citizens' phones reach the installation at, e.g. https://uszn.example.ru: the QR
# code on the receipt leads to <PUBLIC_URL>/status/. Empty: the address the receipt was printed
# from (fine on one machine; production behind an intranet name must set it).
PUBLIC_URL = env_str("PUBLIC_URL").rstrip("/")
# Attempts (number and code looked up) per client address and per receipt number in the window.
STATUS_ATTEMPTS = env_int("STATUS_ATTEMPTS", 10)
STATUS_WINDOW_SECONDS = env_int("STATUS_WINDOW_SECONDS", 600)

# The electronic queue's waiting-time norm (the regional one: at most 15 minutes), minutes.
QUEUE_WAIT_NORM_MINUTES = env_int("QUEUE_WAIT_NORM_MINUTES", 15)
# Pre-booking: the visitor's name and phone are kept this many days after the booking's day
# (the nightly task erases them; the booking stays for the statistics).
QUEUE_BOOKING_KEEP_DAYS = env_int("QUEUE_BOOKING_KEEP_DAYS", 30)
# The kiosk's check-in by booking code: wrong codes allowed per kiosk and per client address in
# the window (seconds); past it every code from there is refused until the window ends.
QUEUE_CHECKIN_ATTEMPTS = env_int("QUEUE_CHECKIN_ATTEMPTS", 10)
QUEUE_CHECKIN_WINDOW_SECONDS = env_int("QUEUE_CHECKIN_WINDOW_SECONDS", 300)

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# --- Lists and long documents -----------------------------------------------------------------
# a journal PDF of more rows than this is rendered by a background job (the page does not wait)
JOURNAL_PDF_BACKGROUND_ROWS = env_int("JOURNAL_PDF_BACKGROUND_ROWS", 200)
