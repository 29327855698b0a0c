"""Production settings: refuse to start with development secrets."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_FIELD_KEY, DEV_SECRET_KEY, SECRET_KEY, YIGOU_FIELD_KEY

DEBUG = False
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("生产环境必须通过环境变量 SECRET_KEY 设置至少 32 位的密钥。")
if YIGOU_FIELD_KEY == DEV_FIELD_KEY or len(YIGOU_FIELD_KEY) < 32:
    raise ImproperlyConfigured("生产环境必须通过环境变量 YIGOU_FIELD_KEY 设置至少 32 位的个人信息加密密钥。")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("生产环境必须设置 DATABASE_URL。")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
