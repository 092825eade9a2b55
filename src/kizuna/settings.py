"""Kizuna's one settings file, driven by the environment.

Every KIZUNA_* variable is documented in docs/operations.md (a test checks it).
KIZUNA_ENV=production turns on the production profile judged by `kizuna check --deploy`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from kizuna.briefings.banners import parse_marking_banners
from kizuna.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent

KIZUNA_ENV = env_str("KIZUNA_ENV", "development")
if KIZUNA_ENV not in {"development", "production", "test"}:
    raise ConfigurationError(
        f"KIZUNA_ENV: expected development, production or test, got {KIZUNA_ENV!r}"
    )
PRODUCTION = KIZUNA_ENV == "production"

# Where the default SQLite file and other local state live.
KIZUNA_HOME = Path(env_str("KIZUNA_HOME", "") or Path.cwd())

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigurationError("SECRET_KEY: required when KIZUNA_ENV=production")
    # Development only: a fresh key per run is safe because nothing signed must outlive it;
    # `kizuna serve` and `kizuna demo` hand theirs to every worker (serve.server_environment).
    SECRET_KEY = "dev-insecure-" + secrets.token_urlsafe(40)

DEBUG = env_bool("KIZUNA_DEBUG", default=False)
ALLOWED_HOSTS = env_list("KIZUNA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KIZUNA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kizuna.core",
    "kizuna.audit",
    "kizuna.accounts",
    "kizuna.registry",
    "kizuna.documents",
    "kizuna.commitments",
    "kizuna.api",
    "kizuna.analysis",
    "kizuna.briefings",
    "kizuna.dataset",
    "kizuna.demo",
    "kizuna.web",
    "kizuna.search",
]

MIDDLEWARE = [
    "kizuna.core.requests.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kizuna.accounts.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every view needs a signed-in user unless it is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kizuna.accounts.middleware.SecondFactorMiddleware",
    "kizuna.accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it counts failed logins per account and per address.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "kizuna.urls"
WSGI_APPLICATION = "kizuna.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kizuna.web.header.header",
            ],
        },
    },
]


def _database_config() -> dict[str, object]:
    default_url = f"sqlite:///{KIZUNA_HOME / 'kizuna.sqlite3'}"
    url = env_str("DATABASE_URL", default_url)
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ConfigurationError(f"DATABASE_URL: cannot understand {url!r}: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers work during a write; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on the busy timeout instead of failing with "database is locked".
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;",
        }
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` gathers files for a reverse proxy; unset, whitenoise serves them from the apps.
STATIC_ROOT = env_str("KIZUNA_STATIC_ROOT", "") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Sessions end after this long without a request (idle timeout), and with the browser. The
# expiry is pushed forward by saving the session, at most once per refresh interval
# (kizuna.accounts.middleware.IdleTimeoutMiddleware), not on every request.
SESSION_COOKIE_AGE = env_int("KIZUNA_IDLE_TIMEOUT_MINUTES", 30, minimum=1) * 60
KIZUNA_SESSION_REFRESH_SECONDS = min(
    env_int("KIZUNA_SESSION_REFRESH_SECONDS", 60, minimum=1), SESSION_COOKIE_AGE // 2
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A form refused for its CSRF token is answered in Kizuna's page, in the reader's language.
CSRF_FAILURE_VIEW = "kizuna.web.refusals.form_expired"

# Brute-force lockout: after this many failures, per account and per address, for an hour.
AXES_FAILURE_LIMIT = env_int("KIZUNA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kizuna.accounts.views.locked_out"
AXES_VERBOSE = False

# Roles that must sign in with a TOTP second factor (the demo sets this empty).
KIZUNA_TOTP_REQUIRED_ROLES = env_list("KIZUNA_TOTP_REQUIRED_ROLES", ["coordinator", "admin"])
OTP_TOTP_ISSUER = "Kizuna"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Kizuna's own options (documented in docs/operations.md).
KIZUNA_PUBLIC_READ = env_bool("KIZUNA_PUBLIC_READ", default=False)
KIZUNA_PAGE_SIZE = env_int("KIZUNA_PAGE_SIZE", 50, minimum=1)
KIZUNA_MAX_UPLOAD_MB = env_int("KIZUNA_MAX_UPLOAD_MB", 20, minimum=1)
# API requests per minute (kizuna.api.ratelimit); 0 turns a limit off.
KIZUNA_API_RATE_PER_TOKEN = env_int("KIZUNA_API_RATE_PER_TOKEN", 300, minimum=0)
KIZUNA_API_RATE_PER_IP = env_int("KIZUNA_API_RATE_PER_IP", 600, minimum=0)
# Handling banner per marking on briefs and the coordinators' page (SECURITY.md).
KIZUNA_MARKING_BANNERS = parse_marking_banners(
    "KIZUNA_MARKING_BANNERS", env_str("KIZUNA_MARKING_BANNERS", "")
)

# Background jobs (ingestion): django-tasks with its database backend; `kizuna worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("KIZUNA_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("KIZUNA_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kizuna.core.requests.JsonLineFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("KIZUNA_LOG_LEVEL", "WARNING")},
}
