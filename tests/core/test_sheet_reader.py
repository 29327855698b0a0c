"""The streaming sheet reader gives every cell the text openpyxl's reading gives, on workbooks of every kind."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
import xlsxwriter
from openpyxl import Workbook

from yigou.core import sheet_reader, tabular


def read_both(data: bytes, handed: bool = False) -> tabular.Table:
    """Both readings agree; unless `handed`, the streaming reader did read the sheet itself."""
    real = sheet_reader.openpyxl_rows
    calls: list[int] = []

    def counted(*args):
        calls.append(1)
        return real(*args)

    sheet_reader.openpyxl_rows = counted
    try:
        fast = tabular.read_table(data, "a.xlsx")
    finally:
        sheet_reader.openpyxl_rows = real
    assert calls == ([1] if handed else [])
    slow = tabular._read_xlsx_openpyxl(data)
    assert (fast.headers, fast.rows) == (slow.headers, slow.rows)
    return fast


def xlsxwriter_book(write) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    write(book, book.add_worksheet("购买记录"))
    book.close()
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    """The same workbook with one part's XML edited, the way other writers (WPS, old Excel, scripts) differ."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                edited = change(content.decode("utf-8")).encode("utf-8")
                assert edited != content, f"the edit of {part} changed nothing"
                content = edited
            target.writestr(item, content)
    return out.getvalue()


def typical(book, sheet) -> None:
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, ["外部编号", "日期", "数量", "单价", "备注", "布尔"])
    sheet.write_string(1, 0, "  A-001 ")
    sheet.write_datetime(1, 1, dt.datetime(2018, 3, 5), date)
    sheet.write_number(1, 2, 30)
    sheet.write_number(1, 3, 1.5)
    sheet.write_rich_string(1, 4, "红", bold, "富士", "苹果")
    sheet.write_boolean(1, 5, True)
    sheet.write_string(2, 0, 'A&B <甲> "乙"')
    sheet.write_datetime(2, 1, dt.datetime(2018, 3, 5, 14, 30), stamp)
    sheet.write_formula(2, 2, "=C2*2", None, 60)
    sheet.write_number(2, 3, 1e-7)
    sheet.write_formula(2, 4, '="合计"', None, "合计")
    sheet.write_number(3, 2, 12345678901234567)  # an ID typed as a number loses its last digits
    sheet.write_string(5, 0, "第6行，第4、5行空")
    sheet.write_string(5, 7, "超出表头的列")


def test_typical_workbook_reads_the_exact_text_openpyxl_gives():
    table = read_both(xlsxwriter_book(typical))
    assert table.headers == ["外部编号", "日期", "数量", "单价", "备注", "布尔", "", ""]
    assert table.rows[0] == ["A-001", "2018-03-05", "30", "1.5", "红富士苹果", "True", "", ""]
    assert table.rows[1] == ['A&B <甲> "乙"', "2018-03-05 14:30:00", "60", "1e-07", "合计", "", "", ""]
    assert table.rows[2][2] == "12345678901234570"  # written with 16 significant digits, as Excel keeps
    assert table.rows[3] == [""] * 8  # spreadsheet row 5, left empty
    assert table.rows[4] == ["第6行，第4、5行空", "", "", "", "", "", "", "超出表头的列"]


def test_openpyxl_written_workbooks_inline_and_shared():
    for write_only in (True, False):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet() if write_only else book.active
        sheet.append(["外部编号", "日期", "数量"])
        sheet.append(["X1", dt.date(2019, 12, 31), 7])
        sheet.append([None, dt.datetime(2019, 1, 2, 3, 4, 5), 0.25])
        buffer = io.BytesIO()
        book.save(buffer)
        table = read_both(buffer.getvalue())
        assert table.rows == [["X1", "2019-12-31", "7"], ["", "2019-01-02 03:04:05", "0.25"]]


