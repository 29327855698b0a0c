"""The monitoring pages by role: the public self-declaration (same receipt for a registered and an unknown ID, Chinese
refusals, the rate limit, nothing revealed), declarations handled by staff (masked), a case walked through its
steps on the case page (out-of-order, wrong level, missing consent and the 公示 refused in Chinese, writing
nothing), measures and follow-ups, clearance, the case list's filters and XLSX, the dashboard, a cadre's list, and
another county's 404."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.income.cases_world import consent, identify, open_case
from tests.income.conftest import card_of
from tests.world import person
from yigou.income.cases import case_open
from yigou.income.models import CaseStep, Declaration, FollowUp, Measure, MonitoringCase

pytestmark = pytest.mark.django_db
D = dt.date
ZHANG_ID = person("510903", 1962, 1)
UNKNOWN_ID = person("510903", 1981, 977)
RECEIPT = "申报已收到，村干部将在7个工作日内入户核实。"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def declaration(id_number=ZHANG_ID, **overrides):
    return {
        "name": "李秀英",
        "id_number": id_number,
        "phone": "13800001111",
        "risk_type": "illness",
        "description": "丈夫住院，医疗费用花了三万多元",
        **overrides,
    }


def receipt_text(page: str) -> str:
    """The receipt page without its reference number: what must not differ between a known and an unknown ID."""
    body = page[page.index("<main>") : page.index("</main>")]
    return re.sub(r"SB\d{8}-\d{4}", "SB-N", body)


def test_the_public_form_needs_no_login_and_answers_known_and_unknown_ids_alike(world):
    public = Client()
    assert public.get("/public/monitoring/declare/").status_code == 200
    known = public.post("/public/monitoring/declare/", declaration()).content.decode()
    unknown = public.post("/public/monitoring/declare/", declaration(UNKNOWN_ID)).content.decode()
    assert RECEIPT in known and receipt_text(known) == receipt_text(unknown)
    for page in (known, unknown):
        assert "张德明" not in page and world.households["zhang"].number not in page and "李秀英" not in page
    rows = list(
        Declaration.objects.order_by("id").values_list("household__number", "county_code", "risk_type")
    )
    assert rows == [
        (world.households["zhang"].number, "510903000000", "illness"),
        (None, "510903000000", "illness"),
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "510903196203150011"}, "身份证号"),
        ({"phone": "12345"}, "电话"),
        ({"description": "没钱"}, "请填写困难情况（至少 5 个字）"),
        ({"name": ""}, "请填写申报人姓名"),
        ({"risk_type": "lottery"}, "请选择遇到的困难"),
    ],
)
def test_bad_declarations_are_told_in_chinese_and_store_nothing(world, overrides, message):
    response = Client().post("/public/monitoring/declare/", declaration(**overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_sixth_declaration_from_one_address_is_refused(world):
    public = Client()
    for n in range(5):
        other = person("510903", 1950 + n, 900 + n)
        assert public.post("/public/monitoring/declare/", declaration(other)).status_code == 200
    refused = public.post("/public/monitoring/declare/", declaration(person("510903", 1990, 990)))
    assert refused.status_code == 429 and "申报过于频繁，请稍后再试" in refused.content.decode()
    assert Declaration.objects.count() == 5


def test_staff_see_the_declaration_masked_and_open_its_case(client_for, world, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0))
    Client().post("/public/monitoring/declare/", declaration())
    row = Declaration.objects.get()
    village = client_for("village")
    page = village.get("/monitoring/declarations/").content.decode()
    assert "李**" in page and ZHANG_ID[:6] + "********" + ZHANG_ID[-4:] in page and "138****1111" in page
    assert ZHANG_ID not in page and "13800001111" not in page
    assert row.reference not in client_for("anju").get("/monitoring/declarations/").content.decode()
    assert (
        client_for("anju").post(f"/monitoring/declarations/{row.pk}/case/", {"group": "marginal"}).status_code
        == 404
    )
    response = village.post(f"/monitoring/declarations/{row.pk}/case/", {"group": "unstable"})
    case = MonitoringCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/monitoring/cases/{case.pk}/"
    assert (case.channel, case.group, case.risks, case.discovered_on) == (
        "declaration",
        "unstable",
        ["illness"],
        D(2026, 3, 2),
    )


def test_a_declaration_is_dismissed_only_with_a_reason(client_for, world):
    Client().post("/public/monitoring/declare/", declaration())
    row = Declaration.objects.get()
    village = client_for("village")
    refused = village.post(f"/monitoring/declarations/{row.pk}/dismiss/", {"reason": ""})
    assert refused.status_code == 400 and "请填写不予受理原因" in refused.content.decode()
    village.post(f"/monitoring/declarations/{row.pk}/dismiss/", {"reason": "入户核实，已有稳定务工收入"})
    row.refresh_from_db()
    assert row.status == "dismissed"


def open_wang(world):
    """王建国户 (石佛村) flagged by 船山区's office: village staff of 永兴村 do not see it."""
    return case_open(
        actor=world.users["chuanshan"],
        household=world.households["wang"],
        group="marginal",
        risks=["disaster"],
        channel="visit",
        discovered_on=D(2026, 4, 1),
        note="房屋受损",
    )


