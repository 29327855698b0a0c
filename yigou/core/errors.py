"""Domain errors: a machine-readable code and a Chinese message, raised by services and validators."""

from __future__ import annotations

from .error_codes import message_for


class DomainError(Exception):
    """A refused change. Nothing has been written when this is raised out of a service."""

    status_code = 400

    def __init__(self, code: str, message: str | None = None, *, field: str | None = None, **params: object):
        self.code = code
        self.field = field
        self.params = params
        self.message = message or message_for(code, **params)
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        return data


class PermissionDeniedError(DomainError):
    status_code = 403

    def __init__(self, code: str = "forbidden", message: str | None = None, **params: object):
        super().__init__(code, message, **params)  # type: ignore[arg-type]


class NotFoundError(DomainError):
    status_code = 404

    def __init__(self, code: str = "not_found", message: str | None = None, **params: object):
        super().__init__(code, message, **params)  # type: ignore[arg-type]
