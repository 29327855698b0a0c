"""Shared test world: a small real city (遂宁市) with two counties and a zone, and one user per role."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


def chromium_path() -> str | None:
    path = os.environ.get("YIGOU_CHROMIUM", "/usr/bin/chromium")
    return path if shutil.which(path) else None


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's Chromium, against the live test server."""
    path = chromium_path()
    if path is None:
        if os.environ.get("YIGOU_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (YIGOU_REQUIRE_BROWSER=1) but missing")
        _allow_audit_purge()  # the skipped test's live-server database is still flushed afterwards
        pytest.skip("Chromium not installed: apt-get install -y chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
    _allow_audit_purge()


@pytest.fixture
def committing_db(transactional_db):
    """A test whose writes are committed (other connections see them); the database is flushed afterwards."""
    yield
    _allow_audit_purge()


def _allow_audit_purge() -> None:
    """The live server's test database is flushed afterwards; PostgreSQL's audit trigger must let that through."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET yigou.audit_maintenance = 'on'")


@pytest.fixture(scope="session", autouse=True)
def end_stray_sessions(django_db_setup, django_db_blocker):
    """Live-server threads can leave a PostgreSQL session open; end them so the test database can be dropped."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
