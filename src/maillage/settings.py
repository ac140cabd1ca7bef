"""Django settings for Maillage, read from the environment (12-factor)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
_repo = PACKAGE_DIR.parents[1]
BASE_DIR = _repo if (_repo / "pyproject.toml").exists() else Path.cwd()
VAR_DIR = Path(os.environ.get("MAILLAGE_VAR_DIR", BASE_DIR / "var"))
DATA_DIR = Path(os.environ.get("MAILLAGE_DATA_DIR", BASE_DIR / "data"))

ENV = os.environ.get("MAILLAGE_ENV", "development")
PRODUCTION = ENV == "production"


def _env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "MAILLAGE_ENV=production : la variable SECRET_KEY est obligatoire."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "MAILLAGE_ENV=production : la variable ALLOWED_HOSTS est obligatoire."
        )
    DEBUG = False
else:
    SECRET_KEY = SECRET_KEY or "maillage-dev-only-not-secret-5d8c1e0f7a4b4f2c9e6a3b1d0c8f7e6d"
    # Off unless a developer asks (`DEBUG=1`): the demo shows the pages production shows.
    DEBUG = os.environ.get("DEBUG", "0") == "1"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "maillage.core",
    "maillage.jobs",
    "maillage.accounts",
    "maillage.proconnect",
    "maillage.partners",
    "maillage.routing",
    "maillage.referrals",
    "maillage.events",
    "maillage.training",
    "maillage.governance",
    "maillage.indicators",
    "maillage.home",
    "maillage.api",
]

MIDDLEWARE = [
    # Outermost: one log line per request with its id; then the French 503 when the database
    # is unreachable (around the session and auth middleware, which query it); then the
    # French page (or JSON under /api/) for bare error responses.
    "maillage.core.middleware.RequestLogMiddleware",
    "maillage.core.middleware.DatabaseUnavailableMiddleware",
    "maillage.core.middleware.ErrorPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous public pages from a short per-URL cache (core/page_cache.py).
    "maillage.core.page_cache.PublicPageCacheMiddleware",
    "maillage.accounts.middleware.CurrentMembershipMiddleware",
    # Reads of scoped models (core.scoping) as the current organisation, and only as it.
    "maillage.core.scoping.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maillage.core.input_guard.NulCharacterGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "maillage.proconnect.middleware.ProConnectFormActionMiddleware",
    "axes.middleware.AxesMiddleware",
    "maillage.core.db_routing.ReadYourWritesMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.core.context_processors.site",
                "maillage.core.context_processors.enums",
                "maillage.proconnect.context_processors.proconnect",
            ],
            # French dates ("1er décembre 2026"), numbers, elision, operators' names.
            "builtins": ["maillage.core.templatetags.french"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'maillage.sqlite3'}",
        # Persistent connections, checked before reuse: at most one per server thread
        # (gunicorn_conf.py: workers x threads), plus the worker and the scheduler.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer holds the lock; writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests: a file, not memory, so that `pytest --reuse-db` (make test) keeps the migrated
    # database between runs; xdist workers get one file each (`_gw0`, `_gw1`…).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_maillage.sqlite3")}
if os.environ.get("DATABASE_TEST_NAME"):
    # The test database's own name on a shared server (default: "test_" + the database's).
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
if os.environ.get("DATABASE_REPLICA_URL"):
    # Reports read from a streaming replica (maillage.core.db_routing); migrations never run
    # there, and its test database mirrors the primary's.
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["maillage.core.db_routing.ReplicaRouter"]
# After a write, a person's report pages read the primary for this long (read-your-writes).
MAILLAGE_READ_YOUR_WRITES_SECONDS = float(os.environ.get("MAILLAGE_READ_YOUR_WRITES_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process of the instance (rate limits, the routing rules' freshness
# token, throttling), so that any app server can serve any request: the database by default
# (the table is made by `createcachetable`, which `maillage demo` and the test runner call),
# Redis when `MAILLAGE_CACHE_URL` names it (`redis://host:6379/1`; `CACHE_URL` is the older
# name). Never a per-process memory or file cache.
MAILLAGE_CACHE_URL = os.environ.get("MAILLAGE_CACHE_URL", os.environ.get("CACHE_URL", ""))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": MAILLAGE_CACHE_URL,
        }
        if MAILLAGE_CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "maillage_cache",
        }
    )
}
if MAILLAGE_CACHE_URL and CACHES["default"]["BACKEND"].endswith(".db.DatabaseCache"):
    raise ImproperlyConfigured(
        "MAILLAGE_CACHE_URL : seule une adresse redis:// (ou rediss://, unix://) est acceptée."
    )
# Sessions in the database (any app server reads them); with a Redis cache, read through it
# and still written to the database, so that flushing Redis signs nobody out.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)

# Anonymous public pages kept a few seconds per URL, in each process (core/page_cache.py):
# pages without personal data only; 0 turns it off.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "maillage-pages",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
MAILLAGE_PUBLIC_CACHE_SECONDS = int(os.environ.get("MAILLAGE_PUBLIC_CACHE_SECONDS", "30"))
MAILLAGE_PUBLIC_CACHE_PATHS = [
    r"/",
    r"/annuaire/",
    r"/annuaire/[-a-zA-Z0-9_]+/",
    r"/evenements/",
    r"/qui-propose-quoi/",
]
# Routing decisions wait this long in each process before one INSERT writes them to the log
# (routing/services.py); 0 writes each at once.
MAILLAGE_DECISION_FLUSH_SECONDS = float(os.environ.get("MAILLAGE_DECISION_FLUSH_SECONDS", "2"))
# A bare view (`/bench/bare`, the framework's ceiling) for bench/pages.py only.
MAILLAGE_BENCH_VIEWS = os.environ.get("MAILLAGE_BENCH_VIEWS", "0") == "1"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home:index"

# django-axes: five failures lock the account (per username), for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Every spelling of an address counts against one account (accounts/identifiers.py), and the
# client address is the one the rate limits see (core/ratelimits.py).
AXES_USERNAME_CALLABLE = "maillage.accounts.identifiers.axes_username"
AXES_CLIENT_IP_CALLABLE = "maillage.core.ratelimits.client_ip"
# Counsellors of one operator often share an office IP: lock the account, not the address;
# an address range (IPv4 /24, IPv6 /64) is locked only after this many failures in an hour
# (accounts/lockout.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
MAILLAGE_LOCKOUT_RANGE_FAILURES = int(os.environ.get("MAILLAGE_LOCKOUT_RANGE_FAILURES", "50"))

# Rate limits per client address on public forms and routes (core/ratelimits.py), counted by
# django-ratelimit in the shared cache. `MAILLAGE_RATELIMIT_ENABLE=0` turns them off
# (benchmarks). The client address is REMOTE_ADDR; X-Forwarded-For is read only when
# REMOTE_ADDR is one of MAILLAGE_TRUSTED_PROXIES (addresses or networks, comma-separated).
MAILLAGE_RATELIMIT_ENABLE = os.environ.get("MAILLAGE_RATELIMIT_ENABLE", "1") == "1"
MAILLAGE_RATELIMITS = {
    "signin": os.environ.get("MAILLAGE_RATELIMIT_SIGNIN", "30/m"),
    "password_reset": os.environ.get("MAILLAGE_RATELIMIT_PASSWORD_RESET", "10/h"),
    "event_registration": os.environ.get("MAILLAGE_RATELIMIT_EVENT_REGISTRATION", "20/m"),
    "routing": os.environ.get("MAILLAGE_RATELIMIT_ROUTING", "60/m"),
    # The person's own link to their referral (no account): every visit counts.
    "person_link": os.environ.get("MAILLAGE_PERSON_LINK_RATE", "30/m"),
    # The public page that confirms a certificate: every visit counts.
    "certificate_verify": os.environ.get("MAILLAGE_RATELIMIT_CERTIFICATE_VERIFY", "30/m"),
}
MAILLAGE_TRUSTED_PROXIES = _env_list("MAILLAGE_TRUSTED_PROXIES")
# The same shared cache, with an increment that is atomic and keeps the window's expiry.
if CACHES["default"]["BACKEND"].endswith(".db.DatabaseCache"):
    CACHES["ratelimit"] = {
        **CACHES["default"],
        "BACKEND": "maillage.core.cache.CountingDatabaseCache",
    }
else:
    CACHES["ratelimit"] = CACHES["default"]
RATELIMIT_USE_CACHE = "ratelimit"

# French only, no catalogue of our own (docs/architecture.md): our strings are plain French.
# USE_I18N stays on for Django's own French locale (month names, formats, its messages).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
# Uploads (the library's files, attachments, exports) go through Django's storages, never
# straight to an app server's disk: a folder that every app server and worker mounts (NFS,
# a shared volume) by default, or an S3-compatible object store with django-storages
# (`MAILLAGE_STORAGE=s3`, `pip install 'maillage[s3]'`; see deploy/README.md).
MEDIA_ROOT = Path(
    os.environ.get("MAILLAGE_MEDIA_ROOT", os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
)
# Referral attachments (CVs, reports): personal data, outside the web root (never under
# MEDIA_ROOT), served only by the scoped view.
MAILLAGE_ATTACHMENTS_ROOT = Path(
    os.environ.get("MAILLAGE_ATTACHMENTS_ROOT", VAR_DIR / "attachments")
)
# Exports built by the worker (referrals): personal data too, outside the web root, served
# only to the person who asked, removed after MAILLAGE_EXPORT_RETENTION_DAYS.
MAILLAGE_EXPORTS_ROOT = Path(os.environ.get("MAILLAGE_EXPORTS_ROOT", VAR_DIR / "exports"))
MAILLAGE_EXPORT_RETENTION_DAYS = int(os.environ.get("MAILLAGE_EXPORT_RETENTION_DAYS", "7"))
MAILLAGE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("MAILLAGE_ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024))
)
MAILLAGE_ATTACHMENTS_PER_REFERRAL = int(os.environ.get("MAILLAGE_ATTACHMENTS_PER_REFERRAL", "5"))
MAILLAGE_STORAGE = os.environ.get("MAILLAGE_STORAGE", "filesystem")
if MAILLAGE_STORAGE == "s3":
    _s3_options = {
        "bucket_name": os.environ.get("MAILLAGE_S3_BUCKET", ""),
        "endpoint_url": os.environ.get("MAILLAGE_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("MAILLAGE_S3_REGION") or None,
        "access_key": os.environ.get("MAILLAGE_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("MAILLAGE_S3_SECRET_ACCESS_KEY") or None,
        # Private objects, fetched by the application (downloads stream them), never public.
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    if not _s3_options["bucket_name"]:
        raise ImproperlyConfigured("MAILLAGE_STORAGE=s3 : la variable MAILLAGE_S3_BUCKET manque.")
    _uploads = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
    _attachments = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "location": "attachments"},
    }
    _exports = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "location": "exports"},
    }
elif MAILLAGE_STORAGE == "filesystem":
    _uploads = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _attachments = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MAILLAGE_ATTACHMENTS_ROOT), "base_url": None},
    }
    _exports = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MAILLAGE_EXPORTS_ROOT), "base_url": None},
    }
else:
    raise ImproperlyConfigured("MAILLAGE_STORAGE : « filesystem » (par défaut) ou « s3 ».")
STORAGES = {
    "default": _uploads,
    "attachments": _attachments,
    "exports": _exports,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Emails: a file per message in var/mail by default (the demo), SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "maillage.core.mail_backends.MessageFileBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.local>"
)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work: Django's tasks API (django-tasks backport). The database queue by default
# (SQLite or PostgreSQL, `maillage worker` of maillage.jobs.worker); `MAILLAGE_TASK_BROKER_URL`
# (a contract for deployment tools) switches to a broker: `redis://host:6379/0` runs the same
# tasks on RQ through django-tasks-rq (maillage.jobs.broker: leases, retries, parking).
MAILLAGE_TASK_BROKER_URL = os.environ.get("MAILLAGE_TASK_BROKER_URL", "")
if MAILLAGE_TASK_BROKER_URL.startswith(("redis://", "rediss://")):
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": MAILLAGE_TASK_BROKER_URL,
            # A job that runs longer is stopped by RQ and retried like any failure.
            "DEFAULT_TIMEOUT": int(os.environ.get("MAILLAGE_TASK_TIMEOUT_SECONDS", "600")),
        }
    }
    TASKS = {"default": {"BACKEND": "maillage.jobs.broker.BrokerBackend"}}
    # An outbox email or a webhook delivery with no job after this long is queued again (a
    # process killed between its commit and the queue): jobs.tasks.broker_orphans_requeue.
    MAILLAGE_BROKER_ORPHAN_SECONDS = int(os.environ.get("MAILLAGE_BROKER_ORPHAN_SECONDS", "120"))
elif MAILLAGE_TASK_BROKER_URL:
    # amqp:// (RabbitMQ) is part of the variable's contract but has no backend here yet: refused
    # at start-up rather than silently falling back to the database queue.
    raise ImproperlyConfigured(
        f"MAILLAGE_TASK_BROKER_URL : « {MAILLAGE_TASK_BROKER_URL.split('://')[0]}:// » n'est pas "
        "pris en charge ; seul Redis (redis://… ou rediss://…) est pris en charge ; "
        "sans la variable, la file d'attente est la base de données."
    )
else:
    TASKS = {
        "default": {
            "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        }
    }

# Security headers: strict everywhere, HTTPS-only in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    # The load balancer checks the app servers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Errors: French pages in the site's layout (JSON under /api/), see core/error_views.py.
CSRF_FAILURE_VIEW = "maillage.core.error_views.csrf_failure"

# Logs: one JSON object per line in production (or LOG_FORMAT=json), readable lines otherwise;
# one line per request (core/middleware.py) and per task, without personal data.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "maillage.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "maillage.core.logging.JsonFormatter"},
        "text": {"()": "maillage.core.logging.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "maillage": {"level": os.environ.get("MAILLAGE_LOG_LEVEL", "INFO")},
        # The request line says it already (status, duration); Django's own would repeat it.
        "django.request": {"level": "ERROR"},
    },
}

# --- Maillage's own settings -------------------------------------------------------------
# Modules whose `load()` loads reference data from DATA_DIR, in dependency order.
MAILLAGE_REFERENCE_LOADERS = [
    "maillage.partners.reference",
    "maillage.governance.reference",
    "maillage.routing.reference",
]
# Modules whose `build()` adds demo data (after the reference data), in dependency order.
MAILLAGE_DEMO_BUILDERS = [
    "maillage.accounts.demo",
    "maillage.partners.demo",
    "maillage.routing.demo",
    "maillage.referrals.demo",
    "maillage.events.demo",
    "maillage.training.demo",
    "maillage.governance.demo",
    "maillage.indicators.demo",
]
# Each area's `tasks.py` declares `PERIODIC_TASKS`, the tasks `maillage tick` and the scheduler
# queue; `maillage.jobs.schedule.periodic_tasks()` collects them from these modules.
# The status enums templates compare with (`maillage.core.context_processors.enums`): each area
# lists its own; core imports none of them.
MAILLAGE_TEMPLATE_ENUMS = {
    "ReferralStatus": "maillage.referrals.enums.Status",
    "ExportStatus": "maillage.referrals.enums.ExportStatus",
    "EventStatus": "maillage.events.enums.EventStatus",
    "RegistrationStatus": "maillage.events.enums.RegistrationStatus",
    "MeetingStatus": "maillage.governance.enums.MeetingStatus",
    "ResourceStatus": "maillage.training.enums.ResourceStatus",
}
MAILLAGE_TASK_MODULES = [
    "maillage.jobs.tasks",
    "maillage.referrals.tasks",
    "maillage.events.tasks",
    "maillage.governance.tasks",
    "maillage.indicators.tasks",
    "maillage.partners.tasks",
    "maillage.routing.tasks",
]
# Profiles kept with referrals, replayed by `maillage rules simulate` (routing sits below
# referrals, so referrals offer them through this setting).
MAILLAGE_ROUTING_STORED_PROFILES = "maillage.referrals.selectors.routing_profiles_stored"
# Signed invitation links stay valid this many days.
MAILLAGE_INVITATION_DAYS = int(os.environ.get("MAILLAGE_INVITATION_DAYS", "14"))
# Referrals: anonymise closed referrals after this many months.
MAILLAGE_REFERRAL_RETENTION_MONTHS = int(os.environ.get("MAILLAGE_REFERRAL_RETENTION_MONTHS", "24"))
# Events: erase registrants' personal data this many months after the event (counts stay).
MAILLAGE_EVENT_RETENTION_MONTHS = int(os.environ.get("MAILLAGE_EVENT_RETENTION_MONTHS", "12"))
# Check-in opens on the day of the event, or this many hours before it starts if earlier.
MAILLAGE_CHECKIN_OPENS_HOURS_BEFORE = int(
    os.environ.get("MAILLAGE_CHECKIN_OPENS_HOURS_BEFORE", "0")
)
# Indicators: counts under this threshold could single out a person and are shown as "< N".
MAILLAGE_INDICATORS_SUPPRESS_BELOW = int(os.environ.get("MAILLAGE_INDICATORS_SUPPRESS_BELOW", "5"))
# Worker: a RUNNING task whose worker gave no sign of life for this long is taken up again.
MAILLAGE_WORKER_LEASE_SECONDS = float(os.environ.get("MAILLAGE_WORKER_LEASE_SECONDS", "60"))
# Scheduler: the periodic tasks are queued once per slot of this length.
MAILLAGE_SCHEDULER_INTERVAL_SECONDS = int(
    os.environ.get("MAILLAGE_SCHEDULER_INTERVAL_SECONDS", "300")
)
# Finished task rows and sent emails' outbox rows are deleted after this many days.
MAILLAGE_TASK_RETENTION_DAYS = int(os.environ.get("MAILLAGE_TASK_RETENTION_DAYS", "7"))
# Retry delays of the worker are multiplied by this (fault tests make them short).
MAILLAGE_RETRY_DELAY_SCALE = float(os.environ.get("MAILLAGE_RETRY_DELAY_SCALE", "1"))
# Outbound requests (webhooks, maillage/core/outbound.py): https only in production; plain
# http allowed elsewhere. The allowed networks exempt addresses from the guard against internal
# networks: for the test suite's local receivers only (comma-separated), ignored in production.
MAILLAGE_OUTBOUND_ALLOW_HTTP = (
    not PRODUCTION and os.environ.get("MAILLAGE_OUTBOUND_ALLOW_HTTP", "1") == "1"
)
MAILLAGE_OUTBOUND_ALLOWED_NETWORKS = [
    n.strip()
    for n in os.environ.get("MAILLAGE_OUTBOUND_ALLOWED_NETWORKS", "").split(",")
    if n.strip()
]
# A CA bundle for the receivers' certificates (empty: the system's).
MAILLAGE_OUTBOUND_CA_BUNDLE = os.environ.get("MAILLAGE_OUTBOUND_CA_BUNDLE", "")
# A receiver that has not answered after this many seconds has failed this attempt.
MAILLAGE_OUTBOUND_TIMEOUT_SECONDS = float(os.environ.get("MAILLAGE_OUTBOUND_TIMEOUT_SECONDS", "10"))

# ProConnect (OpenID Connect federation of professionals): on when the three variables are set.
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "")
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SCOPES = "openid email given_name usual_name siret"
PROCONNECT_ACR_VALUES = os.environ.get("PROCONNECT_ACR_VALUES", "eidas1")
PROCONNECT_TIMEOUT_SECONDS = 10

# Single-referral links: the receiver's email link (days), the person's link (rate limit per IP).
MAILLAGE_REFERRAL_LINK_DAYS = int(os.environ.get("MAILLAGE_REFERRAL_LINK_DAYS", "8"))
MAILLAGE_SMS_BACKEND = os.environ.get("MAILLAGE_SMS_BACKEND", "maillage.core.sms.ConsoleBackend")
