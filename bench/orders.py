"""Orders benchmark (PostgreSQL behind gunicorn): orders and purchases through the API side by side, and a contention run.

1. Throughput: CLIENTS threads, each with its own API token, run three series against the same server: the trivial
   authenticated endpoint `GET /api/v1/auth/me/` (a unit's staff), placing an order of one or two items on an open
   pre-sale list (`POST /api/v1/orders/`, the same unit staff), and recording one purchase of a household's produce
   in the ledger (`POST /api/v1/purchases/`, a county office's staff; ledger rows, rollups, presence, audit). The
   series take turns in ROUNDS rounds, so that the load other work puts on the machine falls on all three alike.
   Each prints calls/s (wall clock of its own turns), p50/p95/p99 latency, and its ratios to the trivial endpoint.
2. Contention: BUYERS buyers wait at a barrier and then each order 1 unit of an item with STOCK in stock, all at
   once. Exactly STOCK orders must be placed, reserved == STOCK == quantity, `reserved` never seen below 0 or
   above the quantity while the run goes on, and every other buyer answered 409 `out_of_stock` with 库存不足….
   Any violation exits non-zero.

BENCH_SCALE=small: 600 calls of each series; default: 5,000. The contention run is the same at both scales (200 buyers, 50 units).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection
from rest_framework.authtoken.models import Token

from bench.stats import percentile
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.assist import services as assist
from yigou.demo.identity import fake_id_number
from yigou.ledger.models import Purchase
from yigou.ledger.verify import verify
from yigou.market import presale
from yigou.market.models import Order, OrderLine, PreSaleItem, PreSaleList
from yigou.regions.enums import Kind, Level
from yigou.regions.models import Region
from yigou.registry import services as registry

SMALL = os.environ.get("BENCH_SCALE", "full") == "small"
ORDERS = 600 if SMALL else 5_000
CLIENTS = 16  # concurrent API clients in the throughput run
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2) + 1)))  # gunicorn's usual 2n+1
ROUNDS = 3  # the series take turns this many times
BUYERS, STOCK = 200, 50  # the contention run
LISTS, ITEMS_PER_LIST = 10, 10  # 100 items: the throughput run measures placing, not one hot row
VILLAGES, SELLERS_PER_VILLAGE = 8, 4  # the households whose sales the purchase series records
TODAY = dt.date.today()
REGIONS = [
    ("510000000000", "四川省", None, Level.PROVINCE),
    ("510900000000", "遂宁市", "510000000000", Level.CITY),
    ("510903000000", "船山区", "510900000000", Level.COUNTY),
    ("510903101000", "永兴镇", "510903000000", Level.TOWNSHIP),
    ("510903101001", "永兴村", "510903101000", Level.VILLAGE),
    *((f"510903101{n:03d}", f"永兴镇第{n}村", "510903101000", Level.VILLAGE) for n in range(2, VILLAGES + 1)),
]


@dataclass
class World:
    lists: list[PreSaleList]
    scarce: PreSaleItem
    tokens: list[str]  # the buyer units' staff, one per buyer
    units: list[int]  # the buyer units, in the order of `tokens`
    recorders: list[str]  # a county office's staff, one per client: they record the purchases
    sellers: list[int]  # households of VILLAGES villages


# --- data -----------------------------------------------------------------------------------------------------


def seed() -> World:
    """The villages and their households, BUYERS units with one API user each, the lists, the county's recorders."""
    for code, name, parent, level in REGIONS:
        Region.objects.create(
            code=code,
            name=name,
            parent_id=parent,
            level=level,
            kind=Kind.ADMIN,
            is_poor=level == Level.VILLAGE,
        )
    admin = system_actor()
    village = Region.objects.get(code="510903101001")
    household = registry.household_register(
        actor=admin,
        village=village,
        members=[
            registry.MemberInput("张德明", fake_id_number("510903", dt.date(1962, 3, 15), 1, male=True))
        ],
    )
    sellers = [household.pk]
    for v, village_row in enumerate(Region.objects.filter(level=Level.VILLAGE).order_by("code")):
        for n in range(SELLERS_PER_VILLAGE if v else SELLERS_PER_VILLAGE - 1):
            head = fake_id_number("510903", dt.date(1960 + v, 1 + n, 1), v * 10 + n, male=True)
            seller = registry.household_register(
                actor=admin, village=village_row, members=[registry.MemberInput(f"李{v}{n}", head)]
            )
            sellers.append(seller.pk)
    city = Region.objects.get(code="510900000000")
    county = Region.objects.get(code="510903000000")
    office = organisation_create(actor=None, name="船山区乡村振兴局", kind=OrgKind.OFFICE, region=county)
    recorders = []
    for n in range(CLIENTS):
        user = user_create(
            actor=admin,
            username=f"bench-recorder-{n}",
            password="x",
            role=Role.OFFICE,
            organisation=office,
            check_password=False,
        )
        recorders.append(Token.objects.create(user=user).key)
    tokens, units = [], []
    for n in range(BUYERS):
        unit = assist.unit_register(
            actor=admin, region=city, name=f"遂宁市第{n + 1}采购单位", kind="government"
        )
        org = organisation_create(actor=None, name=unit.name, kind=OrgKind.UNIT, region=city, unit=unit)
        user = user_create(
            actor=admin,
            username=f"bench-buyer-{n}",
            password="x",
            role=Role.UNIT,
            organisation=org,
            check_password=False,
        )
        tokens.append(Token.objects.create(user=user).key)
        units.append(unit.pk)

    def publish(title: str, names: list[str], stock: Decimal, unit: str = "斤") -> PreSaleList:
        items = [
            presale.ItemInput(
                name=name,
                category="grain_oil",
                unit=unit,
                unit_price=Decimal("6.50"),
                quantity=stock,
                window_start=TODAY,
                window_end=TODAY + dt.timedelta(days=30),
                seller_household=household,
            )
            for name in names
        ]
        info = presale.ListInput(
            title=title,
            opens_on=TODAY - dt.timedelta(days=1),
            closes_on=TODAY + dt.timedelta(days=30),
            contact_name="王主任",
            contact_phone="13812345678",
        )
        return presale.presale_publish(actor=admin, data=info, items=items, village=village)

    lists = [
        publish(
            f"永兴村预售{k + 1}", [f"大米{k + 1}-{i + 1}" for i in range(ITEMS_PER_LIST)], Decimal(1_000_000)
        )
        for k in range(LISTS)
    ]
    scarce = publish("永兴村限量土鸡", ["土鸡"], Decimal(STOCK), "只").items.get()
    return World(lists, scarce, tokens, units, recorders, sellers)


