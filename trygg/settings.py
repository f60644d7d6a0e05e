"""Trygg settings: one module, configured by environment variables (see docs/operations.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from trygg import env

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = env.boolean("DEBUG", False)
# No usable default outside DEBUG: a guessable key would let anyone forge sessions.
SECRET_KEY = env.string("SECRET_KEY", "insecure-development-key-only" if DEBUG else None)
ALLOWED_HOSTS = env.csv_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env.csv_list("CSRF_TRUSTED_ORIGINS", "")
# The TLS proxy in front (docs/operations.md): only from these addresses is
# X-Forwarded-For believed; anyone else could write any address into it.
TRUSTED_PROXIES = env.networks("TRUSTED_PROXIES")

DATABASES = {
    "default": env.database(env.string("DATABASE_URL", "sqlite:///var/trygg.sqlite3"), BASE_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "trygg.partners",
    "trygg.geo",
    "trygg.reports",
    "trygg.situation",
    "trygg.measures",
    "trygg.meetings",
    "trygg.promises",
    "trygg.operations",
    "trygg.demo",
    "trygg.open311",
    "trygg.sspf",
    "trygg.policeevents",
    "trygg.imports",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trygg.middleware.SwedishFirstLocaleMiddleware",
    # Before anything reads the body (CSRF, the API): 413 in the page's language.
    "trygg.middleware.BodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Its answer is seen after every inner one, so views cannot undo it.
    "trygg.middleware.NoStoreWhenAuthenticatedMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trygg.partners.audit.AuditContextMiddleware",
    "trygg.partners.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygg.partners.context.partnership",
                "trygg.meetings.context.meetings_menu",
                "trygg.promises.context.promises_menu",
                "trygg.sspf.context.sspf_menu",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters, as OWASP ASVS 2.1.1 asks; a passphrase is easier than symbols.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout: after AXES_FAILURE_LIMIT failed logins for one username, that
# username is refused for LOGIN_LOCKOUT_MINUTES, from every address (a guesser
# rotating addresses gains nothing); a success resets the count.
AXES_FAILURE_LIMIT = env.integer("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that a lockout without the address can be dodged by rotating
# user agents or cookies; a username lockout ignores both. Locking addresses
# too would lock out a whole town hall behind one NAT after five typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "trygg.partners.views.locked_out"
# Lockout records and the audit log take the client's address by one rule:
# X-Forwarded-For only when the request comes from a TRUSTED_PROXIES address.
AXES_CLIENT_IP_CALLABLE = "trygg.partners.audit.client_address"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Coordinators and administrators must pass TOTP after their password
# (partners/twofactor.py); `make run` turns it off for the demo logins.
TWO_FACTOR_REQUIRED = env.boolean("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Trygg"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.string("LANGUAGE_CODE", "sv")
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.string("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.string("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need `trygg collectstatic` first, as the production server does.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.boolean("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# How far back a report's occurred_at may lie; older events belong in an import.
REPORT_MAX_AGE_DAYS = env.integer("REPORT_MAX_AGE_DAYS", 365)
# How long a reporter may correct or withdraw his own report after sending it.
REPORT_EDIT_HOURS = env.integer("REPORT_EDIT_HOURS", 48)
# Seconds a computed lägesbild is reused by this process (situation/cache.py); 0: never.
SITUATION_CACHE_SECONDS = env.integer("SITUATION_CACHE_SECONDS", 10)
# The police's public events feed (trygg/policeevents), polled by `trygg police_events poll`.
POLICE_FEED_URL = env.string("POLICE_FEED_URL", "https://polisen.se/api/events")
POLICE_FEED_USER_AGENT = env.user_agent("POLICE_FEED_USER_AGENT", ALLOWED_HOSTS)
# Largest batch accepted by POST /api/v1/reports/batch.
REPORT_BATCH_LIMIT = 10_000
# Photos larger than this are refused.
# Keys of the SSPF case names' encryption, newest first (trygg.sspf.crypto; docs/sspf.md).
SSPF_KEYS = env.fernet_keys("SSPF_KEYS")

PHOTO_MAX_BYTES = env.integer("PHOTO_MAX_BYTES", 8 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024

SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline or foreign script anywhere: every page loads its JS from static/.
# Inline styles stay allowed (matplotlib's SVG and Leaflet set style attributes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env.boolean("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work: tasks stored in the database (no broker needed on SQLite), run by
# `trygg worker`. Periodic jobs are plain commands run by the system's timers (deploy/).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email goes through an SMTP server (a local relay or the municipality's), from the worker.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "trygg@localhost")
# Where emails' links point (trygg.core.links): the first allowed host over HTTPS unless set.
_FIRST_HOST = next((h for h in ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")), "")
SITE_URL = env.site_url(
    "SITE_URL", f"https://{_FIRST_HOST}" if _FIRST_HOST and not DEBUG else "http://localhost:8000"
)

# Free text is never logged: only request lines and errors without bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "WARNING")},
}
