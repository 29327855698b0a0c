"""Carries the client address of the current request into audit entries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .audit import reset_request_ip, set_request_ip


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request_ip(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            reset_request_ip(token)
