"""Password sign-in with throttling: after N failures for one account from one address, wait."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from yigou.core.error_codes import message_for


def _key(username: str, request: HttpRequest | None) -> str:
    ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    digest = hashlib.sha256(f"{username.lower()}|{ip}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def failures(username: str, request: HttpRequest | None) -> int:
    return int(cache.get(_key(username, request), 0))


def is_locked(username: str, request: HttpRequest | None) -> bool:
    return failures(username, request) >= settings.LOGIN_FAILURE_LIMIT


def locked_message() -> str:
    return message_for("login_locked", minutes=settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username:
            return None
        if is_locked(username, request):
            # PermissionDenied makes Django stop trying other backends and report a failed login.
            raise PermissionDenied(locked_message())
        user = super().authenticate(request, username=username, password=password, **kwargs)
        key = _key(username, request)
        if user is None:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        else:
            cache.delete(key)
        return user
