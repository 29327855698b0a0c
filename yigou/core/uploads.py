"""The one check every evidence upload passes: a document or image format offices can open, and a size limit."""

from __future__ import annotations

from typing import Any

from .errors import DomainError

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx")


def ensure_evidence_file(upload: Any, label: str = "佐证材料") -> str:
    """The upload's cleaned name, or a Chinese refusal naming the file."""
    name = (getattr(upload, "name", "") or "").strip()
    if not name.lower().endswith(EVIDENCE_SUFFIXES):
        raise DomainError(
            "invalid_input", detail=f"{label}“{name}”格式不支持，请上传 PDF、图片、Word 或 Excel"
        )
    if getattr(upload, "size", 0) and upload.size > MAX_EVIDENCE_BYTES:
        raise DomainError("invalid_input", detail=f"{label}“{name}”超过 20MB")
    return name