def post_step(client, case, step, date, **extra):
    return client.post(
        f"/monitoring/cases/{case.pk}/step/", {"step": step, "date": date, "approved": "1", **extra}
    )


def test_a_case_walks_its_steps_on_the_case_page(client_for, world):
    case = open_case(world, world.households["zhang"], on=D(2026, 3, 2))
    village, yongxing, chuanshan = client_for("village"), client_for("yongxing"), client_for("chuanshan")
    page = village.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'id="next-step">入户核查<' in page and "保存入户核查" in page
    # Without the signed consent, out of order, and by the wrong level: refused in Chinese, nothing written.
    refused = post_step(village, case, "home_check", "2026-03-03")
    assert refused.status_code == 400 and "入户核查须上传农户签字的授权承诺书" in refused.content.decode()
    refused = post_step(village, case, "village_review", "2026-03-03")
    assert refused.status_code == 400 and "下一步应为“入户核查”" in refused.content.decode()
    assert post_step(yongxing, case, "home_check", "2026-03-03", files=consent()).status_code == 403
    assert CaseStep.objects.filter(case=case).count() == 1
    assert post_step(village, case, "home_check", "2026-03-03", files=consent()).status_code == 302
    assert post_step(village, case, "village_review", "2026-03-04").status_code == 302
    refused = post_step(yongxing, case, "township_review", "2026-03-08")
    assert (
        refused.status_code == 400
        and "公示期满前不能办理乡镇审核，最早 2026-03-09" in refused.content.decode()
    )
    assert post_step(yongxing, case, "township_review", "2026-03-09").status_code == 302
    assert post_step(chuanshan, case, "county_approval", "2026-03-10").status_code == 302
    assert post_step(chuanshan, case, "announcement", "2026-03-11").status_code == 302
    case.refresh_from_db()
    assert (case.status, case.started_on) == ("monitored", D(2026, 3, 11))
    page = chuanshan.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert "公示至 2026-03-08" in page and "授权承诺书.pdf" in page
    file_pk = CaseStep.objects.get(case=case, step="home_check").files.get().pk
    assert chuanshan.get(f"/monitoring/files/{file_pk}/").status_code == 200
    assert client_for("anju").get(f"/monitoring/files/{file_pk}/").status_code == 404


def test_a_refusal_needs_a_reason_and_ends_the_identification(client_for, world):
    case = open_case(world, world.households["zhang"], on=D(2026, 3, 2))
    village = client_for("village")
    post_step(village, case, "home_check", "2026-03-03", files=consent())
    refused = post_step(village, case, "village_review", "2026-03-04", approved="0")
    assert refused.status_code == 400 and "不予通过须写明理由" in refused.content.decode()
    post_step(village, case, "village_review", "2026-03-04", approved="0", note="评议认为收入稳定")
    case.refresh_from_db()
    assert (case.status, case.end_reason) == ("rejected", "评议认为收入稳定")


