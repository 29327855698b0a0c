"""The PostgreSQL fast path of the purchase import gives what the Python path gives: rows, rollups, errors."""

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.db import connection, transaction

from tests.ledger.example import _market
from tests.ledger.test_bulk_import import ROWS, counts, csv_bytes, xlsx_bytes
from tests.ledger.test_rebuild import snapshot
from yigou.core.tabular import read_table
from yigou.demo.identity import fake_uscc
from yigou.ledger.bulk import service
from yigou.ledger.models import Beneficiary, Purchase, PurchaseLine
from yigou.ledger.verify import verify
from yigou.regions.models import Region
from yigou.registry.models import CoopMember, Household, Linkage, Producer, StatusEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL import path is PostgreSQL's"
)

HOUSEHOLD_ROWS = [ROWS[0], ROWS[3], ROWS[4], ROWS[5]]  # P1, P3, P4, P5: households selling their own produce
VILLAGES = ["510903101001", "510903101002", "510903102001", "510904101001", "510971001001"]
PURCHASE_FIELDS = (
    "external_id",
    "date",
    "region_id",
    "county_code",
    "buyer_kind",
    "buyer_unit_id",
    "buyer_cadre_id",
    "buyer_name",
    "buyer_key",
    "channel",
    "outlet_id",
    "seller_kind",
    "seller_household_id",
    "seller_producer_id",
    "total",
    "attribution",
    "note",
    "source",
    "recorded_by_id",
    "reverses_id",
)
LINE_FIELDS = (
    "purchase__external_id",
    "purchase_date",
    "product",
    "category",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "reference_price",
    "source",
)
BENEFICIARY_FIELDS = (
    "purchase__external_id",
    "household_id",
    "amount",
    "status",
    "registered",
    "village_id",
    "village_poor",
    "county_code",
)


class Rollback(Exception):
    pass


@pytest.fixture
def market(world):
    return _market(world)


def ledger():
    return (
        sorted(Purchase.objects.values_list(*PURCHASE_FIELDS)),
        sorted(PurchaseLine.objects.values_list(*LINE_FIELDS)),
        sorted(Beneficiary.objects.values_list(*BENEFICIARY_FIELDS)),
    )


def run(world, data, *, python=False, user="admin"):
    if python:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(service, "import_staged", lambda **kwargs: None)
            return service.purchases_import(
                actor=world.users[user], table=read_table(data, "p.csv"), dry_run=False
            )
    return service.purchases_import(actor=world.users[user], table=read_table(data, "p.csv"), dry_run=False)


def outcome_of(world, files, *, python, user="admin"):
    """Import the files in turn and return (reports, ledger, rollups, verify ok, counts), then undo everything."""
    result = {}
    try:
        with transaction.atomic():
            reports = [run(world, data, python=python, user=user) for data in files]
            result["value"] = (
                [(r.ok, r.total_rows, r.purchases, r.written, r.skipped) for r in reports],
                [[(e.row, e.column, e.message) for e in r.errors] for r in reports],
                ledger(),
                snapshot(),
                verify().ok,
                counts(),
            )
            raise Rollback
    except Rollback:
        pass
    return result["value"]


def test_the_household_rows_of_the_worked_example_match_the_python_path(world, market, caplog):
    data = csv_bytes(HOUSEHOLD_ROWS)
    expected = outcome_of(world, [data], python=True)
    with caplog.at_level(logging.INFO, logger="yigou.ledger.bulk.staging"):
        got = outcome_of(world, [data], python=False)
    assert "SQL path" in caplog.text
    assert got == expected
    assert got[0] == [(True, 4, 4, 4, 0)]
    assert got[4] is True


def _households() -> list[Household]:
    Region.objects.filter(code="510903102001").update(
        poor_until=2019
    )  # lifted in 2019: a non-poor village then
    made = []
    for v, code in enumerate(VILLAGES):
        for i in range(4):
            made.append(
                Household.objects.create(
                    number=f"{code}{i + 11:04d}",
                    village_id=code,
                    county_code=code[:6] + "000000",
                    head_name=f"户{v}{i}",
                    head_initials="h",
                )
            )
    for n, household in enumerate(made):
        if n % 3 == 0:
            StatusEvent.objects.create(household=household, kind="identified", date=dt.date(2017, 6, 1))
        if n % 6 == 0:
            StatusEvent.objects.create(household=household, kind="exited", date=dt.date(2018, 7, 1))
            StatusEvent.objects.create(
                household=household, kind="monitor_started", date=dt.date(2018, 9, 1), monitor_type="unstable"
            )
        if n % 3 == 1:
            StatusEvent.objects.create(household=household, kind="identified", date=dt.date(2018, 5, 5))
    return made


