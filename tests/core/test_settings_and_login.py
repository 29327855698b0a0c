import os
import subprocess
import sys

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from tests.world import PASSWORD

STRONG = "x" * 40


def start_production(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "YIGOU_FIELD_KEY", "DATABASE_URL")}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production'; django.setup()"
    )
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "生产环境必须通过环境变量 SECRET_KEY 设置至少 32 位的密钥。"),
        (
            {"SECRET_KEY": STRONG},
            "生产环境必须通过环境变量 YIGOU_FIELD_KEY 设置至少 32 位的个人信息加密密钥。",
        ),
        ({"SECRET_KEY": STRONG, "YIGOU_FIELD_KEY": STRONG}, "生产环境必须设置 DATABASE_URL。"),
    ],
)
def test_production_refuses_to_start_with_development_secrets(env, message):
    result = start_production(**env)
    assert result.returncode == 1
    assert message in result.stderr


def test_production_starts_with_real_secrets():
    result = start_production(
        SECRET_KEY=STRONG, YIGOU_FIELD_KEY=STRONG, DATABASE_URL="postgres://u@127.0.0.1/x"
    )
    assert result.returncode == 0, result.stderr


def test_sign_in_locks_after_five_failures_from_one_address_even_with_the_right_password(world):
    from_here, from_elsewhere = (
        RequestFactory().post("/", REMOTE_ADDR="10.0.0.8"),
        RequestFactory().post("/", REMOTE_ADDR="10.0.0.9"),
    )
    for _ in range(5):
        assert authenticate(from_here, username="anju", password="wrong") is None
    assert authenticate(from_here, username="anju", password=PASSWORD) is None
    # Another address is not locked out: an attacker cannot lock a colleague out of the office.
    assert authenticate(from_elsewhere, username="anju", password=PASSWORD) == world.users["anju"]


def test_a_success_resets_the_failure_count(world):
    client = Client()
    for _ in range(4):
        client.login(username="city", password="wrong")
    assert client.login(username="city", password=PASSWORD) is True
    for _ in range(4):
        client.login(username="city", password="wrong")
    assert client.login(username="city", password=PASSWORD) is True
