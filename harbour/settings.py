"""Harbour settings: one module, read from the environment.

Every knob is a ``HARBOUR_*`` variable (plus ``DATABASE_URL``). Defaults are safe for a
single person trying Harbour on their own machine; ``HARBOUR_ENV=production`` switches on
the strict settings and refuses to start without a secret key and allowed hosts.
docs/deploy.md lists every variable.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HARBOUR_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"HARBOUR_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(f"HARBOUR_{name}")
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"HARBOUR_{name}")
    return int(raw) if raw else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


HARBOUR_ENV = env("ENV", "development")
if HARBOUR_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("HARBOUR_ENV must be 'development' or 'production'")
PRODUCTION = HARBOUR_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set HARBOUR_SECRET_KEY in production")
    # A fixed key is fine on a developer's laptop: sessions there protect demo data only.
    SECRET_KEY = "harbour-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set HARBOUR_ALLOWED_HOSTS in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For header is believed. Only a
# connection from one of them may name another client address (harbour.core.client_address).
HARBOUR_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    for _proxy in HARBOUR_TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as _exc:
    raise ImproperlyConfigured(f"HARBOUR_TRUSTED_PROXIES: {_exc}") from None
if env("TRUST_X_FORWARDED_FOR") and not HARBOUR_TRUSTED_PROXIES:
    # The old switch believed the left-most entry, which the client writes itself. Refuse to start
    # rather than silently throttle every user as the proxy's single address.
    raise ImproperlyConfigured(
        "HARBOUR_TRUST_X_FORWARDED_FOR is replaced by HARBOUR_TRUSTED_PROXIES: list the reverse "
        "proxy's address (for example 127.0.0.1) there instead (docs/deploy.md)."
    )

# The public address of this installation, used to build the links that emails carry.
# ``make run`` sets it from the address it serves on (HARBOUR_RUN_ADDR) unless it is given.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "django_htmx",
    "csp",
    "harbour.core",
    "harbour.schools",
    "harbour.accounts",
    "harbour.audit",
    "harbour.people",
    "harbour.concerns",
    "harbour.policy",
    "harbour.monitoring",
    "harbour.filtering",
]

# Single sign-on is off unless the school's IT team supplies credentials (docs/deploy.md).
MICROSOFT_CLIENT_ID = env("MICROSOFT_CLIENT_ID")
GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID")
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
if MICROSOFT_CLIENT_ID:
    INSTALLED_APPS.append("allauth.socialaccount.providers.microsoft")
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": MICROSOFT_CLIENT_ID,
                "secret": env("MICROSOFT_CLIENT_SECRET"),
                "settings": {"tenant": env("MICROSOFT_TENANT", "organizations")},
            }
        ]
    }
if GOOGLE_CLIENT_ID:
    INSTALLED_APPS.append("allauth.socialaccount.providers.google")
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": env("GOOGLE_CLIENT_SECRET")}],
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"hd": env("GOOGLE_HOSTED_DOMAIN", "*")},
    }

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a parameter: control characters never reach a view (issue #12).
    "harbour.core.middleware_input.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "harbour.core.middleware.RequestContextMiddleware",
    "harbour.accounts.middleware.IdleTimeoutMiddleware",
    "harbour.core.middleware.SchoolMiddleware",
    "harbour.accounts.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "harbour.urls"
WSGI_APPLICATION = "harbour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "harbour" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harbour.core.context_processors.harbour",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'harbour.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the background worker share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "harbour_cache"}
        if env("CACHE", "local") == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email login only; accounts are created by invitation, never by open sign-up.
ACCOUNT_ADAPTER = "harbour.accounts.adapters.HarbourAccountAdapter"
SOCIALACCOUNT_ADAPTER = "harbour.accounts.adapters.HarbourSocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Tell people by email when their password or two-step sign-in changes (the email names no pupil).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins per client address (any account). Never add "/key" here: a per-account hard
    # limit lets anyone lock the DSL out. Accounts are slowed down instead (harbour.accounts.throttle).
    "login_failed": env("LOGIN_FAILED_LIMIT", "30/15m/ip"),
    "login": "30/m/ip",
    "reset_password": "5/h/ip,3/h/key",
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Harbour"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION

# Roles that must pass MFA before any safeguarding page, and that are signed out when idle.
HARBOUR_MFA_REQUIRED_ROLES = env_list(
    "MFA_REQUIRED_ROLES", "dsl,deputy_dsl,headteacher,school_admin,trust_safeguarding_lead"
)
HARBOUR_IDLE_TIMEOUT = timedelta(minutes=env_int("IDLE_TIMEOUT_MINUTES", 30))
HARBOUR_INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Per-account sign-in slow-down: after this many failures within the window, each further attempt
# from an address the account has not signed in from waits 1, 2, 4… seconds, up to the maximum.
HARBOUR_SIGNIN_FREE_FAILURES = env_int("SIGNIN_FREE_FAILURES", 5)
HARBOUR_SIGNIN_WINDOW = timedelta(minutes=env_int("SIGNIN_WINDOW_MINUTES", 15))
HARBOUR_SIGNIN_MAX_DELAY_SECONDS = env_int("SIGNIN_MAX_DELAY_SECONDS", 60)
# How long an emailed link to set up two-step sign-in stays valid.
HARBOUR_MFA_ENROL_HOURS = env_int("MFA_ENROL_HOURS", 48)

SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain (often the school's or council's) to HTTPS for good:
        # that is the domain owner's decision, made with HARBOUR_HSTS_PRELOAD=1, not ours.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # The reverse proxy terminates TLS and says so in this header (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Pages load nothing from any other host: every script, style and font is vendored.
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

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "harbour" / "static"]
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
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders here, but wants the folder.
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (issue #13): readable by Harbour's own user only. docs/deploy.md shows how to keep
# media on an encrypted volume or in S3-compatible object storage.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# A file sent to any page that takes none is refused before a byte is read (harbour.core.uploads).
FILE_UPLOAD_HANDLERS = [
    "harbour.core.uploads.UploadGate",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Filtering and monitoring logs (issue #6). Unset lists/keywords use the small demo tree and our own
# moderate phrase list shipped with Harbour; a school points these at its UT1 download and list.
HARBOUR_MONITORING_LISTS_DIR = env("MONITORING_LISTS_DIR") or None
HARBOUR_MONITORING_KEYWORDS_FILE = env("MONITORING_KEYWORDS_FILE") or None
# Folder of the prebuilt category indexes (one per list folder); "off" loads the lists into memory.
HARBOUR_MONITORING_INDEX_DIR = env("MONITORING_INDEX_DIR") or str(VAR_DIR / "monitoring-index")
HARBOUR_MONITORING_CHUNK_LINES = env_int("MONITORING_CHUNK_LINES", 200_000)
HARBOUR_MONITORING_SCAN_WORKERS = env_int("MONITORING_SCAN_WORKERS", 1)
HARBOUR_MONITORING_ENGINE = env("MONITORING_ENGINE", "auto")

# Email: sent by SMTP when a server is configured; otherwise written one file per message to
# HARBOUR_EMAIL_DIR (``make run`` sets var/mail/), or printed to the console.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_DIR = env("EMAIL_DIR")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 20
elif EMAIL_DIR:
    EMAIL_BACKEND = "harbour.core.mail.FilePerMessageBackend"
    EMAIL_FILE_PATH = EMAIL_DIR
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "Harbour <harbour@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env("TASKS", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# The worker records a heartbeat this often; /healthz calls it stale after three misses.
HARBOUR_HEARTBEAT_SECONDS = env_int("HEARTBEAT_SECONDS", 60)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "harbour.accounts.api_auth.HarbourTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "harbour.core.api.HarbourPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter, but an unknown choice or yes/no value is refused (harbour.core.api_filters).
        "harbour.core.api_filters.StrictFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "harbour.core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "harbour.core.api.problem_details_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_RATE", "1200/hour")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only (the upload endpoint names its multipart parser), minus control
    # characters (harbour.core.text). Form encoding would turn a blank field into "use the default".
    "DEFAULT_PARSER_CLASSES": ["harbour.core.api_parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Harbour API",
    "DESCRIPTION": "School-scoped access to Harbour. Authenticate with `Authorization: Token <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents its error answers as problem details (harbour.core.api_schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "harbour.core.api_schema.document_problem_responses",
    ],
    # Several concern models have a field called "kind"; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ConcernEntryKindEnum": "harbour.concerns.models.ConcernEntry.Kind",
        "DecisionKindEnum": "harbour.concerns.models.Decision.Kind",
        "ConcernStatusEnum": "harbour.concerns.models.Concern.Status",
        "MonitoringAlertKindEnum": "harbour.monitoring.models.Alert.Kind",
        "MonitoringAlertStatusEnum": "harbour.monitoring.models.Alert.Status",
        "LogUploadStatusEnum": "harbour.monitoring.models.LogUpload.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO: one line per page of every PDF export.
    "loggers": {
        # Job runners log every task start and finish at INFO: a line a minute from the heartbeat alone.
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