BUYERS = [
    ("帮扶单位", "遂宁市财政局"),
    ("帮扶单位", "船山区农商银行"),
    ("机关食堂", "遂宁市财政局"),
    ("帮扶干部", "遂宁市财政局/陈立"),
    ("帮扶干部", "船山区农商银行 / 孙红"),
    ("个人", "李四"),
    ("个人", "王五"),
]


def _date_text(day: dt.date, n: int) -> str:
    return [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日"][
        n % 3
    ]


def generated_rows(households: list[Household], purchases: int) -> list[str]:
    rows = []
    for p in range(purchases):
        household = households[(p * 7) % len(households)]
        day = dt.date(2018, 1, 1) + dt.timedelta(days=(p * 37) % 540)
        kind, buyer = BUYERS[p % len(BUYERS)]
        outlet = household.village_id.startswith("510903") and p % 4 == 0
        channel, outlet_name = ("销售网点", "永兴村超市扶贫专柜") if outlet else ("现场采购", "")
        for line in range(1 + (p % 3 == 0)):
            quantity, price = ("0.125", "1.00") if p % 11 == 0 else (f"{p % 9 + 1}", f"{p % 13 + 2}.50")
            amount = f"{(p % 9 + 1) * (p % 13 + 2.5):.2f}" if p % 5 == 0 and p % 11 else ""
            date = _date_text(day, p) if line == 0 or p % 2 else ""
            rows.append(
                f"G{p:05d},{date},{kind},{buyer},{channel},{outlet_name},{household.number},"
                f"产品{line},粮油,{quantity},公斤,{price},{amount},{'农户自产' if p % 4 == 1 else ''},,"
            )
    return rows


def test_a_generated_file_in_two_halves_gives_the_python_paths_rollups(world, market):
    rows = generated_rows(_households(), 1500)
    half = len(rows) // 2
    while rows[half].split(",")[0] == rows[half - 1].split(",")[0]:
        half += 1
    files = [csv_bytes(rows[:half]), csv_bytes(rows[half:])]
    expected = outcome_of(world, files, python=True)
    got = outcome_of(world, files, python=False)
    assert got[0] == expected[0]
    assert got[2] == expected[2]  # ledger rows
    assert got[3] == expected[3]  # month and day rollups, presence
    assert got == expected
    assert got[0][0][0] and got[0][1][0] and got[4] is True


def test_bad_rows_give_the_python_paths_report_and_write_nothing(world, market):
    bad = list(HOUSEHOLD_ROWS)
    bad[0] = bad[0].replace("2018-01-10", "2018-13-10")
    bad[1] = bad[1].replace(",4,,,,", ",4,201,,,")
    bad[2] = bad[2].replace("5109041010010001", "5109041010019999")
    bad += [
        "B1,2018-02-05,机关食堂,船山区农商银行,食堂采购,,5109031010020001,大米,粮油,50,公斤,4,,,,",
        "B2,2018-02-06,帮扶干部,遂宁市财政局/无此人,现场采购,,5109031010020001,大米,粮油,50,公斤,4,,,,",
        "B3,2018-03-20,个人,李四,销售网点,永兴镇临时小集市,5109031010010001,蜂蜜,,5,斤,50,,,,",
        "B4,2018-04-01,个人,李四,现场采购,,5109031010010001,蜂蜜,,5,斤,50,,,,",
        "B4,,个人,李四,现场采购,,5109031010010001,蜂蜜,,5,斤,50,249,,,",
        "B5,2018-04-02,帮扶单位,无此单位,现场采购,,5109031010010001,蜂蜜,,5,斤,50,,,,",
        "B6,2018-04-03,帮扶单位,遂宁市财政局,现场采购,,5109031010010001,蜂蜜,,0,斤,50.005,,合作社产品,,",
        "B7,2018-04-04,社会组织,遂宁市财政局,现场采购,,5109031010010001,蜂蜜,,1,斤,5,,合作社产品,,",
        "B8,2018-04-05,帮扶单位,遂宁市财政局,现场采购,,5109031010010001,蜂蜜,,1,斤,5,,合作社产品,,",
        "B8,2018-04-06,帮扶单位,遂宁市财政局,现场采购,,5109031010010001,蜂蜜,,1,斤,5,,,,",
        ",2018-04-05,帮扶单位,遂宁市财政局,现场采购,,5109031010010001,蜂蜜,,1,斤,5,,,,",
    ]
    before = counts()
    expected = outcome_of(world, [csv_bytes(bad)], python=True)
    got = outcome_of(world, [csv_bytes(bad)], python=False)
    assert got[1] == expected[1]
    assert len(got[1][0]) == 13
    assert got == expected
    assert counts() == before


