"""The worked example as a fixture, and clients signed in as any of its users."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.shares.example import Example, build_example


@pytest.fixture
def ex(world) -> Example:
    return build_example(world)


@pytest.fixture
def page_as():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_as():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
