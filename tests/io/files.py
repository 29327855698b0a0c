"""Spreadsheets for the import tests, built in memory: CSV in GBK / UTF-8 with BOM, and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

from yigou.core.xlsx import Sheet, write_workbook
from yigou.demo.identity import fake_id_number

HOUSEHOLD_HEADERS = [
    "户编号",
    "村代码",
    "姓名",
    "身份证号",
    "与户主关系",
    "劳动能力",
    "健康状况",
    "联系电话",
    "住址",
    "户类型",
    "识别日期",
]
VILLAGES = ["510903101001", "510903101002", "510903102001"]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = ["德明", "秀英", "建国", "永福", "桂兰", "志强", "玉珍", "国华"]
DATE_STYLES = ["2014-10-01", "2014/10/1", "2014年10月1日", "20141001"]

BAD_ID_INDEX, BAD_VILLAGE_INDEX, BAD_DATE_INDEX = 10, 20, 30  # households with one broken cell each
MULTI_MEMBER_EVERY = 100  # households 0, 100, 200 … have a spouse and a child as well


def person_id(index: int, role: int, *, male: bool = True) -> str:
    """Unique per (household index, role): a birth date per household, the role as the sequence."""
    born = dt.date(1940, 1, 1) + dt.timedelta(days=index * 9 + role * 3)
    return fake_id_number("510903", born, 100 + role, male=male)


def broken_checksum(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def household_rows(count: int = 1000, *, broken: bool = True, prefix: str = "T") -> list[list[str]]:
    rows: list[list[str]] = []
    for i in range(count):
        number = f"{prefix}{i:05d}"
        village = VILLAGES[i % len(VILLAGES)]
        poor = i % 2 == 0
        head_id = person_id(i, 0)
        date = DATE_STYLES[i % len(DATE_STYLES)] if poor else ""
        if broken and i == BAD_ID_INDEX:
            head_id = broken_checksum(head_id)
        if broken and i == BAD_VILLAGE_INDEX:
            village = "510903101099"
        if broken and i == BAD_DATE_INDEX:
            date = "2014-13-01"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        rows.append(
            [
                number,
                village,
                name,
                head_id,
                "户主",
                "普通劳动力",
                "健康",
                f"138{i:08d}",
                f"{i % 9 + 1}组",
                "贫困户" if poor else "一般农户",
                date,
            ]
        )
        if i % MULTI_MEMBER_EVERY == 0:
            rows.append(
                [
                    number,
                    "",
                    name[0] + "秀兰",
                    person_id(i, 1, male=False),
                    "配偶",
                    "弱劳动力",
                    "长期慢性病",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            rows.append([number, "", name[0] + "小明", person_id(i, 2), "之子", "", "", "", "", "", ""])
    return rows


def line_of_household(rows: list[list[str]], number: str) -> int:
    """Spreadsheet row of the household's first row (the header is row 1)."""
    return next(i for i, r in enumerate(rows) if r[0] == number) + 2


def csv_bytes(headers: list[str], rows: list[list[str]], encoding: str = "gbk") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    return write_workbook([Sheet(name="农户", headers=headers, rows=rows)])
