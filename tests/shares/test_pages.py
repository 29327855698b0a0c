"""Reserved-share pages: the dashboard and its export, the unit's own page and form, review, floors, scope."""

import io
from decimal import Decimal

import openpyxl

from yigou.core.models import AuditEntry
from yigou.shares.enums import FilingStatus
from yigou.shares.models import ShareFiling, ShareFloor


def text(response):
    return response.content.decode()


def test_dashboard_shows_the_worked_example_totals(ex, page_as):
    r = page_as(ex.world.users["chuanshan"]).get(f"/shares/?year={ex.year}")
    assert r.status_code == 200
    html = text(r)
    for fragment in (
        'id="n-registered">7<',
        'id="n-filed">5<',
        'id="n-not-filed">2<',
        'id="reserved-total">219000.00<',
        'id="completed-total">89000.00<',
        'id="completion-rate">40.64%<',
    ):
        assert fragment in html
    assert "船山区统计局" in html.split('id="never-bought"')[1].split("</ul>")[0]


def test_dashboard_search_and_sort(ex, page_as):
    client = page_as(ex.world.users["chuanshan"])
    html = text(client.get(f"/shares/?year={ex.year}&q=档案"))
    assert '<strong class="total">1</strong>' in html
    html = text(client.get(f"/shares/?year={ex.year}&sort=-rate"))
    table = html.split('id="units"')[1]
    assert table.index("船山区人民政府办公室") < table.index("船山区档案馆")


