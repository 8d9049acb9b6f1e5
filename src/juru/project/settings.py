"""The one settings file: every knob is a ``JURU_*`` environment variable (README lists them)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from juru.project.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("JURU_DATA_DIR") or Path.cwd() / "var").resolve()
PRODUCTION = env_bool("JURU_PRODUCTION", False)
# Debug pages list every URL and setting: only when asked for explicitly, never by default.
DEBUG = env_bool("JURU_DEBUG", False)
# The Django admin is a read-only inspection tool for superusers with 2FA, and off unless switched on.
ADMIN_ENABLED = env_bool("JURU_ADMIN", False)

# Secrets: from the variable, its *_FILE, or generated into the data directory on first start.
# Production never generates: an operator must provide them deliberately.
SECRET_KEY = env_secret("JURU_SECRET_KEY", DATA_DIR, generate=not PRODUCTION)
ENCRYPTION_KEY = env_secret("JURU_ENCRYPTION_KEY", DATA_DIR, generate=not PRODUCTION, generator="fernet")
# Signs audit checkpoints. Generated on first start in production too: it protects nothing by being
# secret from the operator, only from whoever can write to the database.
AUDIT_SIGNING_KEY = env_secret("JURU_AUDIT_SIGNING_KEY", DATA_DIR, generate=True, generator="ed25519")
INSECURE_DEFAULT_KEYS = {"", "change-me", "changeme", "secret", "django-insecure"}
if PRODUCTION and (SECRET_KEY in INSECURE_DEFAULT_KEYS or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("JURU_SECRET_KEY must be set to a long random value in production.")
if PRODUCTION and not ENCRYPTION_KEY:
    raise ImproperlyConfigured("JURU_ENCRYPTION_KEY must be set (a Fernet key) in production.")
if PRODUCTION and len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("JURU_SECRET_KEY is too short for production (at least 40 characters).")

ALLOWED_HOSTS = env_list("JURU_ALLOWED_HOSTS", ("127.0.0.1", "localhost", "testserver"))
CSRF_TRUSTED_ORIGINS = env_list("JURU_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "juru.web.apps.JuruAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "template_partials",
    "juru.web",
    "juru.audit",
    "juru.accounts",
    "juru.governance",
    "juru.publishing",
    "juru.listening",
    "juru.advocacy",
    "juru.goals",
    "juru.crisis",
    "juru.moderation",
    "juru.inbox",
    "juru.replies",
    "juru.ops",
    "juru.sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Not Django's LocaleMiddleware: the language follows the person and organisation, never Accept-Language.
    "juru.web.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # AxesMiddleware must be last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "juru.project.urls"
WSGI_APPLICATION = "juru.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = env_str("JURU_DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "juru.sqlite3"),
            "OPTIONS": {
                # WAL lets the web process read while a worker writes; IMMEDIATE takes the write
                # lock at BEGIN so the audit chain and claims serialise instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("JURU_DB_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj-database-url raises several types for junk URLs
        raise ImproperlyConfigured(f"JURU_DATABASE_URL is not a valid database URL: {exc}") from None
    if config.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured("JURU_DATABASE_URL must be a postgresql:// or sqlite:// URL.")
    return dict(config)


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Lockout after repeated failures (per username + IP), released after an hour.
AXES_FAILURE_LIMIT = env_int("JURU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
# How many reverse proxies stand in front of the web processes (0: clients connect directly).
TRUSTED_PROXIES = env_int("JURU_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "juru.project.client_address.client_address"

OTP_TOTP_ISSUER = "Juru"

# Sessions and cookies.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("JURU_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "juru.web.views.csrf_failure"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("JURU_SECURE_COOKIES", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = env_int("JURU_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: everything from our own origin, inline scripts only with a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE adds a per-request nonce only when a template uses request.csp_nonce.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Internationalisation: Indonesian first.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "juru_language"
TIME_ZONE = env_str("JURU_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    # WhiteNoise serves from the finders in development but warns when the root is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Audit checkpoints: where signed copies of the chain head go (keep the file on other storage), and
# how often. Earlier public keys stay trusted for checkpoints signed before a key change.
AUDIT_CHECKPOINT_FILE = env_str("JURU_AUDIT_CHECKPOINT_FILE") or str(DATA_DIR / "audit-checkpoints.jsonl")
AUDIT_CHECKPOINT_WEBHOOK = env_str("JURU_AUDIT_CHECKPOINT_WEBHOOK")
AUDIT_CHECKPOINT_EMAILS = env_list("JURU_AUDIT_CHECKPOINT_EMAILS")
AUDIT_CHECKPOINT_SECONDS = env_int("JURU_AUDIT_CHECKPOINT_SECONDS", 900)
AUDIT_TRUSTED_KEYS = env_list("JURU_AUDIT_TRUSTED_KEYS")

# API requests per token (README): a rate such as "120/minute", empty to switch off; counted per
# process in memory, or in Redis (redis://...) when several web processes share the load.
API_RATE_LIMIT = env_str("JURU_API_RATE_LIMIT", "120/minute")
if API_RATE_LIMIT:
    from limits import parse as _parse_rate

    try:
        _parse_rate(API_RATE_LIMIT)
    except ValueError:
        raise ImproperlyConfigured(
            f"JURU_API_RATE_LIMIT must be a rate such as 120/minute, not {API_RATE_LIMIT!r}."
        ) from None
RATE_LIMIT_STORAGE = env_str("JURU_RATE_LIMIT_STORAGE", "memory://")

# The cache (who is viewing and typing on a conversation): Redis when JURU_CACHE_URL is set, or
# the broker when that is Redis, so every web process shares it; local memory for one process.
_BROKER = env_str("JURU_BROKER_URL")
CACHE_URL = env_str("JURU_CACHE_URL") or (_BROKER if _BROKER.startswith(("redis://", "rediss://")) else "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "juru"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "juru"}
    )
}

# Background work: an embedded broker on a SQLite file by default, Redis at scale.
CELERY_BROKER_URL = env_str("JURU_BROKER_URL") or f"sqla+sqlite:///{DATA_DIR / 'broker.sqlite3'}"
CELERY_RESULT_BACKEND = env_str("JURU_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("JURU_TASKS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Ingestion has its own queue so a burst of mentions never delays publishing.
CELERY_TASK_ROUTES = {"listening.*": {"queue": "listening"}}

NONCOMMERCIAL_MODELS = env_bool("JURU_NONCOMMERCIAL_MODELS", True)

# Alert webhooks go to public internet addresses only; an operator may allow private networks here
# (comma-separated, e.g. "10.20.0.0/16,fd00::/8"), for a receiver inside the company network.
LISTENING_WEBHOOK_ALLOWED_NETWORKS = env_list("JURU_WEBHOOK_ALLOWED_NETWORKS")
for _network in LISTENING_WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"JURU_WEBHOOK_ALLOWED_NETWORKS must list networks such as 10.20.0.0/16, not {_network!r}."
        ) from None

# The demo's sandbox accounts receive a few plausible comments every few minutes (a scheduled task),
# so its inbox and listening pages are never empty; switch off with JURU_SANDBOX_BACKGROUND_TRAFFIC=0.
SANDBOX_BACKGROUND_TRAFFIC = env_bool("JURU_SANDBOX_BACKGROUND_TRAFFIC", True)

# Outgoing e-mail (governance reminders, alerts): SMTP when a host is set, otherwise the console.
EMAIL_HOST = env_str("JURU_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("JURU_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("JURU_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_secret("JURU_EMAIL_PASSWORD", DATA_DIR, generate=False)
EMAIL_USE_TLS = env_bool("JURU_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("JURU_EMAIL_FROM", "juru@localhost")
JURU_BASE_URL = env_str("JURU_BASE_URL", "http://127.0.0.1:8000")  # links in e-mail

# Connecting brand accounts: OAuth clients registered by the operator with each network, and where the
# networks answer (overridable for self-hosted instances and tests). Mastodon apps are registered per instance.
JURU_MASTODON_ALLOW_HTTP = env_bool("JURU_MASTODON_ALLOW_HTTP", False)  # plain-http instances (development only)
JURU_X_CLIENT_ID = env_str("JURU_X_CLIENT_ID")
JURU_X_CLIENT_SECRET = env_str("JURU_X_CLIENT_SECRET")  # empty for a public (PKCE-only) client
JURU_X_AUTHORIZE_URL = env_str("JURU_X_AUTHORIZE_URL", "https://x.com/i/oauth2/authorize")
JURU_X_API_URL = env_str("JURU_X_API_URL", "https://api.x.com")
JURU_FACEBOOK_APP_ID = env_str("JURU_FACEBOOK_APP_ID")
JURU_FACEBOOK_APP_SECRET = env_str("JURU_FACEBOOK_APP_SECRET")
JURU_FACEBOOK_DIALOG_URL = env_str("JURU_FACEBOOK_DIALOG_URL", "https://www.facebook.com")
JURU_FACEBOOK_GRAPH_URL = env_str("JURU_FACEBOOK_GRAPH_URL", "https://graph.facebook.com")
JURU_BLUESKY_URL = env_str("JURU_BLUESKY_URL", "https://bsky.social")
JURU_TELEGRAM_API_URL = env_str("JURU_TELEGRAM_API_URL", "https://api.telegram.org")
JURU_YOUTUBE_CLIENT_ID = env_str("JURU_YOUTUBE_CLIENT_ID")  # a Google OAuth client of type "Web application"
JURU_YOUTUBE_CLIENT_SECRET = env_str("JURU_YOUTUBE_CLIENT_SECRET")
JURU_YOUTUBE_AUTHORIZE_URL = env_str("JURU_YOUTUBE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth")
JURU_YOUTUBE_TOKEN_URL = env_str("JURU_YOUTUBE_TOKEN_URL", "https://oauth2.googleapis.com/token")
JURU_YOUTUBE_API_URL = env_str("JURU_YOUTUBE_API_URL", "https://www.googleapis.com")
# Where the networks can reach this Juru (https://juru.example.com): attachments are served to them
# at signed, expiring addresses under it (Instagram fetches images by URL). Empty: nothing is served.
JURU_PUBLIC_URL = env_str("JURU_PUBLIC_URL").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("JURU_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools report every step of every PDF at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}