def test_measures_and_follow_ups_on_the_case_page(client_for, world):
    case = identify(world, world.households["zhang"], on=D(2026, 3, 2))
    village = client_for("village")
    sun = world.cadres["sun"]
    form = {
        "kind": "medical",
        "description": "协助办理大病医疗救助",
        "cadre": str(sun.pk),
        "started_on": "2026-03-12",
        "deadline": "2026-04-30",
    }
    refused = village.post(f"/monitoring/cases/{case.pk}/measures/", form | {"deadline": "2026-03-01"})
    assert refused.status_code == 400 and "完成期限须不早于开始日期" in refused.content.decode()
    assert not Measure.objects.exists()
    assert village.post(f"/monitoring/cases/{case.pk}/measures/", form).status_code == 302
    measure = Measure.objects.get()
    bad = village.post(
        f"/monitoring/measures/{measure.pk}/follow-up/",
        {"date": "2026-03-20", "note": "已报销", "next_due": "2026-03-19"},
    )
    assert bad.status_code == 400 and "下次走访日期须晚于本次走访日期" in bad.content.decode()
    village.post(
        f"/monitoring/measures/{measure.pk}/follow-up/",
        {"date": "2026-03-20", "note": "已报销一万二", "next_due": "2026-04-20"},
    )
    assert list(FollowUp.objects.values_list("date", "next_due")) == [(D(2026, 3, 20), D(2026, 4, 20))]
    page = village.get(f"/monitoring/cases/{case.pk}/").content.decode()
    # The deadline has passed (today is after 2026-04-30): the open measure shows overdue.
    assert "已逾期" in page and "已报销一万二" in page
    cadre_page = village.get(f"/monitoring/cadres/{sun.pk}/").content.decode()
    assert "张德明户" in cadre_page and "逾期 1 项" in cadre_page and "2026-04-20" in cadre_page
    village.post(
        f"/monitoring/measures/{measure.pk}/close/",
        {"status": "done", "closed_on": "2026-04-25", "result": "救助到位"},
    )
    measure.refresh_from_db()
    assert (measure.status, measure.closed_on) == ("done", D(2026, 4, 25))
    assert (
        client_for("anju")
        .post(f"/monitoring/measures/{measure.pk}/follow-up/", {"date": "2026-05-01", "note": "看看"})
        .status_code
        == 404
    )


def test_clearance_on_the_case_page(client_for, world):
    hh = world.households["zhang"]
    case = identify(world, hh, on=D(2026, 3, 2))
    village = client_for("village")
    refused = village.post(f"/monitoring/cases/{case.pk}/clearance/", {"date": "2026-06-10"})
    assert refused.status_code == 400 and "2026年无收入台账记录" in refused.content.decode()
    card_of(world, hh, 2026, wage="20000.00")  # 10000 per person, above the 2026 line of 7600
    assert (
        village.post(
            f"/monitoring/cases/{case.pk}/clearance/", {"date": "2026-06-10", "note": "收入稳定"}
        ).status_code
        == 302
    )
    assert post_step(client_for("yongxing"), case, "township_review", "2026-06-15").status_code == 302
    assert post_step(client_for("chuanshan"), case, "county_approval", "2026-06-16").status_code == 302
    assert post_step(client_for("chuanshan"), case, "announcement", "2026-06-17").status_code == 302
    case.refresh_from_db()
    assert (case.status, case.ended_on) == ("cleared", D(2026, 6, 17))
    tab = village.get(f"/households/{hh.pk}/income/?tab=monitoring&year=2026").content.decode()
    assert "边缘易致贫户 · 已消除风险" in tab and "风险消除 · 公告" in tab


