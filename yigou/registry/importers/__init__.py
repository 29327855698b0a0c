"""Bulk import of the registry: households (one row per person) and producers (one row each)."""

from .households import COLUMNS as HOUSEHOLD_COLUMNS
from .households import import_households
from .producers import COLUMNS as PRODUCER_COLUMNS
from .producers import import_producers

__all__ = ["HOUSEHOLD_COLUMNS", "PRODUCER_COLUMNS", "import_households", "import_producers"]
