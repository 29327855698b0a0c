"""Evidence files of the income card and the monitoring procedure, served after the caller's scope check (never
as a public media URL); a file missing from storage is "not found" like a record."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from yigou.core.errors import NotFoundError


def evidence_response(field: FieldFile, name: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError() from exc
    return FileResponse(handle, as_attachment=False, filename=name)