# --- HTTP -------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = (ROOT / "var" / "bench-orders-server.log").open("wb")  # 409s are logged as warnings: keep them out
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"},
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = call(port, "GET", "/api/v1/auth/me/", "")
            if status in (401, 403):  # up: an anonymous call is refused
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def call(
    port: int, method: str, path: str, token: str, body: dict[str, Any] | None = None
) -> tuple[int, Any]:
    """One request on a new connection (gunicorn's sync workers close after each response)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    return response.status, json.loads(data) if data else None


def run_clients(
    count: int, total: int, work: Callable[[int, int], tuple[int, Any]]
) -> tuple[list[float], float, Counter[int]]:
    """`total` calls of work(client, n) spread over `count` threads; latencies, wall time, status counts."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    counter = iter(range(total))

    def loop(client: int) -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            start = time.perf_counter()
            status, _ = work(client, n)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    threads = [threading.Thread(target=loop, args=(c,)) for c in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - start, statuses


def line(name: str, latencies: list[float], wall: float, unit: str) -> str:
    return (
        f"  {name}: {len(latencies) / wall:8.1f} {unit}/s  p50 {percentile(latencies, 0.5) * 1000:7.2f} ms  "
        f"p95 {percentile(latencies, 0.95) * 1000:7.2f} ms  p99 {percentile(latencies, 0.99) * 1000:7.2f} ms"
    )


# --- the two runs -----------------------------------------------------------------------------------------------


def order_bodies(lists: list[PreSaleList]) -> list[dict[str, Any]]:
    menus = [list(lst.items.values_list("pk", flat=True)) for lst in lists]
    rng = random.Random(2018)
    bodies = []
    for _ in range(ORDERS):
        k = rng.randrange(LISTS)
        picked = rng.sample(menus[k], rng.randint(1, 2))
        bodies.append(
            {
                "presale_list": lists[k].pk,
                "buyer_kind": "unit",
                "lines": [{"item": i, "quantity": str(rng.randint(1, 3))} for i in picked],
            }
        )
    return bodies


def purchase_body(world: World, n: int) -> dict[str, Any]:
    """One household's eggs bought by one of the units, recorded today by the county office."""
    return {
        "date": TODAY.isoformat(),
        "buyer_kind": "unit",
        "buyer_unit": world.units[n % len(world.units)],
        "channel": "onsite",
        "seller_household": world.sellers[n % len(world.sellers)],
        "lines": [{"product": "土鸡蛋", "quantity": "30", "unit": "个", "unit_price": "1.50"}],
    }


@dataclass
class Series:
    name: str
    unit: str
    work: Callable[[int, int], tuple[int, Any]]
    latencies: list[float]
    wall: float = 0.0
    statuses: Counter[int] | None = None

    def turn(self, first: int, count: int) -> None:
        latencies, wall, statuses = run_clients(CLIENTS, count, lambda c, n: self.work(c, first + n))
        self.latencies += latencies
        self.wall += wall
        self.statuses = (self.statuses or Counter()) + statuses

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall


def bench_throughput(port: int, world: World) -> None:
    bodies = order_bodies(world.lists)

    def me(client: int, n: int) -> tuple[int, Any]:
        return call(port, "GET", "/api/v1/auth/me/", world.tokens[client])

    def place(client: int, n: int) -> tuple[int, Any]:
        return call(port, "POST", "/api/v1/orders/", world.tokens[client], bodies[n])

    def record(client: int, n: int) -> tuple[int, Any]:
        return call(port, "POST", "/api/v1/purchases/", world.recorders[client], purchase_body(world, n))

    run_clients(CLIENTS, 4 * CLIENTS, me)  # warm every worker's connection and code paths
    trivial = Series("GET /api/v1/auth/me/   ", "req", me, [])
    orders = Series("POST /api/v1/orders/   ", "orders", place, [])
    purchases = Series("POST /api/v1/purchases/", "purchases", record, [])
    for r in range(ROUNDS):
        first, count = r * ORDERS // ROUNDS, (r + 1) * ORDERS // ROUNDS - r * ORDERS // ROUNDS
        for series in (trivial, orders, purchases):
            series.turn(first, count)
    print(
        f"\nthroughput side by side: {ORDERS:,} calls of each series from {CLIENTS} API clients (token auth), "
        f"gunicorn {WORKERS} workers, {ROUNDS} rounds taking turns"
    )
    for series in (trivial, orders, purchases):
        print(line(series.name, series.latencies, series.wall, series.unit))
    for series in (orders, purchases):
        p50 = percentile(series.latencies, 0.5) / percentile(trivial.latencies, 0.5)
        p99 = percentile(series.latencies, 0.99) / percentile(trivial.latencies, 0.99)
        print(
            f"  {series.unit:9}: {p50:.1f}× the trivial endpoint's p50, {p99:.1f}× its p99; "
            f"{series.rate / trivial.rate:.2f} of its req/s ({trivial.rate / series.rate:.1f}× fewer)"
        )
    check(
        orders.statuses == Counter({201: ORDERS}),
        f"every order placed (statuses {dict(orders.statuses or {})})",
    )
    check(
        purchases.statuses == Counter({201: ORDERS}),
        f"every purchase recorded (statuses {dict(purchases.statuses or {})})",
    )
    check(
        trivial.statuses == Counter({200: ORDERS}),
        f"every trivial call answered (statuses {dict(trivial.statuses or {})})",
    )
    check(Order.objects.count() == ORDERS, f"{Order.objects.count():,} orders in the database")
    check(Purchase.objects.count() == ORDERS, f"{Purchase.objects.count():,} purchases in the ledger")
    check_reserved(PreSaleItem.objects.exclude(quantity=STOCK))
    result = verify(Region.objects.get(code="510903000000"))
    check(not result.differences, f"`stats verify` of the county: {len(result.differences)} differences")


def watch_reserved(item_id: int, stop: threading.Event, seen: list[Decimal]) -> None:
    """Reads the item's `reserved` over and over on its own connection while the buyers run."""
    from django.db import connections

    try:
        with connections["default"].cursor() as cursor:
            while not stop.is_set():
                cursor.execute("SELECT reserved FROM market_presaleitem WHERE id = %s", [item_id])
                seen.append(cursor.fetchone()[0])
                time.sleep(0.001)
    finally:
        connections["default"].close()


def bench_contention(port: int, item: PreSaleItem, tokens: list[str]) -> None:
    barrier = threading.Barrier(BUYERS)
    answers: list[tuple[int, Any, float]] = []
    lock = threading.Lock()

    def buyer(n: int) -> None:
        body = {
            "presale_list": item.presale_list_id,
            "buyer_kind": "unit",
            "lines": [{"item": item.pk, "quantity": "1"}],
        }
        barrier.wait()
        start = time.perf_counter()
        status, data = call(port, "POST", "/api/v1/orders/", tokens[n], body)
        with lock:
            answers.append((status, data, time.perf_counter() - start))

    stop, seen = threading.Event(), []
    watcher = threading.Thread(target=watch_reserved, args=(item.pk, stop, seen))
    watcher.start()
    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(BUYERS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    stop.set()
    watcher.join()

    item.refresh_from_db()
    statuses = Counter(status for status, _, _ in answers)
    refused = [data for status, data, _ in answers if status == 409]
    told = [
        d for d in refused if d.get("code") == "out_of_stock" and d.get("message", "").startswith("库存不足")
    ]
    placed = Order.objects.filter(presale_list_id=item.presale_list_id)
    sold = sum(OrderLine.objects.filter(item=item).values_list("quantity", flat=True), Decimal(0))
    print(f"\ncontention: {BUYERS} buyers at once, 1 unit each, {STOCK} in stock ({wall:.2f} s)")
    print(
        f"  answers : {dict(sorted(statuses.items()))}; latency p50 {percentile([a[2] for a in answers], 0.5) * 1000:.1f} ms, "
        f"p99 {percentile([a[2] for a in answers], 0.99) * 1000:.1f} ms"
    )
    print(
        f"  orders placed {placed.count()}, units sold {sold:f}, reserved {item.reserved:f} of {item.quantity:f}"
    )
    print(
        f"  reserved observed {len(seen)} times during the run: min {min(seen, default=0):f}, "
        f"max {max(seen, default=0):f}"
    )
    if told:
        print(f"  a refused buyer reads: {told[0]['message']}")
    check(statuses == Counter({201: STOCK, 409: BUYERS - STOCK}), f"{STOCK} × 201 and {BUYERS - STOCK} × 409")
    check(len(told) == BUYERS - STOCK, f"{len(told)} refusals say out_of_stock / 库存不足")
    check(placed.count() == STOCK and sold == STOCK, f"exactly {STOCK} orders and units sold")
    check(item.reserved == STOCK == item.quantity, "reserved == quantity == 50 at the end")
    check(all(Decimal(0) <= r <= item.quantity for r in seen), "reserved never below 0 nor above the stock")


FAILURES: list[str] = []


def check(ok: bool, what: str) -> None:
    print(f"  {'✔' if ok else '✘'} {what}")
    if not ok:
        FAILURES.append(what)


def check_reserved(items: Any) -> None:
    for item in items:
        held = sum(OrderLine.objects.filter(item=item).values_list("quantity", flat=True), Decimal(0))
        if item.reserved != held:
            check(False, f"{item.name}: reserved {item.reserved} ≠ ordered {held}")
            return
    check(True, "reserved of every item == the quantities ordered")


def main() -> None:
    if connection.vendor != "postgresql":
        print(
            "The orders benchmark needs PostgreSQL (row locks, several gunicorn workers); skipped on SQLite."
        )
        return
    print(
        f"Orders benchmark — scale {'small' if SMALL else 'full'}: {ORDERS:,} calls a series, contention {BUYERS} buyers "
        f"for {STOCK} units"
    )
    start = time.perf_counter()
    world = seed()
    print(
        f"  seeded {BUYERS} buyer units with API tokens, {LISTS} lists of {ITEMS_PER_LIST} items, "
        f"{len(world.sellers)} households in {VILLAGES} villages, {CLIENTS} county recorders "
        f"({time.perf_counter() - start:.1f} s)"
    )
    connection.close()  # the server's workers and the watcher take their own connections
    port = free_port()
    server = start_server(port)
    try:
        bench_throughput(port, world)
        bench_contention(port, world.scarce, world.tokens)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if FAILURES:
        print(f"\nFAILED: {'; '.join(FAILURES)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
