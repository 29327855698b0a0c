"""The yearly survey import (入户调查年度导入): a clean file writes exactly its rows as 年度导入 entries; one bad row
writes nothing and the report names each bad cell in Chinese; another county's household is refused like a missing
one; the template downloads with the importer's headers; the upload page checks, then imports."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yigou.core.models import AuditEntry
from yigou.core.tabular import read_table
from yigou.income.importing import import_income
from yigou.income.models import IncomeEntry

pytestmark = pytest.mark.django_db

HEADER = "户编号,年度,收入构成,金额,说明"


@pytest.fixture
def client_for(world):
    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return make


def csv_of(world, *rows: str) -> bytes:
    text = "\n".join([HEADER, *rows])
    for key in ("zhang", "wang", "liu"):
        text = text.replace(key.upper(), world.households[key].number)
    return (text + "\n").encode("utf-8")


def run(world, data: bytes, *, actor: str = "chuanshan", dry_run: bool = False):
    return import_income(actor=world.users[actor], table=read_table(data, "survey.csv"), dry_run=dry_run)


def entries():
    return list(
        IncomeEntry.objects.order_by("id").values_list(
            "household__number", "year", "component", "amount", "source", "note", "recorded_by__username"
        )
    )


def test_a_clean_file_writes_exactly_its_rows(world):
    data = csv_of(
        world,
        "ZHANG,2019,工资性收入,12000.00,在遂宁务工 10 个月",
        "ZHANG,2019,经营性,3500.5,养猪 4 头",
        "ZHANG,2019,生产经营性支出,800,饲料",
        "WANG,2019,转移性,1200.00,",
    )
    report = run(world, data)
    assert report.as_dict() == {
        "total_rows": 4,
        "written": 4,
        "skipped": 0,
        "dry_run": False,
        "ok": True,
        "errors": [],
    }
    zhang, wang = world.households["zhang"].number, world.households["wang"].number
    assert entries() == [
        (zhang, 2019, "wage", Decimal("12000.00"), "import", "在遂宁务工 10 个月", "chuanshan"),
        (zhang, 2019, "business", Decimal("3500.50"), "import", "养猪 4 头", "chuanshan"),
        (zhang, 2019, "cost", Decimal("800.00"), "import", "饲料", "chuanshan"),
        (wang, 2019, "transfer", Decimal("1200.00"), "import", "", "chuanshan"),
    ]
    assert AuditEntry.objects.filter(action="import", note="批量导入入户调查收入 4 条").count() == 1
    assert AuditEntry.objects.filter(action="income.record").count() == 4


def test_a_dry_run_checks_and_writes_nothing(world):
    report = run(world, csv_of(world, "ZHANG,2019,工资性收入,100,"), dry_run=True)
    assert report.ok and report.dry_run and report.written == 0
    assert not IncomeEntry.objects.exists()


def test_one_bad_row_writes_nothing_and_every_bad_cell_is_named(world):
    data = csv_of(
        world,
        "ZHANG,2019,工资性收入,12000.00,",
        "ZHANG,2009,奖金,-5,",
        "5109039999990001,2019,转移性,12.345,",
        ",2019,财产性,abc,",
    )
    report = run(world, data)
    assert not report.ok and report.written == 0
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "年度", f"年度“2009”无效，应为 2014 至 {report_year()} 之间的四位年份"),
        (
            3,
            "收入构成",
            "“奖金”不在可选范围内，可填：工资性收入、经营性收入、财产性收入、转移性收入、生产经营性支出",
        ),
        (3, "金额", "金额须大于 0（更正已登记的金额请用冲正）"),
        (4, "户编号", "户编号 5109039999990001 的农户不存在或不在您的管辖范围内"),
        (4, "金额", "金额最多 2 位小数"),
        (5, "户编号", "不能为空"),
        (5, "金额", "金额“abc”不是数字"),
    ]
    assert not IncomeEntry.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["import", "income.record"]).exists()


def report_year() -> int:
    from yigou.income.checks import last_year

    return last_year()


def test_another_countys_household_is_refused_like_a_missing_one(world):
    report = run(world, csv_of(world, "ZHANG,2019,工资性收入,100,", "LIU,2019,工资性收入,100,"))
    liu = world.households["liu"].number
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "户编号", f"户编号 {liu} 的农户不存在或不在您的管辖范围内")
    ]
    assert not IncomeEntry.objects.exists()


def test_a_missing_header_is_told_in_chinese(world):
    from yigou.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        run(world, "户编号,年度,金额\n1,2019,3\n".encode())
    assert "收入构成" in caught.value.message
    assert not IncomeEntry.objects.exists()


def test_an_auditor_may_not_import(world):
    from yigou.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        run(world, csv_of(world, "ZHANG,2019,工资性收入,100,"), actor="auditor")
    assert not IncomeEntry.objects.exists()


def test_the_template_downloads_with_the_importers_headers(client_for):
    response = client_for("village").get("/io/import/template/income/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["入户调查收入", "填写说明"]
    sheet = book["入户调查收入"]
    assert [c.value for c in sheet[1]] == ["户编号", "年度", "收入构成", "金额", "说明"]
    assert [c.value for c in sheet[2]] == [
        "5109031010010001",
        "2019",
        "工资性收入",
        "12000.00",
        "在遂宁务工 10 个月",
    ]


def test_the_upload_page_checks_then_imports(client_for, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = client_for("village")
    data = csv_of(world, "ZHANG,2019,工资性收入,12000.00,务工")
    checked = client.post(
        "/io/import/", {"kind": "income", "file": SimpleUploadedFile("survey.csv", data, "text/csv")}
    )
    assert checked.status_code == 200 and not IncomeEntry.objects.exists()
    token = client.session["io_import"]["token"]
    done = client.post("/io/import/", {"action": "confirm", "token": token})
    assert done.status_code == 200
    assert entries() == [
        (world.households["zhang"].number, 2019, "wage", Decimal("12000.00"), "import", "务工", "village")
    ]


def test_a_bad_upload_shows_the_chinese_report(client_for, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    data = csv_of(world, "ZHANG,2019,工资性收入,12000.00,", "ZHANG,2019,工资性收入,0,")
    page = client_for("village").post(
        "/io/import/", {"kind": "income", "file": SimpleUploadedFile("survey.csv", data, "text/csv")}
    )
    assert "金额须大于 0（更正已登记的金额请用冲正）" in page.content.decode()
    assert not IncomeEntry.objects.exists()
