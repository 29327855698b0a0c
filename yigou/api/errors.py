"""Every API error is `{code, message}` with a Chinese message (plus `fields` for per-field problems)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from yigou.core.errors import DomainError

DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", "请先登录。"),
    exceptions.AuthenticationFailed: ("authentication_failed", "身份验证失败：账号、密码或令牌不正确。"),
    exceptions.PermissionDenied: ("forbidden", "无权执行此操作。"),
    exceptions.NotFound: ("not_found", "记录不存在或无权访问。"),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法。"),
    exceptions.Throttled: ("throttled", "请求过于频繁，请稍后再试。"),
    exceptions.ParseError: ("parse_error", "请求内容无法解析。"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "不支持的内容类型。"),
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"code": "invalid_input", "message": "输入有误，请检查各字段。", "fields": exc.detail}
        return response
    for exc_type, (code, message) in DRF_CODES.items():
        if isinstance(exc, exc_type):
            response.data = {"code": code, "message": message}
            return response
    response.data = {"code": "error", "message": str(getattr(exc, "detail", "请求失败。"))}
    response.status_code = getattr(exc, "status_code", status.HTTP_400_BAD_REQUEST)
    return response
