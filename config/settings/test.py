"""Settings for the test suite; the database still comes from DATABASE_URL (SQLite or PostgreSQL)."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405

# Serve static files through the finders: no collectstatic needed for tests and local runs.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
YIGOU_MESSAGE_BACKEND = "yigou.notices.backends.LocmemBackend"  # messages land in get_backend().outbox
