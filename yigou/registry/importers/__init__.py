"""Bulk import of the registry: households (one row per person) and producers."""

from .households import COLUMNS as HOUSEHOLD_COLUMNS
from .households import import_households

__all__ = ["HOUSEHOLD_COLUMNS", "import_households"]
