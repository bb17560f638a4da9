"""Django settings for daihoi, read from the environment (see README "Cấu hình / Configuration")."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from daihoi import config

BASE_DIR = config.BASE_DIR
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = config.env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "daihoi.core",
    "daihoi.audit",
    "daihoi.documents",
    "daihoi.tasks",
    "daihoi.delegates",
    "daihoi.elections",
    "daihoi.programme",
    "daihoi.bodies",
    "daihoi.voting",
    "daihoi.consultation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "daihoi.core.middleware.SecurityHeadersMiddleware",
    # Votes and public comments answered before the rest of the stack: daihoi/core/hotpath.py.
    "daihoi.core.hotpath.HotPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "daihoi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "daihoi.core.middleware.SessionExpiredMiddleware",
    "daihoi.core.middleware.TwoFactorRequiredMiddleware",
    "daihoi.core.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "daihoi.urls"
WSGI_APPLICATION = "daihoi.wsgi.application"
ASGI_APPLICATION = "daihoi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "daihoi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "daihoi.core.context.congress_and_navigation",
            ],
        },
    },
]

DATABASES = {"default": config.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer and Celery: Redis when REDIS_URL is set, in-process otherwise ---
REDIS_URL = config.redis_url()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "daihoi.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "daihoi",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# "The background is always optional": without a broker, tasks run inline in the caller.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Daily jobs for `celery -A daihoi beat` (or run `daihoi send_reminders` from cron).
CELERY_BEAT_SCHEDULE = {
    "open-periodic-occurrences": {
        "task": "daihoi.tasks.open_periodic_occurrences",
        "schedule": 24 * 3600,
    },
    "send-daily-digests": {"task": "daihoi.tasks.send_daily_digests", "schedule": 24 * 3600},
}

# --- Authentication ---
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
# Lock the account, not the address: a congress hall reaches the server through one NAT address,
# so locking by IP would lock every delegate out at once.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "daihoi"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "8")) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = config.env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "daihoi.core.views.errors.csrf_failure"

# --- Language: Vietnamese first, English second ---
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "daihoi" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Files ---
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "daihoi" / "static"]
# `collectstatic` target for production; created empty so WhiteNoise finds it in the demo.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve assets straight from the package folders, so the demo needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- API ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {"TITLE": "daihoi API", "VERSION": "0.1.0"}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "daihoi@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The pool logs every failed retry; the caller gets one clear error when it gives up.
    "loggers": {"axes": {"level": "ERROR"}, "psycopg.pool": {"level": "ERROR"}},
}

# --- Tasks (domain.md §3) ---
# Whether a task counts as done when its product is submitted or when the last approval step
# approves it: offices differ, so it is a setting ("submitted" or "approved").
DAIHOI_TASK_DONE_MEANS = os.environ.get("DAIHOI_TASK_DONE_MEANS", "approved")
DAIHOI_DUE_SOON_DAYS = int(os.environ.get("DAIHOI_DUE_SOON_DAYS", "7"))
# Periodic reports fall due on this day of the month ("trước ngày 25 hằng tháng").
DAIHOI_REPORT_CUTOFF_DAY = int(os.environ.get("DAIHOI_REPORT_CUTOFF_DAY", "25"))
DAIHOI_MAX_UPLOAD_MB = int(os.environ.get("DAIHOI_MAX_UPLOAD_MB", "20"))
# Delegate photos for badges (JPEG/PNG), checked by core.uploads.check_image.
DAIHOI_MAX_PHOTO_MB = int(os.environ.get("DAIHOI_MAX_PHOTO_MB", "5"))
# A hall tablet signs in only a delegate checked in at the session under way.
DAIHOI_HALL_REQUIRE_CHECK_IN = config.env_bool("DAIHOI_HALL_REQUIRE_CHECK_IN", True)
# Folder with NotoSans-Regular.ttf and NotoSans-Bold.ttf (or DejaVuSans.ttf and
# DejaVuSans-Bold.ttf) for PDFs; empty: the Debian fonts-noto-core / fonts-dejavu-core paths.
DAIHOI_FONT_DIR = os.environ.get("DAIHOI_FONT_DIR", "")
# Public address of the site, for links in e-mails (e.g. https://daihoi.hanoi.vn).
DAIHOI_SITE_URL = os.environ.get("DAIHOI_SITE_URL", "").rstrip("/")
