"""One small demo (200 households) loaded once for the module that asks for it, rolled back afterwards."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

SMALL = 200


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Runs `yigou demo --households 200` inside a transaction that the module's end rolls back."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo", households=SMALL, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
