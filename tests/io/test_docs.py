"""docs/import-formats.md must name every column the importers read."""

from __future__ import annotations

from pathlib import Path

import pytest

from yigou.assist.importers import COLUMNS as UNIT_COLUMNS
from yigou.registry.importers import HOUSEHOLD_COLUMNS, PRODUCER_COLUMNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-formats.md"


@pytest.mark.parametrize("columns", [HOUSEHOLD_COLUMNS, PRODUCER_COLUMNS, UNIT_COLUMNS])
def test_the_import_formats_document_lists_every_column(columns):
    text = DOC.read_text(encoding="utf-8")
    assert [c.header for c in columns if f"| {c.header} |" not in text] == []
