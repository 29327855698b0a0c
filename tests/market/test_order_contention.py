"""Forty buyers order the last ten 土鸡 at the same moment through the API: exactly ten get one, thirty are told 库存不足.

PostgreSQL: against the live test server, whose request threads each hold their own connection, so the
conditional UPDATE and the row locks of ordering.py are what keep the stock exact.
SQLite: the live test server would share one in-memory connection between its threads, so the migrated test
database is copied to a file and served by gunicorn with several worker processes; SQLite's write lock
(transactions begin IMMEDIATE) is the serialised path.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.api.orders_world import item_input as _item
from tests.api.orders_world import list_info as _info
from tests.world import World
from yigou.accounts.enums import Role
from yigou.accounts.services import system_actor, user_create
from yigou.market import presale
from yigou.market.models import Order, OrderLine, PreSaleItem

BUYERS, STOCK = 40, 10
REFUSAL = {"code": "out_of_stock", "message": "库存不足：“土鸡”尚可订购 0只，您订购了 1只。"}
ROOT = Path(__file__).resolve().parents[2]


def _scarce_item(world: World) -> PreSaleItem:
    shop = presale.presale_publish(
        actor=world.users["village"],
        data=_info("永兴村限量土鸡"),
        village=world.region("510903101001"),
        items=[_item("土鸡", "只", "80.00", str(STOCK), seller_household=world.households["zhang"])],
    )
    return shop.items.get()


def _tokens(world: World) -> list[str]:
    """BUYERS staff of the 财政局, each with an API token."""
    org = world.users["unit"].organisation  # the unit's one organisation
    return [
        Token.objects.create(
            user=user_create(
                actor=system_actor(),
                username=f"buyer{n}",
                password="x",
                role=Role.UNIT,
                organisation=org,
                check_password=False,
            )
        ).key
        for n in range(BUYERS)
    ]


def _connect(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    conn.connect()
    return conn


def _post(conn: http.client.HTTPConnection, token: str, body: dict[str, Any]) -> tuple[int, Any]:
    try:
        conn.request(
            "POST",
            "/api/v1/orders/",
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def _all_at_once(
    base: str, tokens: list[str], item: PreSaleItem, read_reserved: Callable[[], Decimal]
) -> tuple[list[tuple[int, Any]], list[Decimal]]:
    """Every buyer waits at a barrier, then orders 1; a watcher reads `reserved` all the while."""
    barrier, answers, lock = threading.Barrier(len(tokens)), [], threading.Lock()
    body = {
        "presale_list": item.presale_list_id,
        "buyer_kind": "unit",
        "lines": [{"item": item.pk, "quantity": "1"}],
    }

    def buy(token: str, conn: http.client.HTTPConnection) -> None:
        barrier.wait()
        answer = _post(conn, token, body)
        with lock:
            answers.append(answer)

    stop, seen = threading.Event(), []

    def watch() -> None:
        while not stop.is_set():
            seen.append(read_reserved())
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    # Connected one by one beforehand (the test server's listen backlog is short); the requests go all at once.
    conns = []
    for _ in tokens:
        conns.append(_connect(base))
        time.sleep(0.005)
    threads = [
        threading.Thread(target=buy, args=(token, conn)) for token, conn in zip(tokens, conns, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    watcher.join()
    return answers, seen


def _assert_exact(
    answers: list[tuple[int, Any]], seen: list[Decimal], orders: int, lines: int, reserved: Decimal
):
    assert Counter(status for status, _ in answers) == {201: STOCK, 409: BUYERS - STOCK}
    assert [body for status, body in answers if status == 409] == [REFUSAL] * (BUYERS - STOCK)
    assert sorted(body["total"] for status, body in answers if status == 201) == ["80.00"] * STOCK
    assert (orders, lines, reserved) == (STOCK, STOCK, Decimal(STOCK))
    assert seen and all(Decimal(0) <= value <= Decimal(STOCK) for value in seen)


def _allow_audit_purge() -> None:
    """The test database is flushed afterwards; PostgreSQL's audit trigger must let that through."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET yigou.audit_maintenance = 'on'")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the live test server shares one in-memory SQLite connection; SQLite runs the gunicorn test below",
)
def test_forty_buyers_for_ten_units_on_the_live_server(transactional_db, world, live_server):
    item, tokens = _scarce_item(world), _tokens(world)

    def read_reserved() -> Decimal:
        from django.db import connections

        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT reserved FROM market_presaleitem WHERE id = %s", [item.pk])
                return Decimal(cursor.fetchone()[0])
        finally:
            connections["default"].close()

    try:
        answers, seen = _all_at_once(live_server.url, tokens, item, read_reserved)
        item.refresh_from_db()
        _assert_exact(
            answers,
            seen,
            Order.objects.filter(presale_list_id=item.presale_list_id).count(),
            OrderLine.objects.filter(item=item).count(),
            item.reserved,
        )
    finally:
        _allow_audit_purge()


# --- SQLite: a file copy of the test database behind gunicorn ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def gunicorn_on_copy(tmp_path: Path) -> Iterator[Callable[[], tuple[str, Path]]]:
    """Copies the (committed) test database to a file and serves it with three gunicorn workers."""
    servers: list[subprocess.Popen[bytes]] = []

    def start() -> tuple[str, Path]:
        path = tmp_path / "contention.sqlite3"
        with sqlite3.connect(path) as target:
            connection.ensure_connection()
            connection.connection.backup(target)  # type: ignore[union-attr]
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{path}",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        log = (tmp_path / "gunicorn.log").open("wb")
        servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "3",
                    "--timeout",
                    "60",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}", path
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text())

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL runs the same forty buyers on the live server above"
)
def test_forty_buyers_for_ten_units_on_sqlite_behind_gunicorn(transactional_db, world, gunicorn_on_copy):
    item, tokens = _scarce_item(world), _tokens(world)
    base, path = gunicorn_on_copy()

    def read_reserved() -> Decimal:
        with sqlite3.connect(path, timeout=20) as db:
            return Decimal(
                str(
                    db.execute("SELECT reserved FROM market_presaleitem WHERE id = ?", [item.pk]).fetchone()[
                        0
                    ]
                )
            )

    answers, seen = _all_at_once(base, tokens, item, read_reserved)

    with sqlite3.connect(path, timeout=20) as db:
        orders = db.execute(
            "SELECT COUNT(*) FROM market_order WHERE presale_list_id = ?", [item.presale_list_id]
        )
        lines = db.execute("SELECT COUNT(*) FROM market_orderline WHERE item_id = ?", [item.pk])
        counts = (orders.fetchone()[0], lines.fetchone()[0])
    _assert_exact(answers, seen, *counts, read_reserved())