def test_out_of_scope_households_are_reported_like_the_python_path(world, market):
    data = csv_bytes(HOUSEHOLD_ROWS)
    assert outcome_of(world, [data], python=False, user="anju") == outcome_of(
        world, [data], python=True, user="anju"
    )


def test_importing_twice_skips_everything_the_second_time(world, market):
    data = csv_bytes(HOUSEHOLD_ROWS, "utf-8-sig")
    first = run(world, data)
    assert (first.ok, first.written) == (True, 4)
    before, rollups = counts(), snapshot()
    again = run(world, data)
    assert (again.ok, again.written, again.skipped, again.purchases) == (True, 0, 4, 0)
    assert counts() == before
    assert snapshot() == rollups
    assert verify().ok


def _sql_path_taken(world, data, caplog, *, user="admin"):
    """The outcome through the SQL path (asserting it was taken) and the Python path's, for comparison."""
    expected = outcome_of(world, [data], python=True, user=user)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="yigou.ledger.bulk.staging"):
        got = outcome_of(world, [data], python=False, user=user)
    return got, expected, "purchase import: SQL path" in caplog.text


def test_the_whole_worked_example_with_its_cooperative_takes_the_sql_path(world, market, caplog):
    got, expected, sql_path = _sql_path_taken(world, csv_bytes(ROWS), caplog)
    assert sql_path
    assert got == expected
    assert got[0] == [(True, 6, 5, 5, 0)]
    assert got[4] is True


def test_the_producers_own_user_imports_like_the_python_path(world, market, caplog):
    got, expected, sql_path = _sql_path_taken(world, csv_bytes(ROWS), caplog, user="producer")
    assert sql_path and got == expected
    assert [e[0] for e in got[1][0]] == [2, 5, 6, 7]  # only the cooperative's own sale (rows 3–4) passes


def _producers(households: list[Household], world) -> list[Producer]:
    """A cooperative, an enterprise, a family farm and a household registered as producer, each linked."""
    made = []
    for n, (kind, region) in enumerate(
        [
            ("cooperative", "510903101000"),
            ("enterprise", "510903000000"),
            ("family_farm", "510903102001"),
            ("household", "510904101001"),
        ]
    ):
        producer = Producer.objects.create(
            kind=kind,
            name=f"主体{n}",
            uscc=fake_uscc(region[:6], 50 + n),
            region_id=region,
            county_code=region[:6] + "000000",
            household=households[3] if kind == "household" else None,
        )
        made.append(producer)
        for i, household in enumerate(households[n * 3 : n * 3 + 3]):
            Linkage.objects.create(
                producer=producer,
                household=household,
                mechanism="order",
                start=dt.date(2017, 1, 1),
                end=dt.date(2018, 6, 30) if i == 2 else None,
            )
            CoopMember.objects.create(
                producer=producer,
                household=household,
                name=f"社员{i}",
                shares=Decimal(i + 1) + Decimal("0.5"),
                joined_on=dt.date(2017, 1, 1),
                left_on=dt.date(2018, 9, 1) if i == 0 else None,
            )
    return made


PRODUCER_RULES = ["按带贫联结户平均分配", "按合作社社员股份分配", "逐户录入", "", "coop_shares"]
SOURCES = ["", "合作社产品", "企业产品", "农户自产"]


