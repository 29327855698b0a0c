"""The scan on a worked example: 张德明 (永兴村) expects to sell 100 公斤 腊肉 from ten days ago until the day after
tomorrow (it keeps 30 days, so the window's end comes first: 2 days left).

Sold 40 + 25 = 65 through the ledger → 35 left (35%) → 严重 (≤ 3 days, ≥ 30%). A further 6 → 29 left (29%) →
no warning. Reversing the 6 → 严重 again. A live order on a pre-sale list counts as taken; a cancelled one does not.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from tests.anomalies.conftest import sell as sell_at
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record, purchase_reverse
from yigou.supply import monitoring, services
from yigou.supply.models import SupplyEntry, Warning

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def bacon(**changes) -> services.SupplyInput:
    data = services.SupplyInput(
        name="腊肉",
        category="meat_egg",
        unit="公斤",
        quantity="100",
        available_from=TODAY - dt.timedelta(days=10),
        available_to=TODAY + dt.timedelta(days=2),
        keeps_days="30",
        expected_price="60.00",
        contact_name="张德明",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def entry(world) -> SupplyEntry:
    return services.supply_record(
        actor=world.users["village"],
        village=world.region("510903101001"),
        data=bacon(),
        household=world.households["zhang"],
    )


def sell(world, quantity: str, days_ago: int = 1, product: str = "腊肉"):
    data = PurchaseInput(
        date=TODAY - dt.timedelta(days=days_ago),
        buyer_kind="individual",
        channel="onsite",
        buyer_name="李四",
        seller_household=world.households["zhang"],
        lines=[
            LineInput(
                product=product,
                quantity=Decimal(quantity),
                unit="公斤",
                unit_price=Decimal("60.00"),
                amount=Decimal(quantity) * Decimal("60.00"),
            )
        ],
    )
    purchase, _ = purchase_record(actor=world.users["admin"], data=data)
    return purchase


def scan_json(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("warnings", "scan", *args, stdout=out)
    return json.loads(out.getvalue())


def test_sales_take_the_entry_from_severe_to_nothing_and_a_reversal_brings_it_back(world, entry):
    sell(world, "40", days_ago=5)
    sell(world, "25")
    sell(world, "30", days_ago=20)  # before the window: not counted
    sell(world, "9", product="香肠")  # another product: not counted

    assert scan_json("--date", str(TODAY)) == [
        {
            "level": "severe",
            "region_code": "510903101001",
            "supply_id": entry.pk,
            "product": "腊肉",
            "unit": "公斤",
            "quantity_left": "35",
            "days_left": 2,
            "reason": "剩余 35公斤（占预计 35%），距销售期结束或保鲜期满还有 2 天（严重：不超过 3 天且剩余不低于 30%）",
        }
    ]
    assert Warning.objects.get().level == "severe"

    extra = sell(world, "6")
    assert scan_json() == []
    assert Warning.objects.get().cleared_on == TODAY  # kept as cleared: a case may name it

    purchase_reverse(actor=world.users["admin"], purchase=extra, reason="录入错误")
    assert [row["quantity_left"] for row in scan_json()] == ["35"]
    assert (Warning.objects.get().cleared_on, Warning.objects.get().raised_on) == (None, TODAY)


def test_the_scan_is_idempotent_and_keeps_the_day_first_raised(world, entry):
    sell(world, "65")
    first = scan_json("--date", str(TODAY - dt.timedelta(days=1)))
    again = scan_json("--date", str(TODAY))
    assert (first[0]["level"], first[0]["days_left"]) == ("severe", 3)
    assert (again[0]["level"], again[0]["days_left"]) == ("severe", 2)
    assert scan_json("--date", str(TODAY)) == again
    warning = Warning.objects.get()
    assert (warning.raised_on, warning.scanned_on, warning.quantity_left) == (
        TODAY - dt.timedelta(days=1),
        TODAY,
        Decimal("35.000"),
    )


def test_a_region_scan_sees_only_its_subtree(world, entry):
    assert [row["supply_id"] for row in scan_json("--region", "510903000000")] == [entry.pk]
    assert scan_json("--region", "510904000000") == []


def test_text_format_and_bad_options(world, entry):
    out = io.StringIO()
    call_command("warnings", "scan", "--format", "text", stdout=out)
    assert out.getvalue().splitlines()[-1] == f"共 1 条预警（{TODAY}）"
    with pytest.raises(Exception, match="日期“2018-13-01”无效"):
        call_command("warnings", "scan", "--date", "2018-13-01")
    with pytest.raises(Exception, match="519999000000"):
        call_command("warnings", "scan", "--region", "519999000000")


def test_bad_entries_are_refused_in_chinese_and_write_nothing(world):
    village = world.region("510903101001")
    before = (SupplyEntry.objects.count(), AuditEntry.objects.count())
    cases = [
        (bacon(quantity="0"), "输入有误：预计可售数量须大于 0"),
        (bacon(quantity="abc"), "输入有误：预计可售数量“abc”不是数字"),
        (bacon(keeps_days="0"), "输入有误：保鲜天数须为 1 到 3650 的整数"),
        (bacon(category="toys"), "输入有误：品类“toys”不在可选范围内"),
        (
            bacon(available_to=TODAY - dt.timedelta(days=11)),
            f"输入有误：上市结束日期 {TODAY - dt.timedelta(days=11)} 早于开始日期 {TODAY - dt.timedelta(days=10)}",
        ),
        (bacon(expected_price="1.005"), "输入有误：预期单价最多 2 位小数"),
    ]
    for data, message in cases:
        with pytest.raises(DomainError) as refused:
            services.supply_record(actor=world.users["village"], village=village, data=data)
        assert refused.value.message == message
    with pytest.raises(DomainError, match="不属于"):
        services.supply_record(
            actor=world.users["chuanshan"],
            village=world.region("510903101002"),
            data=bacon(),
            household=world.households["zhang"],
        )
    with pytest.raises(PermissionDeniedError):
        services.supply_record(actor=world.users["anju"], village=village, data=bacon())
    with pytest.raises(PermissionDeniedError):
        services.supply_record(actor=world.users["unit"], village=village, data=bacon())
    assert (SupplyEntry.objects.count(), AuditEntry.objects.count()) == before


def test_last_season_is_copied_once_with_its_dates_moved(world, entry):
    copies = services.supply_copy_season(
        actor=world.users["village"],
        village=world.region("510903101001"),
        from_season=entry.season,
        to_season=entry.season + 1,
    )
    assert [(c.name, c.quantity, c.available_from.year, c.season) for c in copies] == [
        ("腊肉", Decimal("100.000"), entry.available_from.year + 1, entry.season + 1)
    ]
    with pytest.raises(DomainError, match="已有供给台账"):
        services.supply_copy_season(
            actor=world.users["village"],
            village=world.region("510903101001"),
            from_season=entry.season,
            to_season=entry.season + 1,
        )
    assert SupplyEntry.objects.count() == 2


def test_a_live_order_counts_as_taken_and_a_cancelled_one_does_not(world, entry):
    from yigou.market import ordering, presale

    shop = presale.presale_publish(
        actor=world.users["village"],
        village=world.region("510903101001"),
        data=presale.ListInput(
            title="永兴村腊肉预售",
            opens_on=TODAY - dt.timedelta(days=1),
            closes_on=TODAY + dt.timedelta(days=5),
            contact_name="王主任",
            contact_phone="13812345678",
        ),
        items=[
            presale.ItemInput(
                name="腊肉",
                category="meat_egg",
                unit="公斤",
                unit_price=Decimal("60.00"),
                quantity=Decimal("50"),
                window_start=TODAY,
                window_end=TODAY + dt.timedelta(days=5),
                seller_household=world.households["zhang"],
            )
        ],
    )
    sell(world, "62")
    assert [row["quantity_left"] for row in scan_json()] == ["38"]
    order = ordering.order_place(
        actor=world.users["unit"], presale_list=shop, lines=[(shop.items.get().pk, "10")]
    )
    assert scan_json() == []  # 100 − 62 sold − 10 ordered = 28 left (28%): below every threshold
    ordering.order_cancel(actor=world.users["unit"], order=order, reason="改期")
    assert [row["quantity_left"] for row in scan_json()] == ["38"]


def test_the_api_records_an_entry_and_lists_the_warnings_in_scope(world, entry):
    from rest_framework.test import APIClient

    sell(world, "65")
    scan_json()
    village = APIClient()
    village.force_authenticate(world.users["village"])
    body = {
        "village": "510903101001",
        "household": world.households["zhang"].pk,
        "name": "香肠",
        "category": "meat_egg",
        "unit": "公斤",
        "quantity": "80",
        "available_from": str(TODAY),
        "available_to": str(TODAY + dt.timedelta(days=20)),
        "keeps_days": "40",
    }
    created = village.post("/api/v1/supply/", body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["name"], created.json()["seller"], created.json()["level"]) == (
        "香肠",
        f"农户 {world.households['zhang'].number}",
        "",
    )
    bad = village.post("/api/v1/supply/", {**body, "quantity": "0"}, format="json")
    assert (bad.status_code, bad.json()["message"]) == (400, "输入有误：预计可售数量须大于 0")
    listed = village.get("/api/v1/supply/?level=severe").json()["results"]
    assert [row["id"] for row in listed] == [entry.pk]
    warned = village.get("/api/v1/warnings/").json()["results"]
    assert [(w["supply"], w["level"], w["quantity_left"]) for w in warned] == [(entry.pk, "severe", "35.000")]
    anju = APIClient()
    anju.force_authenticate(world.users["anju"])
    assert anju.get("/api/v1/warnings/").json()["results"] == []
    assert anju.get(f"/api/v1/supply/{entry.pk}/").status_code == 404
    assert SupplyEntry.objects.count() == 2


def test_the_county_reference_price_wins_over_the_citys(world):
    from yigou.market.pricing import ReferencePriceInput, reference_price_add

    far = services.supply_record(
        actor=world.users["village"],
        village=world.region("510903101001"),
        household=world.households["zhang"],
        data=bacon(available_to=TODAY + dt.timedelta(days=40), keeps_days="90"),
    )
    observed = TODAY - dt.timedelta(days=2)
    for actor, region, price in (
        ("city", "510900000000", "45.00"),
        ("chuanshan", "510903000000", "47.00"),
        ("anju", "510904000000", "30.00"),
    ):
        reference_price_add(
            actor=world.users[actor],
            region=world.region(region),
            today=TODAY,
            data=ReferencePriceInput("腊肉", "散装", "公斤", price, observed),
        )
    rows = scan_json()
    assert [(r["supply_id"], r["level"]) for r in rows] == [(far.pk, "watch")]
    assert rows[0]["reason"] == "剩余 100公斤（占预计 100%），市场参考价 47.00 元低于预期价 60.00 元 20%以上"


def test_a_presale_item_with_stock_left_near_closing_is_warned_unless_a_supply_entry_covers_it(world):
    from yigou.market import ordering, presale

    shop = presale.presale_publish(
        actor=world.users["village"],
        village=world.region("510903101001"),
        data=presale.ListInput(
            title="永兴村土鸡蛋预售",
            opens_on=TODAY - dt.timedelta(days=3),
            closes_on=TODAY + dt.timedelta(days=2),
            contact_name="王主任",
            contact_phone="13812345678",
        ),
        items=[
            presale.ItemInput(
                name="土鸡蛋",
                category="meat_egg",
                unit="个",
                unit_price=Decimal("1.50"),
                quantity=Decimal("200"),
                window_start=TODAY,
                window_end=TODAY + dt.timedelta(days=9),
                seller_household=world.households["zhang"],
            )
        ],
    )
    item = shop.items.get()
    ordering.order_place(actor=world.users["unit"], presale_list=shop, lines=[(item.pk, "20")])
    assert scan_json() == [
        {
            "level": "severe",
            "region_code": "510903101001",
            "supply_id": None,
            "product": "土鸡蛋",
            "unit": "个",
            "quantity_left": "180",
            "days_left": 2,
            "reason": f"预售清单“永兴村土鸡蛋预售”（编号 {shop.pk}）品种 {item.pk}："
            "剩余 180个（占预计 90%），距销售期结束或保鲜期满还有 2 天（严重：不超过 3 天且剩余不低于 30%）",
        }
    ]
    assert Warning.objects.get().presale_item == item

    ordering.order_place(actor=world.users["unit"], presale_list=shop, lines=[(item.pk, "130")])
    assert scan_json() == []  # 50 of 200 left (25%)
    assert Warning.objects.get().cleared_on == TODAY

    services.supply_record(
        actor=world.users["village"],
        village=world.region("510903101001"),
        data=bacon(name="土鸡蛋", unit="个", quantity="1000", expected_price="1.50"),
        household=world.households["zhang"],
    )
    rows = scan_json()
    assert [(r["supply_id"] is not None, r["quantity_left"]) for r in rows] == [(True, "850")]


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        (["5.50", "5.51", "6.00", "7.00"], Decimal("5.755")),  # even count: the mean of the two middle prices
        (["5.50", "5.60", "6.00", "7.00"], Decimal("5.80")),
        (["4.00", "9.00", "5.00"], Decimal("5.00")),
    ],
)
def test_the_recent_median_price_is_the_same_on_every_database(world, prices, expected):
    for price in prices:
        sell_at(
            world,
            world.households["zhang"],
            "2",
            price,
            day=dt.date(2018, 5, 10),
            product="土豆",
            unit="公斤",
        )
    found = monitoring._recent_prices([SimpleNamespace(name="土豆")], dt.date(2018, 5, 20))
    assert found == {("土豆", "公斤"): expected}
    assert str(found[("土豆", "公斤")]) == str(expected)


def test_outside_a_transaction_the_sums_run_side_by_side_and_agree(committing_db, world, entry, monkeypatch):
    """The daily scan runs in no transaction of its caller's: on PostgreSQL the sold quantities are then summed
    on a second connection reading the first one's snapshot, and the figures are those of one transaction."""
    from django.db import connection

    from yigou.core import sessions

    seconds = []
    real = sessions._in_snapshot

    def counted(snapshot, call):
        seconds.append(snapshot)
        return real(snapshot, call)

    monkeypatch.setattr(sessions, "_in_snapshot", counted)
    sell(world, "40", days_ago=5)
    sell(world, "25")
    assert [(row["level"], row["quantity_left"]) for row in scan_json("--date", str(TODAY))] == [
        ("severe", "35")
    ]
    assert len(seconds) == (1 if connection.vendor == "postgresql" else 0)
    sell(world, "6")
    assert scan_json("--date", str(TODAY)) == []
    assert Warning.objects.get().cleared_on == TODAY
