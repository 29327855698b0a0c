"""Contract, pre-order and buy-back pages: figures shown, region scope, export, forms refusing in Chinese."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from yigou.contracts.draws import contract_draw_order
from yigou.contracts.models import Contract, ContractDraw
from yigou.core.models import AuditEntry
from yigou.demo.identity import fake_uscc
from yigou.registry.services import producer_register

from .example import record_direct, sign_contract
from .test_buyback import deliver, set_up
from .test_preorders import sign

D = dt.date


def client(world, username: str) -> Client:
    c = Client()
    c.force_login(world.users[username])
    return c


@pytest.fixture
def signed(world, market):
    contract = sign_contract(world)
    order = market.place(D(2018, 4, 10), 腊肉="30", 蔬菜="300")
    contract_draw_order(actor=world.users["unit"], order=order, contract=contract)
    market.receive(order, D(2018, 5, 15))
    market.pay(order, D(2018, 5, 20))
    return contract


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("admin", True),
        ("city", True),
        ("chuanshan", True),
        ("yongxing", True),
        ("village", True),
        ("auditor", True),
        ("unit", True),
        ("producer", True),
        ("anju", False),
        ("zone", False),
    ],
)
def test_a_contract_is_seen_by_its_parties_regions_and_no_other_county(world, signed, username, sees):
    c = client(world, username)

    listed = c.get("/contracts/").content.decode()
    detail = c.get(f"/contracts/{signed.pk}/")

    assert ("HT-2018-001" in listed) is sees
    assert detail.status_code == (200 if sees else 404)


def test_the_contract_page_shows_agreed_delivered_outstanding_and_late(world, signed):
    page = client(world, "chuanshan").get(f"/contracts/{signed.pk}/?as_of=2018-07-08").content.decode()

    items = page[page.index('id="items"') : page.index('id="schedule"')]
    # Only O1 is in: 腊肉 30 of 100 (1,800.00 delivered, 4,200.00 outstanding, 10 late = 600.00);
    # 蔬菜 300 of 1,000 (1,320.00; 3,080.00; 200 late = 880.00).
    assert '<td data-label="已交付金额" class="num">1800.00</td>' in items
    assert '<td data-label="未交付金额" class="num">4200.00</td>' in items
    assert '<td data-label="逾期未交金额" class="num">880.00</td>' in items
    assert '<td data-label="未交付金额" class="num">7280.00</td>' in items  # the total row
    assert '<td data-label="逾期未交金额" class="num">1480.00</td>' in items
    schedule = page[page.index('id="schedule"') : page.index('id="draws"')]
    assert schedule.count("<strong>逾期</strong>") == 2  # 腊肉 30 < 40 by 05-31; 蔬菜 300 < 500 by 06-30


def test_the_export_lists_the_contracts_with_their_figures(world, signed):
    response = client(world, "city").get("/contracts/export/?as_of=2018-07-08")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [
        (
            "HT-2018-001",
            "遂宁市财政局认购永兴村农产品合同",
            "履行中",
            "2018-03-01",
            "2018-03-01",
            "2018-12-31",
            "遂宁市财政局",
            "永兴村、船山区永兴蔬菜专业合作社",
            10400,
            3120,
            7280,
            1480,
            "是",
        )
    ]


def test_another_county_gets_an_empty_export(world, signed):
    response = client(world, "anju").get("/contracts/export/")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(min_row=3, values_only=True)) == []


def test_drawing_a_purchase_from_the_page_and_a_refusal_in_chinese(world, signed):
    good = record_direct(world, D(2018, 8, 25), "腊肉", "10", "公斤", "60")
    bad = record_direct(world, D(2018, 8, 26), "腊肉", "10", "公斤", "70")
    c = client(world, "city")

    ok = c.post(f"/contracts/{signed.pk}/draw/", {"kind": "purchase", "number": good.pk})
    before = (ContractDraw.objects.count(), AuditEntry.objects.count())
    refused = c.post(f"/contracts/{signed.pk}/draw/", {"kind": "purchase", "number": bad.pk})

    assert ok.status_code == 302
    assert refused.status_code == 400
    assert "“腊肉”单价 70.00 元偏离约定价 60.00 元超过 5%，不能计入。" in refused.content.decode()
    assert (ContractDraw.objects.count(), AuditEntry.objects.count()) == before


def test_another_county_cannot_draw_on_the_contract(world, signed):
    purchase = record_direct(world, D(2018, 8, 25), "腊肉", "10", "公斤", "60")
    before = ContractDraw.objects.count()

    response = client(world, "anju").post(
        f"/contracts/{signed.pk}/draw/", {"kind": "purchase", "number": purchase.pk}
    )

    assert response.status_code == 404
    assert ContractDraw.objects.count() == before


def test_an_office_signs_a_contract_through_the_form_and_activates_it(world):
    c = client(world, "chuanshan")
    form = {
        "number": "HT-2018-009",
        "title": "船山区农商银行认购石佛村大米",
        "signed_on": "2018-03-01",
        "period_start": "2018-03-01",
        "period_end": "2018-12-31",
        "price_tolerance": "5",
        "buyer_units": [str(world.units["chuanshan_bank"].pk)],
        "seller_villages": ["510903101002"],
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
        "form-0-name": "大米",
        "form-0-category": "grain_oil",
        "form-0-unit": "公斤",
        "form-0-quantity": "500",
        "form-0-price_rule": "fixed",
        "form-0-price": "4.00",
        "form-0-schedule": "2018-10-31:300，2018-12-31:200",
        # Untouched rows post their selects' initial values, as a browser does; they are left out.
        "form-1-category": "grain_oil",
        "form-1-price_rule": "fixed",
        "form-2-category": "grain_oil",
        "form-2-price_rule": "fixed",
    }

    created = c.post("/contracts/new/", form)
    contract = Contract.objects.get(number="HT-2018-009")
    activated = c.post(f"/contracts/{contract.pk}/action/", {"action": "activate"})

    assert (created.status_code, activated.status_code) == (302, 302)
    contract.refresh_from_db()
    assert (contract.status, contract.home_region_id) == ("active", "510903101002")
    assert [(str(s.due_on), str(s.quantity)) for s in contract.items.get().schedule.all()] == [
        ("2018-10-31", "300.000"),
        ("2018-12-31", "200.000"),
    ]


def test_a_contract_with_sellers_in_another_county_is_refused(world):
    c = client(world, "anju")
    form = {
        "number": "HT-2018-010",
        "title": "越界合同",
        "signed_on": "2018-03-01",
        "period_start": "2018-03-01",
        "period_end": "2018-12-31",
        "price_tolerance": "5",
        "buyer_units": [str(world.units["finance"].pk)],
        "seller_households": world.households["wang"].number,
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
        "form-0-name": "大米",
        "form-0-category": "grain_oil",
        "form-0-unit": "公斤",
        "form-0-quantity": "500",
        "form-0-price_rule": "fixed",
        "form-0-price": "4.00",
    }

    response = c.post("/contracts/new/", form)

    assert response.status_code == 400
    number = world.households["wang"].number
    assert f"未找到户编号为 {number} 的农户（或不在您的管辖范围内）。" in response.content.decode()
    assert not Contract.objects.filter(number="HT-2018-010").exists()


def test_the_pre_order_page_shows_the_settlement(world, market):
    preorder = sign(world)
    record = record_direct(world, D(2018, 7, 10), "土鸡", "20", "只", "80")
    c = client(world, "city")
    c.post(f"/preorders/{preorder.pk}/draw/", {"kind": "purchase", "number": record.pk})

    page = c.get(f"/preorders/{preorder.pk}/?as_of=2018-07-31").content.decode()
    other = client(world, "anju").get(f"/preorders/{preorder.pk}/")

    settlement = page[page.index('id="settlement"') : page.index('id="deliveries"')]
    assert "<dt>定金已抵扣</dt><dd>1600.00 元（已付定金 2000.00 元）</dd>" in settlement
    assert "<dt>尚需支付</dt><dd>6000.00 元</dd>" in settlement
    assert "张**（" in page and "张德明" not in page
    assert other.status_code == 404


def test_the_buy_back_page_masks_names_and_refuses_below_the_floor(world):
    buyback = set_up(world)
    deliver(world, buyback, "zhang", D(2018, 10, 8), "500", "3.20")
    c = client(world, "chuanshan")
    wang = world.households["wang"]

    refused = c.post(
        f"/buybacks/{buyback.pk}/deliver/",
        {"household": wang.pk, "day": "2018-10-09", "quantity": "100", "unit_price": "2.80"},
    )
    page = c.get(f"/buybacks/{buyback.pk}/").content.decode()

    assert "收购价 2.80 元/公斤 低于保底价 3.00 元/公斤，不能登记。" in refused.content.decode()
    households = page[page.index('id="households"') : page.index('id="buyback-deliveries"')]
    assert "张**" in households and "张德明" not in page and "王**" in households
    assert '<td data-label="收入" class="num">1600.00</td>' in households
    assert client(world, "anju").get(f"/buybacks/{buyback.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/contracts/", "/preorders/", "/buybacks/", "/contracts/new/", "/preorders/new/", "/buybacks/new/"],
)
def test_the_pages_open_for_an_office(world, url):
    assert client(world, "chuanshan").get(url).status_code == 200


def test_an_auditor_may_not_open_the_forms(world):
    assert client(world, "auditor").get("/contracts/new/").status_code == 403


def test_a_deposit_paid_later_is_registered_on_the_page(world):
    preorder = sign(world, deposit_paid_on=None)
    c = client(world, "city")

    early = c.post(f"/preorders/{preorder.pk}/deposit/", {"paid_on": "2018-02-01"})
    paid = c.post(f"/preorders/{preorder.pk}/deposit/", {"paid_on": "2018-03-10"})

    assert early.status_code == 400
    assert "定金支付日期 2018-02-01 须在签订日期 2018-03-01 与今天之间" in early.content.decode()
    assert paid.status_code == 302
    preorder.refresh_from_db()
    assert str(preorder.deposit_paid_on) == "2018-03-10"


def test_pre_orders_sort_by_number(world):
    sign(world)
    sign(world, number="YG-2018-002", signed_on=D(2018, 2, 1))
    c = client(world, "city")

    newest_first = c.get("/preorders/").content.decode()
    by_number = c.get("/preorders/?sort=-number").content.decode()

    assert newest_first.index("YG-2018-001") < newest_first.index("YG-2018-002")
    assert by_number.index("YG-2018-002") < by_number.index("YG-2018-001")


def test_closing_a_buy_back_from_the_page(world):
    buyback = set_up(world)

    refused = client(world, "chuanshan").post(f"/buybacks/{buyback.pk}/close/", {"reason": ""})
    closed = client(world, "chuanshan").post(f"/buybacks/{buyback.pk}/close/", {"reason": "产季结束"})

    assert (refused.status_code, closed.status_code) == (302, 302)
    buyback.refresh_from_db()
    assert buyback.status == "closed"
    assert AuditEntry.objects.filter(action="buyback_close").count() == 1


def test_an_office_registers_a_pre_order_and_a_buy_back_through_the_forms(world):
    admin, r = world.users["admin"], world.regions
    enterprise = producer_register(
        actor=admin,
        kind="enterprise",
        name="船山区红薯加工有限公司",
        region=r["510903101000"],
        uscc=fake_uscc("510903", 7),
    )
    c = client(world, "chuanshan")

    preorder = c.post(
        "/preorders/new/",
        {
            "number": "YG-2018-030",
            "buyer_unit": world.units["chuanshan_bank"].pk,
            "seller_household": world.households["wang"].number,
            "name": "大米",
            "category": "grain_oil",
            "unit": "公斤",
            "quantity": "300",
            "price": "4.00",
            "signed_on": "2018-03-01",
            "harvest_start": "2018-09-01",
            "harvest_end": "2018-10-31",
            "deposit": "200.00",
            "price_tolerance": "5",
        },
    )
    buyback = c.post(
        "/buybacks/new/",
        {
            "title": "石佛村红薯回购",
            "enterprise": enterprise.pk,
            "villages": ["510903101002"],
            "name": "红薯",
            "category": "fruit_veg",
            "unit": "公斤",
            "floor_price": "3.00",
            "season": "2018年秋季",
            "season_start": "2018-09-01",
            "season_end": "2018-11-30",
            "support": "提供种苗",
        },
    )

    assert (preorder.status_code, buyback.status_code) == (302, 302)
    assert AuditEntry.objects.filter(action__in=["preorder_create", "buyback_create"]).count() == 2
    assert client(world, "anju").get(preorder["Location"]).status_code == 404
    assert client(world, "anju").get(buyback["Location"]).status_code == 404