def producer_rows(households: list[Household], producers: list[Producer], purchases: int) -> list[str]:
    rows = []
    for p in range(purchases):
        n = p % len(producers)
        producer = producers[n]
        day = dt.date(2018, 1, 1) + dt.timedelta(days=(p * 37) % 540)
        kind, buyer = BUYERS[p % len(BUYERS)]
        rule = PRODUCER_RULES[p % len(PRODUCER_RULES)] if producer.kind != "household" else ""
        linked = households[n * 3 : n * 3 + 2]  # linked throughout
        for line in range(1 + (p % 3 == 0)):
            quantity, price = (f"{p % 7 + 1}", f"{p % 13 + 1}.33")
            total = Decimal(quantity) * Decimal(price) * (2 if p % 3 == 0 else 1)
            entered = ""
            if line == 0 and rule in ("逐户录入", ""):
                entered = (
                    f"{linked[0].number}：{(total / 3).quantize(Decimal('0.01'))}；{linked[1].number}:0.01"
                )
            source = SOURCES[p % 4] if producer.kind != "household" else ""
            rows.append(
                f"Q{p:05d},{day.isoformat() if line == 0 else ''},{kind},{buyer},现场采购,,{producer.uscc},"
                f"产品{line},粮油,{quantity},公斤,{price},,{source},{rule},{entered}"
            )
    return rows


def test_a_generated_file_of_producer_sellers_gives_the_python_paths_rows_and_rollups(world, market, caplog):
    households = _households()
    rows = producer_rows(households, _producers(households, world), 400)
    rows += generated_rows(households, 60)  # and households selling their own produce
    got, expected, sql_path = _sql_path_taken(world, csv_bytes(rows), caplog)
    assert sql_path
    assert got[0] == expected[0]
    assert got[2] == expected[2]  # ledger rows
    assert got[3] == expected[3]  # month and day rollups, presence
    assert got == expected
    assert got[0][0][0] and got[4] is True
    rules = {p[PURCHASE_FIELDS.index("attribution")] for p in got[2][0] if p[0].startswith("Q")}
    assert rules == {"self", "entered", "equal_linked", "coop_shares"}
    shares = [b[0] for b in got[2][2] if b[0].startswith("Q")]
    assert len(shares) > len(set(shares))  # purchases split between several households


def test_bad_producer_rows_give_the_python_paths_report_and_write_nothing(world, market, caplog):
    coop = fake_uscc("510903", 1)
    base = f"R1,2018-02-01,帮扶单位,遂宁市财政局,现场采购,,{coop},蔬菜,蔬菜,10,公斤,5,,"
    row_errors = [
        base + ",随便分,",
        base.replace("R1", "R2") + "自家产品,按带贫联结户平均分配,",
        base.replace("R1", "R3") + "农户自产,按带贫联结户平均分配,",
    ]
    before = counts()
    got, expected, sql_path = _sql_path_taken(world, csv_bytes(row_errors), caplog)
    assert sql_path and got == expected
    assert [(e[0], e[1]) for e in got[1][0]] == [(2, "分配方式"), (3, "产品来源")]
    attribution_errors = [
        base.replace("R1", "A1") + ",逐户录入,5109031010020001:30",  # not linked
        base.replace("R1", "A2") + ",逐户录入,5109031010010001:80",  # more than the purchase
        base.replace("R1", "A3") + ",逐户录入,5109031010019999:10",  # not registered
        base.replace("R1", "A4") + ",逐户录入,5109031010010001:abc",
        base.replace("R1", "A5") + ",逐户录入,",
        base.replace("R1", "A6").replace("2018-02-01", "2016-02-01")
        + ",按带贫联结户平均分配,",  # none linked yet
    ]
    for row in attribution_errors:
        got, expected, sql_path = _sql_path_taken(world, csv_bytes([row, *row_errors[2:]]), caplog)
        assert not sql_path and got == expected
        assert got[1][0][-1][1] == "受益农户"
    assert counts() == before


def test_an_xlsx_file_takes_the_sql_path_and_gives_what_the_csv_gives(world, market, caplog):
    households = _households()
    rows = producer_rows(households, _producers(households, world), 60) + generated_rows(households, 60)
    got, expected, sql_path = _sql_path_taken(world, xlsx_bytes(rows), caplog)
    assert sql_path and got == expected
    assert got[0][0][0] and got[4] is True
    as_csv = outcome_of(world, [csv_bytes(rows)], python=False)
    assert got[0] == as_csv[0] and got[3] == as_csv[3]