def test_opening_a_case_from_a_visit(client_for, world):
    hh = world.households["zhang"]
    village = client_for("village")
    assert village.get(f"/monitoring/cases/new/?household={hh.pk}").status_code == 200
    bad = village.post(
        "/monitoring/cases/new/", {"household": hh.pk, "visited_on": "2026-03-02", "finding": "住院"}
    )
    assert bad.status_code == 400 and "请至少选择一项风险类型" in bad.content.decode()
    assert not MonitoringCase.objects.exists()
    ok = village.post(
        "/monitoring/cases/new/",
        {
            "household": hh.pk,
            "risks": ["illness", "disaster"],
            "visited_on": "2026-03-02",
            "finding": "住院，房屋受损",
        },
    )
    case = MonitoringCase.objects.get()
    assert ok.status_code == 302 and (case.group, case.risks, case.channel) == (
        "unstable",
        ["illness", "disaster"],
        "visit",
    )
    wang = world.households["wang"]
    other = client_for("village").post(
        "/monitoring/cases/new/",
        {"household": wang.pk, "risks": ["illness"], "visited_on": "2026-03-02", "finding": "住院"},
    )
    assert other.status_code == 400 and f"农户（编号 {wang.pk}）不存在或无权访问" in other.content.decode()


def test_the_case_list_filters_searches_and_exports(client_for, world):
    zhang = identify(world, world.households["zhang"], on=D(2026, 3, 2), group="unstable", risks=("illness",))
    open_wang(world)
    chuanshan = client_for("chuanshan")

    def numbers(query: str) -> list[str]:
        page = chuanshan.get(f"/monitoring/cases/?{query}").content.decode()
        return re.findall(r'/monitoring/cases/\d+/">(\d+)<', page)

    zhang_no, wang_no = world.households["zhang"].number, world.households["wang"].number
    assert numbers("") == [wang_no, zhang_no]
    assert numbers("risk=illness") == [zhang_no]
    assert numbers("group=marginal") == [wang_no]
    assert numbers("status=monitored") == [zhang_no]
    assert numbers("q=王建国") == [wang_no]
    assert numbers("region=510903101002") == [wang_no]
    assert numbers("status=cleared") == []
    book = openpyxl.load_workbook(
        io.BytesIO(chuanshan.get("/monitoring/cases/?risk=illness&export=cases").content)
    )
    rows = [[c.value for c in r] for r in book.active.iter_rows()]
    assert rows[1][:4] == ["户编号", "户主", "户主身份证号", "所在村"]
    assert rows[2] == [
        zhang_no,
        "张德明",
        ZHANG_ID[:6] + "********" + ZHANG_ID[-4:],
        "永兴村",
        zhang.get_group_display(),
        "因病",
        "干部排查走访",
        "2026-03-02",
        "监测帮扶中",
        "识别纳入",
        None,
        "2026-03-11",
        None,
        0,
        0,
    ]
    assert client_for("anju").get(f"/monitoring/cases/{zhang.pk}/").status_code == 404
    assert "没有符合条件的监测对象" in client_for("anju").get("/monitoring/cases/").content.decode()


def test_the_dashboard_counts_and_the_roles(client_for, world):
    case = identify(world, world.households["zhang"], on=D(2026, 3, 2), risks=("illness", "disaster"))
    open_wang(world)
    from yigou.income.measures import measure_add

    measure_add(
        actor=world.users["village"],
        case=case,
        kind="medical",
        description="医疗救助",
        cadre=world.cadres["sun"],
        started_on=D(2026, 3, 12),
        deadline=D(2026, 4, 30),
    )
    listed = client_for("chuanshan").get("/monitoring/cases/?overdue=1").content.decode()
    assert re.findall(r'/monitoring/cases/\d+/">(\d+)<', listed) == [world.households["zhang"].number]
    page = client_for("chuanshan").get("/monitoring/").content.decode()
    assert re.search(r'id="open-cases">2<', page) and re.search(r'id="overdue-measures">1<', page)
    assert re.search(r'id="median-days">10<', page)  # discovered 3-02, first measure 3-12
    assert re.search(r'data-code="disaster"><td>因灾</td><td class="num">2<', page)
    assert re.search(r'data-code="510903101000"><td>永兴镇</td><td class="num">2<', page)
    assert "monitoring-chart-data" in page
    assert re.search(r'id="open-cases">0<', client_for("anju").get("/monitoring/").content.decode())
    for user in ("unit", "producer"):
        assert client_for(user).get("/monitoring/").status_code == 403
        assert client_for(user).get("/monitoring/cases/").status_code == 403
    auditor = client_for("auditor").get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert "添加帮扶措施" not in auditor and "保存" not in auditor