def test_export_is_an_xlsx_of_the_dashboard(ex, page_as):
    r = page_as(ex.world.users["chuanshan"]).get(f"/shares/export/?year={ex.year}&region=510903000000")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=3, values_only=True)}
    assert (
        summary["预留总额（元）"] == 219000
        and summary["已完成（元）"] == 89000
        and summary["完成率（%）"] == 40.64
    )
    rows = {row[0]: row for row in book["单位明细"].iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 7
    assert rows["船山区人民政府办公室"][6:11] == (100000, 30000, 130000, 35000, 26.92)
    assert rows["船山区发展和改革局"][3] == "共用食堂（由其他单位合并填报）"


def test_unit_staff_see_their_own_completion_and_cannot_change_an_approved_filing(ex, page_as):
    client = page_as(ex.users["a_staff"])
    assert client.get("/shares/")["Location"] == "/shares/mine/"
    html = text(client.get(f"/shares/mine/?year={ex.year}"))
    assert 'id="done">35000.00<' in html and 'id="rate">26.92%<' in html and 'id="target">130000.00<' in html
    before = (
        AuditEntry.objects.count(),
        list(ShareFiling.objects.values_list("pk", "status", "canteen_total")),
    )
    r = client.post(f"/shares/file/?year={ex.year}", {"mode": "own", "canteen_total": "1", "ratio": "20"})
    assert r.status_code == 400 and "该填报当前状态为“审核通过”，不能修改。" in text(r)
    assert before == (
        AuditEntry.objects.count(),
        list(ShareFiling.objects.values_list("pk", "status", "canteen_total")),
    )


def test_unit_staff_file_and_submit_through_the_pages(ex, page_as):
    client, year = page_as(ex.users["a_staff"]), ex.year + 1
    r = client.post(
        f"/shares/file/?year={year}",
        {
            "mode": "own",
            "canteen_total": "400000",
            "ratio": "20",
            "union_per_head": "100",
            "union_staff": "80",
        },
    )
    filing = ShareFiling.objects.get(unit=ex.units["A"], year=year)
    assert r.status_code == 302 and r["Location"] == f"/shares/filings/{filing.pk}/"
    assert (filing.reserved_amount, filing.union_amount) == (Decimal("80000.00"), Decimal("8000.00"))
    r = client.post(f"/shares/filings/{filing.pk}/submit/")
    filing.refresh_from_db()
    assert r.status_code == 302 and filing.status == FilingStatus.SUBMITTED
    # This year A reserved 100,000.00 (approved), so next year's 80,000.00 is flagged for the reviewer.
    assert (filing.below_last_year, filing.last_year_amount) == (True, Decimal("100000.00"))
    r = client.post(f"/shares/file/?year={year + 1}", {"mode": "none", "canteen_total": "5"})
    assert r.status_code == 400 and "无食堂单位不设食堂份额" in text(r)
    r = client.post(
        f"/shares/file/?year={year + 1}",
        {"mode": "outsourced", "canteen_total": "5", "ratio": "20", "contractor_username": "nobody"},
    )
    assert r.status_code == 400 and "账号“nobody”不存在" in text(r)


def test_office_returns_and_approves_on_the_review_pages(ex, page_as):
    client, d = page_as(ex.world.users["chuanshan"]), ex.filings["D"]
    html = text(client.get(f"/shares/filings/?year={ex.year}&status=submitted"))
    assert "船山区教育局" in html and "船山区档案馆" not in html
    r = client.post(f"/shares/filings/{d.pk}/return/", {"reason": ""})
    assert r.status_code == 400
    d.refresh_from_db()
    assert d.status == FilingStatus.SUBMITTED
    r = client.post(f"/shares/filings/{d.pk}/approve/", {"note": "同意"})
    d.refresh_from_db()
    assert r.status_code == 302 and (d.status, d.review_note) == (FilingStatus.APPROVED, "同意")
    table = text(client.get(f"/shares/filings/?year={ex.year}&flagged=1")).split('id="filings"')[1]
    assert "船山区农业农村局" in table and "船山区教育局" not in table


def test_floors_page_lists_and_sets_floors(ex, page_as):
    client = page_as(ex.world.users["chuanshan"])
    html = text(client.get("/shares/floors/"))
    assert "船山区" in html and "20.00%" in html and "遂宁市" not in html.split('id="floors"')[1]
    r = client.post(
        "/shares/floors/", {"region": "510903000000", "year": ex.year + 1, "ratio": "22.5", "note": ""}
    )
    assert r.status_code == 302
    assert ShareFloor.objects.get(region_id="510903000000", year=ex.year + 1).ratio == Decimal("22.50")
    r = page_as(ex.world.users["auditor"]).post(
        "/shares/floors/", {"region": "510900000000", "year": 2030, "ratio": "5"}
    )
    assert r.status_code == 403


def test_another_county_cannot_see_the_filings(ex, page_as):
    anju = page_as(ex.world.users["anju"])
    assert anju.get(f"/shares/filings/{ex.filings['A'].pk}/").status_code == 404
    assert anju.post(f"/shares/filings/{ex.filings['D'].pk}/approve/", {"note": "x"}).status_code == 404
    html = text(anju.get(f"/shares/filings/?year={ex.year}"))
    assert "船山区" not in html.split('id="filings"')[1]
    html = text(anju.get(f"/shares/?year={ex.year}&region=510903000000"))
    assert "安居区" in html and 'id="n-registered">0<' in html and "船山区教育局" not in html
    r = anju.get(f"/shares/export/?year={ex.year}&region=510903000000")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book["汇总"]["B3"].value == 0


def test_roles_without_a_region_or_unit_are_refused(ex, page_as):
    assert page_as(ex.world.users["producer"]).get("/shares/").status_code == 403
    assert page_as(ex.users["chef"]).get("/shares/").status_code == 403
    assert page_as(ex.users["a_staff"]).get("/shares/filings/").status_code == 403
    # a merged unit's staff see the host's filing, another unit's staff do not
    assert page_as(ex.world.users["unit"]).get(f"/shares/filings/{ex.filings['A'].pk}/").status_code == 404


def test_dashboard_page_reads_the_ledger_with_one_aggregate_query(ex, page_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = page_as(ex.world.users["chuanshan"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/shares/?year={ex.year}").status_code == 200
    ledger = [q["sql"] for q in queries.captured_queries if "ledger_purchase" in q["sql"]]
    assert len(ledger) == 1 and "SUM" in ledger[0].upper() and "GROUP BY" in ledger[0].upper()
    # session, user, organisation, home region, units, filings, the sum, three for the region picker, the unread
    # notices badge
    assert len(queries.captured_queries) == 11


def test_administrator_files_on_a_units_behalf(ex, page_as):
    admin, g = page_as(ex.admin), ex.units["G"]
    assert admin.get("/shares/mine/").status_code == 403
    html = text(admin.get(f"/shares/mine/?unit={g.pk}&year={ex.year}"))
    assert 'id="filing-status">未填报<' in html and 'id="done">0.00<' in html
    r = admin.post(
        f"/shares/file/?unit={g.pk}&year={ex.year}",
        {"mode": "none", "union_per_head": "50", "union_staff": "10"},
    )
    filing = ShareFiling.objects.get(unit=g, year=ex.year)
    assert r.status_code == 302 and (filing.mode, filing.union_amount) == ("none", Decimal("500.00"))
