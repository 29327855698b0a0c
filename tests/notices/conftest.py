"""Notices test helpers: the test settings' LocmemBackend, emptied around each test."""

from __future__ import annotations

import pytest

from yigou.notices.backends import get_backend


@pytest.fixture
def outbox() -> list[tuple[str, str]]:
    box = get_backend().outbox  # type: ignore[attr-defined]
    box.clear()
    yield box
    box.clear()


@pytest.fixture
def client_for(world):
    from rest_framework.test import APIClient

    def make(username: str | None) -> APIClient:
        api = APIClient()
        if username is not None:
            api.force_authenticate(world.users[username])
        return api

    return make
