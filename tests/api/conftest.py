"""API test helpers: a client signed in as one of the world's users."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tests.world import World


@pytest.fixture
def client_for(world: World) -> Callable[[str | None], APIClient]:
    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            client.force_authenticate(world.users[username])
        return client

    return make
