"""Settings shared by every environment; values that differ come from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("YIGOU_VAR_DIR", BASE_DIR / "var"))
# The embedded database and uploads live here; a fresh clone has no var/ until the first command runs.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"
DEV_FIELD_KEY = "dev-only-field-key-not-for-production"

SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
YIGOU_FIELD_KEY = os.environ.get("YIGOU_FIELD_KEY", DEV_FIELD_KEY)
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "yigou.core",
    "yigou.accounts",
    "yigou.regions",
    "yigou.registry",
    "yigou.assist",
    "yigou.notices",
    "yigou.market",
    "yigou.ledger",
    "yigou.contracts",
    "yigou.shares",
    "yigou.reporting",
    "yigou.approval",
    "yigou.supply",
    "yigou.anomalies",
    "yigou.income",
    "yigou.benefits",
    "yigou.plans",
    "yigou.demo",
    "yigou.api",
    "yigou.www",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yigou.core.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "yigou.www.context.navigation",
            ],
        },
    },
]


def _database_from_env() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'yigou.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"].endswith("sqlite3"):
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers proceed while one writer commits; IMMEDIATE avoids upgrade deadlocks.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    return dict(config)


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = ["yigou.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "www:login"
LOGIN_REDIRECT_URL = "www:home"
LOGOUT_REDIRECT_URL = "www:login"
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("YIGOU_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# `celery -A config beat`: the unsold-produce scan every morning at 06:00 (server time).
CELERY_BEAT_SCHEDULE = {
    "supply-scan-daily": {"task": "supply.scan_today", "schedule": crontab(hour=6, minute=0)},
    "supply-cases-hourly": {"task": "supply.cases_hourly", "schedule": crontab(minute=15)},
    # Plans: reminders before task deadlines, dispatch rounds and rectification deadlines, every morning at 07:00.
    "plans-remind-daily": {"task": "plans.remind_today", "schedule": crontab(hour=7, minute=0)},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "yigou.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yigou.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "6000/hour", "anon": "600/hour"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "以购助扶 Yigou API",
    "DESCRIPTION": "Registry, ledger and statistics of consumption-based poverty alleviation.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the installed sidecar package: the docs work without any CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "yigou.regions.enums.Kind",
        "ProducerKindEnum": "yigou.registry.enums.ProducerKind",
        "UnitKindEnum": "yigou.assist.enums.UnitKind",
        "EventKindEnum": "yigou.registry.enums.EventKind",
        "InvestigationStatusEnum": "yigou.anomalies.enums.InvestigationStatus",
        "AnomalyRuleEnum": "yigou.anomalies.enums.RuleCode",
        "InvestigationStepEnum": "yigou.anomalies.enums.InvestigationStep",
        "MonitoringCaseStatusEnum": "yigou.income.enums.CaseStatus",
        "MonitoringChannelEnum": "yigou.income.enums.Channel",
        "MonitoringStepEnum": "yigou.income.enums.StepKind",
        "MonitoringMeasureKindEnum": "yigou.income.enums.MeasureKind",
        "MonitoringMeasureStatusEnum": "yigou.income.enums.MeasureStatus",
        "MonitoringPhaseEnum": "yigou.income.enums.Phase",
        "MonitoringGroupEnum": "yigou.income.cases.GROUP_CHOICES",
        "MonitoringRiskEnum": "yigou.income.enums.RiskType",
        "PurchaseChannelEnum": "yigou.ledger.enums.Channel",
        "MonitoringStepKindEnum": "yigou.registry.enums.IdentificationStepKind",
        "DistributionKindEnum": "yigou.benefits.enums.Kind",
        "DistributionStatusEnum": "yigou.benefits.enums.Status",
        "NetworkSiteKindEnum": "yigou.plans.enums.SiteKind",
        "RegionLevelEnum": "yigou.regions.enums.Level",
        "WarningLevelEnum": "yigou.supply.enums.Level",
        "HouseholdStatusEnum": "yigou.registry.enums.HouseholdStatus",
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Yigou's own settings, each with its default (the code reads settings.X, never a default of its own) -----
# Imports of at least this many data rows run as a background job (Celery; in-process without a broker).
YIGOU_IMPORT_JOB_THRESHOLD = 100_000
# Run background imports in the request's process instead of handing them to Celery (tests, single-box installs).
YIGOU_IMPORT_JOB_INLINE = False
# A month's report is due on this day of the following month; per form code a different day ({"FORM": 10}).
YIGOU_APPROVAL_DEADLINE_DAY = 5
YIGOU_APPROVAL_DEADLINE_DAYS: dict[str, int] = {}
# Certification: the public notice period in days and how many years a certificate stays valid.
YIGOU_NOTICE_DAYS = 5
YIGOU_CERT_VALIDITY_YEARS = 1
# A product priced above its reference price by more than this share needs a written explanation and is flagged.
YIGOU_PRICE_MARGIN = "0.20"
# Unsold-produce warnings (yigou warnings scan). A supply entry is assessed on the days left before its window
# closes or it spoils (whichever first) and the share of its quantity neither sold (ledger) nor ordered (live
# orders). A level applies when days_left <= its days AND share_left >= its share; the highest applying wins.
# 关注 also applies when the recent ledger median or the market reference price is `price_fall` below the expected price.
YIGOU_WARNING_LEVELS: dict[str, dict[str, Any]] = {
    "severe": {"days": 3, "share": "0.30"},
    "warn": {"days": 7, "share": "0.40"},
    "watch": {"days": 14, "share": "0.50"},
}
YIGOU_WARNING_PRICE_FALL = "0.20"
YIGOU_WARNING_PRICE_DAYS = 30  # the ledger prices compared: the last N days
# Quick-response cases: a 预警 or 严重 warning opens a case routed to the office at this region level (4 乡级,
# 3 县级) with this many hours to act; an open case past its deadline goes to the office one level up with the
# same number of hours again, up to the province.
YIGOU_CASE_ROUTE = {"warn": 4, "severe": 3}
YIGOU_CASE_HOURS = {"warn": 72, "severe": 24}
# Fake-figure detection (yigou anomalies scan). Every rule scores a finding 0–100 and states in Chinese the figures
# it compared; the README lists each rule with these thresholds. A finding dismissed after investigation is not
# raised again by later scans.
YIGOU_ANOMALY_RULES: dict[str, dict[str, Any]] = {
    # The same buyer, seller, day, lines and amount twice (under different external ids or entries).
    "duplicate": {"score": 90},
    # One buyer, one day, at least `sellers` different sellers whose amounts lie within `spread` of their median.
    "batch": {"sellers": 5, "spread": "0.02"},
    # A seller's quantity of a product in the period against its peers (same product and unit in the county):
    # modified z-score 0.6745·(x − median)/MAD above `z` and at least `ratio` × the median, with `peers` or more.
    "volume": {"z": "5.0", "ratio": "5", "peers": 10},
    # A line's unit price above the reference price × (1 + `reference`) and above the peers' median price (same
    # product and unit in the county, `peers` or more lines) × (1 + `median`); without a reference, the median alone.
    "price": {"reference": "0.50", "median": "1.00", "peers": 10},
    # Heaping per region (the children of the region scanned) against the rest of the region: the share of totals on
    # whole hundreds (2×2 χ²) and the last digits of whole yuan (χ², 9 df), each with p below `p`, `minimum` purchases.
    "heaping": {"p": "0.001", "minimum": 200, "excess": "2"},
    # Benford's first digit of purchase totals per region: mean absolute deviation above `mad` (Nigrini's
    # nonconformity bound for first digits), with at least `minimum` purchases.
    "benford": {"mad": "0.015", "minimum": 500},
    # A region's month of which at least `share` of the amount was recorded in the `days` days up to the reporting
    # deadline (YIGOU_APPROVAL_DEADLINE_DAY of the next month), with at least `minimum` purchases.
    "deadline": {"days": 3, "share": "0.70", "minimum": 30},
    # Reported form values above the ledger (regions with both) by more than `tolerance` of the ledger figure.
    "forms": {"tolerance": "0.05"},
    # Income credited as a poor household's after its exit, or as a registered household's after its removal by 回头看.
    "after_exit": {"score": 80},
    # A household's sales of a product within a supply entry's window above its stated quantity × (1 + `margin`).
    "beyond_supply": {"margin": "0.20"},
}
# Return-to-poverty monitoring (yigou monitoring scan), per household and year, against the province's monitoring line
# (income.MonitoringLine). (a) The projected per-capita net income — for now the year's income card — below the line ×
# `factor`; (b) a fall of the per-capita net income against the previous year by more than `fall_share` of it, and by
# more than `sudden_share`: a sudden severe difficulty (突发严重困难户). Equal to a threshold is not flagged.
YIGOU_MONITORING_RULES: dict[str, Any] = {
    "factor": "1.5",
    "fall_share": "0.30",
    "sudden_share": "0.50",
    # 防止返贫监测 procedure (yigou.income.procedure): 村级公示 lasts at least notice_days days; 风险消除 needs the
    # per-capita income above the line in each of the last stable_months months (see yigou.income.clearance).
    "notice_days": 5,
    "stable_months": 6,
    # The public self-declaration form: at most N declarations per client IP and per ID number in the window.
    "declaration_per_ip": 5,
    "declaration_per_id": 3,
    "declaration_window_seconds": 3600,
    "declaration_visit_days": 7,  # the working days the receipt promises for the home visit
}
# Notices (yigou.notices): the class that sends a notice out as a text message to recipients with a phone on file.
# ConsoleBackend prints one line per message (phone masked); LocmemBackend keeps them in `outbox` (tests); an SMS
# or WeChat gateway is a MessageBackend subclass with one method, `send(phone, text) -> bool`, named here.
YIGOU_MESSAGE_BACKEND = os.environ.get("YIGOU_MESSAGE_BACKEND", "yigou.notices.backends.ConsoleBackend")
# Plans (yigou.plans): reminders go out this many days before a task's deadline, the end of a dispatch round without
# the task's report, and a supervision finding's rectification deadline (in the app and through the message backend).
YIGOU_PLAN_REMIND_DAYS = 3
