"""Settings for Rencontres, read from the environment (twelve-factor).

Every knob is an environment variable listed in ``.env.example``. The defaults are the
embedded setup a newcomer gets with nothing installed (SQLite, a filesystem broker,
a file cache); production sets ``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_URL``,
``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``SITE_URL``. Debug is off unless asked for.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105 (debug only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "config.apps.SuperuserAdminConfig",  # the admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",  # its catalogues spell small numbers in words (apnumber)
    "django_countries",
    "allauth",
    "allauth.account",
    "events",
    "registrations",
    "mobility",
    "notifications",
    "resources",
    "network",
    "evaluation",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the site itself
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "config.privacy.PrivateLinkMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

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
                "events.context_processors.network",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite by default. On SQLite select_for_update() does nothing, so every transaction is
# opened with BEGIN IMMEDIATE: writers are serialised by the database itself.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so that a worker process in the tests sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # Short queries only: PostgreSQL's JIT compiler costs more than it saves here (the
    # export query with its per-question subqueries spent longer compiling than running;
    # bench/exports.py measures it).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Parameters bound by the server rather than quoted into the SQL by psycopg, so that
    # psycopg prepares the statements a connection runs often (the registration path's)
    # and PostgreSQL parses and plans them once per connection.
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    # Django turns psycopg's prepared statements off unless OPTIONS asks (for connection
    # poolers in transaction mode, which this deployment does not use): prepare a statement
    # at its fifth run on a connection.
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits need a cache shared by every process) ---------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# The API's rate-limit counters (api/throttling.py) need an atomic increment: Redis when
# configured (exact for every process), else the local-memory cache, whose increment
# holds a lock (exact within one process, such as the demo's threaded server; each
# process of a several-process server without Redis counts on its own). The file cache's
# add and incr are not atomic, even between the threads of one process.
CACHES["throttle"] = (
    {**CACHES["default"], "KEY_PREFIX": "throttle"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
)

# --- Celery ---------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # The filesystem transport ignores the host; naming one keeps kombu from warning "No
    # hostname was supplied" each time a connection is cloned to publish a task.
    CELERY_BROKER_URL = "filesystem://localhost/"
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# What a task prints (the console email backend's emails, in bin/demo) goes to the worker's
# standard output as it is, not into its log as warnings.
CELERY_WORKER_REDIRECT_STDOUTS = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Celery's Django fixup closes the database connection around every task unless told to
# reuse it; a new PostgreSQL connection costs the server milliseconds of CPU. Workers keep
# it the way requests do instead: config/celery.py runs close_old_connections() around each
# task, which honours CONN_MAX_AGE and drops a connection that broke.
CELERY_DB_REUSE_MAX = 1000
# Publishing never waits long on a broker that is down: the outbox row is already safe
# and the periodic dispatch hands it out when the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BEAT_SCHEDULE = {
    "outbox-dispatch": {
        "task": "notifications.outbox_dispatch",
        "schedule": env.float("OUTBOX_DISPATCH_SECONDS", default=60.0),
    },
    "personal-data-retention": {
        "task": "registrations.personal_data_retention",
        "schedule": env.float("PERSONAL_DATA_RETENTION_SECONDS", default=3600.0),
    },
    "programme-changes-announce": {
        "task": "events.programme_changes_announce_quiet",
        "schedule": 300.0,
    },
    "quotas-release-due": {
        "task": "registrations.quotas_release_due",
        "schedule": env.float("QUOTAS_RELEASE_SECONDS", default=60.0),
    },
}
# Programme changes nobody announced go out on their own once the programme has not
# changed for this many minutes (events/tasks.py).
PROGRAMME_CHANGES_QUIET_MINUTES = env.int("PROGRAMME_CHANGES_QUIET_MINUTES", default=120)

# --- Personal data retention (registrations/personal_data.py; shown on /<lang>/privacy/) ---
# Days after an event ends when its participants' personal data is anonymised, per kind of
# event: names, addresses, answers and needs go; anonymous counted rows stay. Mobility
# evidence (Erasmus+) must be kept five years after the *project* ends: five years after
# the event is the default; raise it when the project ends later.
PERSONAL_DATA_RETENTION_DAYS = {
    "national_meeting": env.int("RETENTION_DAYS_NATIONAL_MEETING", default=365),
    "training": env.int("RETENTION_DAYS_TRAINING", default=1827),
    "project_meeting": env.int("RETENTION_DAYS_PROJECT_MEETING", default=365),
    "online": env.int("RETENTION_DAYS_ONLINE", default=365),
}
# Stored email bodies (account emails with their codes) and export files built by workers.
PERSONAL_DATA_FILES_RETENTION_DAYS = env.int("RETENTION_DAYS_FILES", default=30)

# Outbox: retry transient SMTP errors with exponential backoff (seconds), then FAILED.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BACKOFF = env.float("NOTIFICATIONS_RETRY_BACKOFF", default=30.0)
# A row SENDING for longer than this is taken as lost with its worker, and sent again.
NOTIFICATIONS_STUCK_AFTER = env.int("NOTIFICATIONS_STUCK_AFTER", default=600)
NOTIFICATIONS_REENQUEUE_AFTER = env.int("NOTIFICATIONS_REENQUEUE_AFTER", default=300)

# --- Email ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rencontres <rencontres@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "events:list"
ACCOUNT_ADAPTER = "config.accounts.AccountAdapter"
# Addresses too long to store are refused by these too (the adapter's clean_email does it
# for sign-up, added addresses and password reset).
ACCOUNT_FORMS = {
    "login": "registrations.account_forms.AddressLoginForm",
    "request_login_code": "registrations.account_forms.AddressRequestLoginCodeForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# allauth prefixes subjects with "[site name]": the subjects stand alone, like the
# project's other emails (the sender is the network).
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
# Failed logins count per client address, and per client address and email together
# (config/accounts.py), never per email alone: wrong passwords typed for someone else's
# address must not lock its owner out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip",
    "login_failed_from_address": "5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (docker-compose.yml: 1, the TLS proxy). 0: X-Forwarded-For is ignored (anyone can send it)
# and rate limits count REMOTE_ADDR. Read by allauth and by registrations/ratelimit.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The public registration form, per IP address and per email address being registered
# (registrations/ratelimit.py: same syntax as allauth's, without a lock per key).
REGISTRATION_RATE_LIMIT = env.str("REGISTRATION_RATE_LIMIT", default="30/10m/ip,5/10m/key")
# Set to False only by the concurrency control test, to show what the lock prevents.
REGISTRATIONS_LOCK_EVENT = True

# --- The REST API (api/): read-only, JSON, tokens or the user's session ---------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Counted in the cache: per token (or logged-in user), and per IP address for
    # anonymous readers (X-Forwarded-For read as TRUSTED_PROXY_COUNT says).
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env.str("API_RATE_ANONYMOUS", default="120/minute"),
        "token": env.str("API_RATE_TOKEN", default="600/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rencontres API",
    "DESCRIPTION": (
        "Read-only API of the network's events, programmes, published resources and "
        "listed organisations, and "
        "of an event's registrations for its organisers and partner coordinators (API "
        "tokens, created in the workspace). Texts in the language chosen with `?lang=` "
        "or Accept-Language."
    ),
    "VERSION": "1.0.0",
    # OpenAPI 3.1 (JSON Schema): a nullable nested object (an online event's venue) is
    # ``oneOf: [$ref, {type: null}]``, which validators read as written; OpenAPI 3.0's
    # ``allOf: [$ref], nullable: true`` is "never null" to them (3.0.3's rule).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": ["published", "cancelled"],
        "RegistrationStateEnum": ["open", "not_yet", "closed"],
        "EventKindEnum": "events.models.Event.Kind",
        "ProgrammeItemKindEnum": "events.models.ProgrammeItem.Kind",
        "RegistrationStatusEnum": "registrations.models.Registration.Status",
        "WorkshopChoiceStatusEnum": "registrations.models.WorkshopChoice.Status",
    },
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ro", _("Romanian")),
    ("hu", _("Hungarian")),
    ("pt", _("Portuguese")),
    ("it", _("Italian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own shape, where Django's are wrong for the product.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
# Numbers are grouped by thousands in the reader's language (config/formats); a machine
# value in a template (an id in an attribute) goes through |unlocalize.
USE_THOUSAND_SEPARATOR = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
# Per-object fallback to the event's own default language is done by events.i18n;
# modeltranslation's global fallback is only the last resort.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": MODELTRANSLATION_LANGUAGES}
# The admin's language tabs (modeltranslation reads these two names without its prefix)
# need jQuery and jQuery UI: Django's own jQuery and jQuery UI shipped in static/vendor/,
# never from a CDN.
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Uploaded and generated files (exports: served only through permission checks) ---
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Resources (slides, reports, photos) organisers and speakers upload: the largest file
# accepted, in megabytes (a reverse proxy in front must accept bodies this large too).
RESOURCES_MAX_UPLOAD_BYTES = env.int("RESOURCES_MAX_UPLOAD_MB", default=25) * 1024 * 1024
# Exports of more rows than this are built by a worker while the page shows progress.
EXPORT_ASYNC_THRESHOLD = env.int("EXPORT_ASYNC_THRESHOLD", default=2000)

# --- The network directory (network/) ------------------------------------------------
# The map's tiles: OpenStreetMap's tile server unless the operator names another (their
# own, for an offline-friendly setup); empty: the map shows the organisations without a
# background. Only this origin is added to the directory page's img-src.
NETWORK_MAP_TILE_URL = env.str(
    "NETWORK_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
NETWORK_MAP_ATTRIBUTION_TEXT = env.str(
    "NETWORK_MAP_ATTRIBUTION_TEXT", default="© OpenStreetMap contributors"
)
NETWORK_MAP_ATTRIBUTION_URL = env.str(
    "NETWORK_MAP_ATTRIBUTION_URL", default="https://www.openstreetmap.org/copyright"
)
# The tile server learns the site's origin only (OSM's usage policy asks for a referrer).
NETWORK_MAP_TILE_REFERRER_POLICY = env.str(
    "NETWORK_MAP_TILE_REFERRER_POLICY", default="strict-origin"
)
NETWORK_LOGO_MAX_BYTES = env.int("NETWORK_LOGO_MAX_BYTES", default=1024 * 1024)
NETWORK_LOGO_MAX_PIXELS = env.int("NETWORK_LOGO_MAX_PIXELS", default=2000)

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # With DEBUG=0: whitenoise's hashed, compressed files once collectstatic has run;
        # before that, the files under their own names (config/storage.py).
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.storage.StaticFilesStorage"
        )
    },
}
# Until collectstatic has filled STATIC_ROOT, whitenoise serves the source folders.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").exists()

# --- Security (production defaults; DEBUG relaxes the HTTPS-only ones) ----------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Our own pages get the path of the page a link was followed from, other sites nothing:
# the secret of a private page never leaves in a Referer (config/privacy.py).
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Cookies HTTPS-only unless the site is served over plain HTTP (a trial without TLS).
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not SITE_URL.startswith("http://"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Every page (error pages too, DEBUG or not: config/security.py): scripts, styles, images
# and fonts from this site only (no inline script or style), no plugins, no framing,
# forms posted to this site only.
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
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features no page uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading is hard to undo (browsers ship the list): only when the operator asks.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # "SECURE_HSTS_PRELOAD is not True"

# No secret of a private link reaches a log line (config/privacy.py): the filter is on the
# handler (every line written) and on django.request (its "Not Found: <path>" records, for
# any other handler that is attached there).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "config.privacy.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own "django" logger would print every line a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["redact_secrets"]},
    },
}
