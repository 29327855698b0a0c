"""The benefit imports are all-or-nothing with a Chinese report: the members' book, a station's grid settlement (a
month already recorded with the same figures is skipped, different figures refused) and an enterprise's piece work."""

from __future__ import annotations

from decimal import Decimal

from yigou.benefits import importing, piecework
from yigou.benefits.models import BookEntry, PieceWork, PvMonth
from yigou.core.tabular import read_table

from .test_pv_assets_piecework import enterprise, station  # noqa: F401  (the enterprise fixture)


def table(text: str):
    return read_table(text.encode("utf-8"), "file.csv")


def messages(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


def test_a_book_with_one_bad_row_writes_nothing(world, coop):
    before = BookEntry.objects.count()
    report = importing.import_book(
        actor=world.users["producer"],
        producer=coop.producer,
        table=table(
            "社员姓名,交易日期,产品,交易额（元）\n王建国,2018-07-01,蔬菜,100.00\n王建国,2016-01-01,蔬菜,-5\n"
        ),
        dry_run=False,
    )
    assert messages(report) == [
        (3, "交易日期", "2016-01-01 时王建国不在社"),
    ]
    assert report.written == 0 and BookEntry.objects.count() == before


def test_the_grid_settlement_skips_months_already_recorded_and_refuses_changed_ones(world):
    row = station(world)
    office = world.users["yongxing"]
    text = "年度,月份,发电量（千瓦时）,结算金额（元）\n2018,1,10000,3333.33\n2018,2,9000,3000.00\n"
    assert (
        importing.import_pv_months(actor=office, station=row, table=table(text), dry_run=False).written == 2
    )
    again = importing.import_pv_months(actor=office, station=row, table=table(text), dry_run=False)
    assert (again.written, again.skipped, again.errors) == (0, 2, [])
    changed = (
        "年度,月份,发电量（千瓦时）,结算金额（元）\n2018,3,100,30.00\n2018,2,9500,3100.00\n2018,3,100,30.00\n"
    )
    report = importing.import_pv_months(actor=office, station=row, table=table(changed), dry_run=False)
    assert messages(report) == [
        (3, "月份", "2018年2月已登记（9000.00 千瓦时，3000.00 元）"),
        (4, "月份", "与第 2 行重复"),
    ]
    assert PvMonth.objects.count() == 2


def test_piece_work_imports_into_its_batch_or_not_at_all(world, enterprise):  # noqa: F811
    producer, user = enterprise
    batch = piecework.batch_create(actor=user, producer=producer, year=2018)
    number = world.households["zhang"].number
    bad = f"户编号,姓名,月份,工种/产品,计件数量,计件工资（元）\n{number},李秀英,1,柳编,300,450.00\n{number},无此人,2,柳编,1,1\n"
    report = importing.import_piecework(actor=user, distribution=batch, table=table(bad), dry_run=False)
    assert messages(report) == [(3, "姓名", f"户编号 {number} 中没有名为“无此人”的成员，或不在您的范围内")]
    assert not PieceWork.objects.exists()
    good = f"户编号,姓名,月份,工种/产品,计件数量,计件工资（元）\n{number},李秀英,1,柳编,300,450.00\n"
    assert (
        importing.import_piecework(actor=user, distribution=batch, table=table(good), dry_run=False).written
        == 1
    )
    assert PieceWork.objects.get().amount == Decimal("450.00")
    other = world.households["wang"].number  # not linked to the enterprise: out of its scope
    report = importing.import_piecework(
        actor=user,
        distribution=batch,
        table=table(f"户编号,姓名,月份,工种/产品,计件数量,计件工资（元）\n{other},王建国,1,柳编,1,1.00\n"),
        dry_run=False,
    )
    assert not report.ok and PieceWork.objects.count() == 1