def test_measures_export(client_for, world):
    case = identify(world, world.households["zhang"], on=D(2026, 3, 2))
    from yigou.income.measures import follow_up_record, measure_add

    m = measure_add(
        actor=world.users["village"],
        case=case,
        kind="employment",
        description="推荐到园区务工",
        cadre=world.cadres["sun"],
        started_on=D(2026, 3, 12),
        deadline=D(2026, 12, 31),
    )
    follow_up_record(
        actor=world.users["village"], measure=m, date=D(2026, 4, 1), note="已上岗", next_due=D(2026, 5, 1)
    )
    response = client_for("chuanshan").get("/monitoring/cases/?export=measures")
    rows = [
        [c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()
    ]
    assert rows[2] == [
        world.households["zhang"].number,
        "张德明",
        "永兴村",
        case.get_group_display(),
        "就业帮扶",
        "推荐到园区务工",
        "孙红",
        "2026-03-12",
        "2026-12-31",
        "实施中",
        "否",
        1,
        "2026-04-01",
        "2026-05-01",
    ]
    assert len(rows) == 3


def test_the_household_page_offers_a_visit_flag(client_for, world):
    hh = world.households["zhang"]
    page = client_for("village").get(f"/households/{hh.pk}/income/?tab=monitoring&year=2026").content.decode()
    assert "未纳入防止返贫监测" in page and f"/monitoring/cases/new/?household={hh.pk}" in page


def test_the_scans_suggestion_becomes_a_case_from_the_household_tab(client_for, world):
    from yigou.income.services import security_check_record

    hh = world.households["zhang"]
    security_check_record(
        actor=world.users["village"],
        household=hh,
        year=2026,
        item="housing",
        ok=False,
        checked_on=D(2026, 6, 30),
        evidence="C级危房",
    )
    village = client_for("village")
    tab = village.get(f"/households/{hh.pk}/income/?tab=monitoring&year=2026").content.decode()
    assert 'id="flag-from-scan"' in tab
    assert client_for("anju").post(f"/households/{hh.pk}/income/flag/", {"year": "2026"}).status_code == 404
    assert (
        client_for("auditor").post(f"/households/{hh.pk}/income/flag/", {"year": "2026"}).status_code == 403
    )
    response = village.post(f"/households/{hh.pk}/income/flag/", {"year": "2026"})
    case = MonitoringCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/monitoring/cases/{case.pk}/"
    assert (case.channel, case.group) == ("scan", "unstable")
    assert "住房安全有保障（鉴定）未达标（2026-06-30 核查：C级危房）" in case.note
    tab = village.get(f"/households/{hh.pk}/income/?tab=monitoring&year=2026").content.decode()
    assert 'id="flag-from-scan"' not in tab


def test_a_department_screening_list_is_imported_on_the_import_page(client_for, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    chuanshan = client_for("chuanshan")
    template = chuanshan.get("/io/import/template/screening_medical/")
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book.sheetnames[0] == "医保部门筛查名单"
    assert [c.value for c in book.worksheets[0][1]] == [
        "身份证号",
        "姓名",
        "发生日期",
        "风险类型",
        "情况说明",
    ]
    data = f"身份证号,姓名,发生日期,风险类型,情况说明\n{ZHANG_ID},张德明,2026-03-01,,住院自付费用 32000 元\n"
    upload = SimpleUploadedFile("医保.csv", data.encode(), "text/csv")
    checked = chuanshan.post("/io/import/", {"kind": "screening_medical", "file": upload})
    assert checked.status_code == 200 and not MonitoringCase.objects.exists()
    chuanshan.post("/io/import/", {"action": "confirm", "token": chuanshan.session["io_import"]["token"]})
    case = MonitoringCase.objects.get()
    assert (case.household, case.channel, case.risks, case.discovered_on) == (
        world.households["zhang"],
        "screening",
        ["illness"],
        D(2026, 3, 1),
    )