@pytest.mark.parametrize(
    ("part", "change", "expected_row"),
    [
        # no dimension: openpyxl sizes each row by its last cell
        ("xl/worksheets/sheet1.xml", lambda x: re.sub(r"<dimension[^>]*/>", "", x), ["A-001", "2018-03-05"]),
        # a dimension smaller than the data: openpyxl stops there, so must this reader
        (
            "xl/worksheets/sheet1.xml",
            lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>', x),
            ["A-001", "2018-03-05"],
        ),
        # cells and rows without references count on from the previous one
        ("xl/worksheets/sheet1.xml", lambda x: re.sub(r' r="[A-Z]+[0-9]+"', "", x), ["A-001", "2018-03-05"]),
        (
            "xl/worksheets/sheet1.xml",
            lambda x: re.sub(r'<row r="[0-9]+"', "<row", x),
            ["A-001", "2018-03-05"],
        ),
        # attributes in another order and quoted with apostrophes
        (
            "xl/worksheets/sheet1.xml",
            lambda x: re.sub(r'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"', r"<c s='\2' r='\1'", x),
            ["A-001", "2018-03-05"],
        ),
        # Windows line ends and character references inside strings, phonetic guides, the _x005F_ escape
        (
            "xl/sharedStrings.xml",
            lambda x: x.replace("A-001", "A&#45;0\r\n01_x005F_x0041_"),
            ["A-0\n01_x0041_", "2018-03-05"],
        ),
        (
            "xl/sharedStrings.xml",
            lambda x: x.replace(
                '<t xml:space="preserve">  A-001 </t>',
                '<t xml:space="preserve">A-001</t><rPh sb="0" eb="1"><t>ア</t></rPh><phoneticPr fontId="1"/>',
            ),
            ["A-001", "2018-03-05"],
        ),
        # the 1904 calendar of old Mac workbooks
        (
            "xl/workbook.xml",
            lambda x: x.replace("<workbookPr", '<workbookPr date1904="1"'),
            ["A-001", "2022-03-06"],
        ),
    ],
)
def test_other_writers_layouts(part, change, expected_row):
    table = read_both(rewrite(xlsxwriter_book(typical), part, change))
    assert table.rows[0][:2] == expected_row


def test_cell_kinds_other_writers_use():
    def cells(x: str) -> str:
        row = (
            '<row r="2"><c r="A2" t="inlineStr"><is><r><t>内联</t></r><r><t>富文本</t></r></is></c>'
            '<c r="B2" t="d"><v>2020-02-29T00:00:00</v></c><c r="C2" t="e"><v>#N/A</v></c>'
            '<c r="D2" t="str"><f>A1</f><v> 公式 </v></c><c r="E2" s=""><v>43000</v></c>'
            '<c r="F2" t="b"><v>0</v></c><c r="G2"/><c r="H2" t="inlineStr"/></row>'
            '<row r="3"><c r="A3" t="inlineStr"/><c r="B3" s="1"><v>2958466</v></c></row>'
        )
        return re.sub(r"(<sheetData>)(<row r=\"1\".*?</row>).*(</sheetData>)", rf"\1\2{row}\3", x)

    data = rewrite(xlsxwriter_book(typical), "xl/worksheets/sheet1.xml", cells)
    data = rewrite(data, "xl/worksheets/sheet1.xml", lambda x: re.sub(r"<dimension[^>]*/>", "", x))
    table = read_both(data)
    assert table.headers == ["外部编号", "日期", "数量", "单价", "备注", "布尔"]
    assert table.rows == [
        ["内联富文本", "2020-02-29", "#N/A", "公式", "43000", "False"],
        ["", "#VALUE!", "", "", "", ""],
    ]


def test_unusual_xml_is_handed_to_openpyxl():
    prefixed = rewrite(
        xlsxwriter_book(typical),
        "xl/worksheets/sheet1.xml",
        lambda x: (
            x.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
            .replace("</worksheet>", "</x:worksheet>")
            .replace("<row", "<x:row")
            .replace("</row>", "</x:row>")
            .replace("<c ", "<x:c ")
            .replace("</c>", "</x:c>")
            .replace("<v>", "<x:v>")
            .replace("</v>", "</x:v>")
            .replace("<sheetData", "<x:sheetData")
            .replace("</sheetData>", "</x:sheetData>")
            .replace("<dimension", "<x:dimension")
            .replace("<sheetViews", "<x:sheetViews")
            .replace("</sheetViews>", "</x:sheetViews>")
            .replace("<sheetView ", "<x:sheetView ")
            .replace("<selection", "<x:selection")
            .replace("<sheetFormatPr", "<x:sheetFormatPr")
            .replace("<pageMargins", "<x:pageMargins")
        ),
    )
    table = read_both(prefixed, handed=True)
    assert table.rows[0][:4] == ["A-001", "2018-03-05", "30", "1.5"]


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese():
    from yigou.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        tabular.read_table(b"PK\x03\x04 not really a zip", "a.xlsx")
    assert refused.value.code == "import_file_unreadable"
    assert "不是有效的 XLSX 文件" in refused.value.message
