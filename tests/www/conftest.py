"""Clients signed in as the world's users."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.world import World


@pytest.fixture
def client_for(world: World) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return make
