"""`yigou demo --households 200`: certified products, contracts, reserved shares, reported forms and approvals.

Everything is done through the services by the demo accounts, so each module's rules held and its audit log is
filled. Dates around today are relative: products were applied for 60–12 days ago, decided 45 days ago and listed
39 days ago, so the catalog holds them today whatever day the tests run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yigou.approval.models import Lock, Submission
from yigou.contracts.buyback import household_incomes
from yigou.contracts.figures import contract_figures
from yigou.contracts.models import BuyBack, Contract, PreOrder
from yigou.contracts.settlement import preorder_figures
from yigou.core.models import AuditEntry
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase
from yigou.ledger.verify import verify
from yigou.market.catalog import catalog
from yigou.market.models import Blacklisting, Objection, Product, ProductHousehold, ReferencePrice
from yigou.regions.models import Region
from yigou.reporting.merge import merge
from yigou.reporting.models import FormValue, ValidationResult
from yigou.shares.models import ShareFiling, ShareFloor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]

D = Decimal
XICHONG = "511325000000"


def _decided_year() -> int:
    return (dt.date.today() - dt.timedelta(days=45)).year


# --- certified products ----------------------------------------------------------------------------------------


def test_four_products_in_the_public_catalog_with_valid_certificates():
    today, year = dt.date.today(), _decided_year()
    rows = [
        (p.name, p.producer.name, p.price, p.certificate_no, p.listed_on, p.valid_until) for p in catalog()
    ]
    listed = today - dt.timedelta(days=39)
    until = (
        listed.replace(year=listed.year + 1)
        if (listed.month, listed.day) != (2, 29)
        else listed.replace(year=listed.year + 1, day=28)
    )
    assert rows == [
        ("回马土鸡", "射洪县回马镇土鸡养殖专业合作社", D("98.00"), f"510922-{year}-0002", listed, until),
        ("聚贤核桃", "船山区聚贤街道核桃种植专业合作社", D("54.60"), f"510903-{year}-0002", listed, until),
        ("磨溪莲藕", "船山区磨溪镇莲藕种植专业合作社", D("36.00"), f"510903-{year}-0001", listed, until),
        ("新华鸭梨", "射洪县新华镇鸭梨种植专业合作社", D("38.00"), f"510922-{year}-0001", listed, until),
    ]


def test_every_state_of_the_workflow_is_shown():
    assert dict(Product.objects.values_list("status").annotate(n=Count("id"))) == {
        "listed": 4,
        "notice": 1,
        "returned": 1,
        "rejected": 1,
        "revoked": 2,
    }
    assert list(Product.objects.exclude(status="listed").order_by("pk").values_list("name", "status")) == [
        ("黑玉米", "notice"),
        ("龙泉红薯", "returned"),
        ("食用菌", "rejected"),
        ("射洪生猪", "revoked"),
        ("矮晚柚", "revoked"),
    ]
    notice = Product.objects.get(status="notice")
    assert notice.notice_end == dt.date.today() + dt.timedelta(days=3)
    assert list(Objection.objects.values_list("product__name", "raised_by", "resolved_at")) == [
        ("黑玉米", "群众来信", None)
    ]


def test_the_blacklisted_producer_lost_its_listed_product_and_one_price_is_flagged():
    assert [(b.producer.name, b.since, b.lifted_on) for b in Blacklisting.objects.all()] == [
        ("四川丰裕矮晚柚农业开发有限公司", dt.date.today() - dt.timedelta(days=7), None)
    ]
    assert Product.objects.get(name="矮晚柚").steps.order_by("-id").first().action == "blacklist"
    assert Product.objects.get(name="射洪生猪").steps.order_by("-id").first().action == "revoke"
    assert ReferencePrice.objects.count() == 8
    flagged = Product.objects.get(price_flagged=True)
    assert (flagged.name, flagged.price, flagged.reference_price) == ("聚贤核桃", D("54.60"), D("42.00"))
    assert flagged.price_explanation


def test_the_public_catalog_pages_show_no_personal_data():
    client = Client()
    products = list(catalog())
    pages = [client.get(reverse("www:catalog"))]
    pages += [client.get(reverse("www:catalog_product", args=[p.pk])) for p in products]
    assert [page.status_code for page in pages] == [200] * 5
    html = "".join(page.content.decode() for page in pages)
    assert all(p.name in html for p in products)
    linked = [row.household for row in ProductHousehold.objects.filter(product__in=products)]
    assert len(linked) == 12  # three linked households each
    secrets = {h.head_name for h in linked} | {h.number for h in linked} | {h.phone for h in linked}
    secrets |= {p.producer.contact_name for p in products} | {p.producer.contact_phone for p in products}
    secrets -= {""}
    assert len(secrets) >= 20
    assert sorted(s for s in secrets if s in html) == []


# --- contracts, pre-orders, buy-back ---------------------------------------------------------------------------


def test_contracts_in_each_state_with_figures_from_the_ledger():
    today = dt.date.today()
    rows = {}
    for contract in Contract.objects.all():
        figures = contract_figures(list(contract.items.all()), today)
        rows[contract.number] = (
            contract.status,
            contract.items.count(),
            figures.agreed_value,
            figures.delivered_value,
            figures.outstanding_value,
            figures.is_late,
        )
    assert rows == {
        "SN-2018-001": ("active", 2, D("35952.00"), D("26767.00"), D("8376.00"), True),
        "SN-2018-002": ("closed", 1, D("13396.00"), D("9912.00"), D("3128.00"), True),
        f"SN-{today.year}-CZ-001": ("draft", 2, D("30000.00"), D("0.00"), D("30000.00"), False),
        f"CS-{today.year}-007": ("terminated", 1, D("10000.00"), D("0.00"), D("10000.00"), False),
    }
    assert Contract.objects.get(number="SN-2018-001").title == (
        "遂宁市住房和城乡建设局采购蓬溪县明月镇生态鱼养殖专业合作社农产品合同"
    )


def test_pre_orders_settle_their_deposit():
    today = dt.date.today()
    rows = {}
    for preorder in PreOrder.objects.all():
        f = preorder_figures(preorder, today)
        rows[preorder.number] = (
            preorder.status,
            preorder.name,
            preorder.deposit,
            f.delivered_value,
            f.deposit_used,
            f.refund_due,
            f.to_pay,
        )
    assert rows == {
        "YG-2018-0001": ("closed", "红薯", D("40.00"), D("93.60"), D("40.00"), D("0.00"), D("0.00")),
        # 1000 eggs at 1.60 = 1600: 300 delivered by the paid order (480, all of the 300 deposit used), 1120 to pay.
        f"YG-{today.year}-0001": (
            "open",
            "土鸡蛋",
            D("300.00"),
            D("480.00"),
            D("300.00"),
            D("0.00"),
            D("1120.00"),
        ),
    }


def test_the_buy_back_stays_out_of_the_ledger():
    buyback = BuyBack.objects.get()
    assert (buyback.status, buyback.in_ledger, buyback.floor_price) == ("closed", False, D("1.60"))
    incomes = [(row.deliveries, row.quantity, row.income) for row in household_incomes(buyback)]
    assert incomes == [(1, D("300"), D("480.00")), (2, D("660"), D("1118.00")), (1, D("400"), D("640.00"))]
    assert not Purchase.objects.filter(note__startswith="包村回购").exists()


# --- reserved shares -------------------------------------------------------------------------------------------


def test_floors_and_filings_by_year_state_and_canteen_case():
    year = dt.date.today().year
    assert sorted(ShareFloor.objects.values_list("region_id", "year", "ratio")) == [
        ("510900000000", 2018, D("15.00")),
        ("510900000000", year, D("20.00")),
    ]
    counts = ShareFiling.objects.values_list("year", "mode", "status").annotate(n=Count("id"))
    assert sorted(counts) == sorted(
        [
            (2018, "own", "approved", 1),
            (2018, "shared", "approved", 1),
            (2018, "merged", "approved", 1),
            (2018, "none", "approved", 1),
            (2018, "outsourced", "approved", 1),
            (year, "own", "submitted", 1),
            (year, "own", "returned", 1),
            (year, "shared", "approved", 1),
            (year, "merged", "approved", 1),
            (year, "none", "draft", 1),
            (year, "outsourced", "submitted", 1),
        ]
    )
    returned = ShareFiling.objects.get(status="returned")
    assert (returned.unit.name, returned.ratio) == ("遂宁市人力资源和社会保障局", D("12.00"))
    assert ShareFiling.objects.get(year=2018, unit__name="遂宁市财政局").reserved_amount == D("226800.00")


# --- reported forms and approval -------------------------------------------------------------------------------


def test_a_county_without_ledger_data_reports_by_form_with_one_rule_broken():
    assert FormValue.objects.filter(region_id=XICHONG).count() == 6 * 23
    assert FormValue.objects.count() == 138
    assert [(r.region_id, r.period_start, r.rule.code) for r in ValidationResult.objects.all()] == [
        (XICHONG, dt.date(2018, 5, 1), "R01")
    ]
    merged = merge(Region.objects.get(code="511300000000"), parse_period("2018-01..2018-06"))
    assert merged.sources[XICHONG] == "form"
    # Own 82000+9500m and co-op 41000+5200m for m = 1..6: 691500 + 355200, plus May's 1200 typed wrong.
    assert merged.table.total.values["amount_total"] == D("1047900.00")


def test_submissions_in_every_state_and_two_locked_months():
    rows = list(
        Submission.objects.order_by("region_id", "month").values_list("region__name", "month", "state")
    )
    assert rows == [
        ("碑垭村", 6, "approved"),
        ("碑垭村", 7, "resubmitted"),
        ("碑垭村", 8, "submitted"),
        ("西充县", 1, "approved"),
        ("西充县", 2, "submitted"),
        ("西充县", 3, "submitted"),
        ("西充县", 4, "returned"),
    ]
    assert sorted(Lock.objects.values_list("region_code", "year", "month")) == [
        ("510903001201", 2018, 6),
        (XICHONG, 2018, 1),
    ]


def test_the_audit_log_records_each_modules_steps_and_the_statistics_still_verify():
    actions = dict(AuditEntry.objects.values_list("action").annotate(n=Count("id")))
    assert {
        a: actions.get(a)
        for a in (
            "product_submit",
            "product_list",
            "producer_blacklist",
            "contract_create",
            "contract_draw",
            "preorder_deposit",
            "buyback_deliver",
            "share_filing_submit",
            "form_value.create",
            "approval_approve",
        )
    } == {
        "product_submit": 9,
        "product_list": 6,
        "producer_blacklist": 1,
        "contract_create": 4,
        "contract_draw": 7,
        "preorder_deposit": 2,
        "buyback_deliver": 4,
        "share_filing_submit": 8,
        "form_value.create": 138,
        "approval_approve": 2,
    }
    assert verify().differences == []


def test_the_supply_season_has_a_warning_at_every_level_and_cases_in_every_state():
    from yigou.supply.models import Case, SupplyEntry, Warning

    entries = SupplyEntry.objects.order_by("available_to", "name")
    assert [e.name for e in entries] == ["腊肉", "蜂蜜", "鸭蛋", "青菜", "柑橘", "土鸡蛋", "红薯"]
    warned = Warning.objects.filter(supply__isnull=False).order_by("days_left", "product")
    assert list(warned.values_list("product", "level", "days_left", "cleared_on")) == [
        ("腊肉", "severe", 2, None),
        ("蜂蜜", "severe", 2, None),
        ("鸭蛋", "severe", 2, None),
        ("青菜", "warn", 5, None),
        ("柑橘", "warn", 6, None),
        ("土鸡蛋", "watch", 12, None),
    ]
    cases = {c.product: c for c in Case.objects.select_related("office")}
    now = timezone.now()
    assert {p: (c.status, c.office.name, c.escalations, c.overdue(now)) for p, c in cases.items()} == {
        "腊肉": ("open", "船山区", 0, False),
        "蜂蜜": ("open", "船山区", 0, True),
        "柑橘": ("open", "船山区", 1, False),
        "鸭蛋": ("closed", "船山区", 0, False),
        "青菜": ("closed", cases["青菜"].office.name, 0, False),
    }
    assert (cases["鸭蛋"].close_reason, cases["鸭蛋"].rescued_quantity, cases["鸭蛋"].rescued_value) == (
        "sold",
        Decimal("1200.000"),
        Decimal("2040.00"),
    )
    assert cases["青菜"].close_reason == "processed"
