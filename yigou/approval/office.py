"""DOCX → PDF through LibreOffice (`soffice --headless --convert-to pdf`), where it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from yigou.core.errors import DomainError

TIMEOUT = 180  # seconds; a first start of LibreOffice builds its profile


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    """The PDF of a DOCX. Each conversion gets its own LibreOffice profile, so parallel runs do not collide."""
    program = soffice()
    if program is None:
        raise DomainError("bulletin_pdf_unavailable")
    with tempfile.TemporaryDirectory(prefix="yigou-bulletin-") as tmp:
        folder = Path(tmp)
        source = folder / "bulletin.docx"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise DomainError("bulletin_pdf_failed", detail="LibreOffice 转换超时") from None
        target = folder / "bulletin.pdf"
        if not target.exists():
            raise DomainError("bulletin_pdf_failed", detail="LibreOffice 未生成 PDF")
        return target.read_bytes()
