"""Quick-response cases on the worked example of test_scan: 张德明 (永兴村) has 35 of 100 公斤 腊肉 left with 2 days
to go → 严重 → a case for 船山区 (the county), 24 hours to act. Overdue → 遂宁市, then 四川省, then no further.

The 柑橘 example: 2,000 公斤 with 6 days left and nothing sold → 预警 → 永兴镇 (the township), 72 hours; three days
later it is 严重 and goes to 船山区 with the earlier of the two deadlines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.supply.test_scan import bacon, scan_json, sell
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.market import ordering
from yigou.market.models import PreSaleList
from yigou.notices.models import Notice
from yigou.supply import cases, response, services
from yigou.supply.models import Case, CaseEvent, DemandEntry

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def severe(world) -> Case:
    services.supply_record(
        actor=world.users["village"],
        village=world.region("510903101001"),
        data=bacon(),
        household=world.households["zhang"],
    )
    sell(world, "65")
    scan_json()
    return Case.objects.get()


def oranges(world, days_left: int) -> None:
    services.supply_record(
        actor=world.users["village"],
        village=world.region("510903101001"),
        data=bacon(
            name="柑橘",
            category="fruit_veg",
            quantity="2000",
            available_to=TODAY + dt.timedelta(days=days_left),
            expected_price="4.50",
        ),
        household=world.households["zhang"],
    )


def bank_staff(world):
    """A staff account of 船山区农商银行, the unit paired with 永兴村 since 2016."""
    org = organisation_create(
        actor=None,
        name="船山区农商银行",
        kind=OrgKind.UNIT,
        region=world.region("510903000000"),
        unit=world.units["chuanshan_bank"],
    )
    return user_create(
        actor=system_actor(),
        username="bank",
        password="Yigou-test-2018",
        role=Role.UNIT,
        organisation=org,
        display_name="bank",
        check_password=False,
    )


def test_a_severe_warning_opens_one_case_for_the_county_with_a_day_to_act(world, severe):
    assert (severe.office_id, severe.level, severe.status) == ("510903000000", "severe", "open")
    assert (severe.product, severe.unit, severe.quantity) == ("腊肉", "公斤", Decimal("35.000"))
    assert severe.deadline - severe.opened_at == dt.timedelta(hours=24)
    assert severe.number == f"XY{timezone.localtime(severe.opened_at).year}-{severe.pk:06d}"
    assert severe.seller_household == world.households["zhang"]
    assert list(severe.events.values_list("kind", flat=True)) == ["opened"]
    # The county office is told; the township and the village are not.
    assert list(Notice.objects.values_list("recipient__username", "kind")) == [("chuanshan", "supply_case")]
    assert AuditEntry.objects.filter(action="supply_case_opened", target_id=str(severe.pk)).count() == 1

    scan_json()
    scan_json()
    assert Case.objects.count() == 1 and Notice.objects.count() == 1


def test_a_warn_goes_to_the_township_and_is_raised_to_the_county_when_it_turns_severe(world):
    oranges(world, days_left=6)
    scan_json()
    case = Case.objects.get()
    assert (case.level, case.office_id) == ("warn", "510903101000")
    assert case.deadline - case.opened_at == dt.timedelta(hours=72)
    first_deadline = case.deadline

    scan_json("--date", str(TODAY + dt.timedelta(days=3)))  # 3 days left, 100% left → 严重
    case.refresh_from_db()
    assert (case.level, case.office_id) == ("severe", "510903000000")
    # The earlier deadline stands: now + 24 h is later than the township's 72 h deadline only if time ran on.
    assert case.deadline <= first_deadline
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "raised"]
    assert Case.objects.count() == 1


def test_an_overdue_case_goes_up_one_level_at_a_time_and_stops_at_the_province(world, severe):
    start = severe.opened_at
    assert cases.sync(start + 23 * HOUR).escalated == 0
    assert cases.sync(start + 25 * HOUR).escalated == 1
    severe.refresh_from_db()
    assert (severe.office_id, severe.escalations) == ("510900000000", 1)
    assert severe.deadline == start + 25 * HOUR + 24 * HOUR
    assert Notice.objects.filter(recipient__username="city").count() == 1

    cases.sync(start + 50 * HOUR)
    severe.refresh_from_db()
    assert (severe.office_id, severe.escalations) == ("510000000000", 2)
    assert cases.sync(start + 100 * HOUR).escalated == 0  # nothing above a province
    assert list(severe.events.values_list("kind", flat=True)) == ["opened", "escalated", "escalated"]


def test_the_case_closes_by_itself_when_the_rest_is_sold_with_the_rescued_figures(world, severe):
    sell(world, "20", days_ago=0)
    assert cases.sync().closed == 0
    severe.refresh_from_db()
    assert (severe.rescued_quantity, severe.rescued_value, severe.status) == (
        Decimal("20.000"),
        Decimal("1200.00"),
        "open",
    )
    sell(world, "15", days_ago=0)
    assert cases.sync().closed == 1
    severe.refresh_from_db()
    assert (severe.status, severe.close_reason) == ("closed", "sold")
    assert (severe.rescued_quantity, severe.rescued_value) == (Decimal("35.000"), Decimal("2100.00"))
    assert severe.events.last().text == "已售完：帮销 35公斤，2100.00 元"


def test_sales_before_the_case_opened_are_not_rescued(world, severe):
    sell(world, "10", days_ago=2)  # entered late, dated before the case
    cases.sync()
    severe.refresh_from_db()
    assert severe.rescued_quantity == Decimal("0")


def test_closing_by_hand_needs_a_reason_a_note_and_the_office_it_is_routed_to(world, severe):
    with pytest.raises(DomainError, match="结案方式须为"):
        cases.case_close(actor=world.users["chuanshan"], case=severe, reason="sold", note="卖完了")
    with pytest.raises(DomainError, match="请写明结案说明"):
        cases.case_close(actor=world.users["chuanshan"], case=severe, reason="spoiled", note="  ")
    with pytest.raises(PermissionDeniedError, match="案件已交船山区处置"):
        cases.case_close(actor=world.users["yongxing"], case=severe, reason="spoiled", note="x")
    with pytest.raises(PermissionDeniedError):
        cases.case_close(actor=world.users["village"], case=severe, reason="spoiled", note="x")
    with pytest.raises(NotFoundError):
        cases.case_close(actor=world.users["anju"], case=severe, reason="spoiled", note="x")
    severe.refresh_from_db()
    assert severe.status == "open" and severe.events.count() == 1

    cases.case_close(actor=world.users["city"], case=severe, reason="stored", note="入冷库 35 公斤")
    severe.refresh_from_db()
    assert (severe.status, severe.close_reason, severe.close_note) == ("closed", "stored", "入冷库 35 公斤")
    with pytest.raises(DomainError, match="已结案"):
        cases.case_close(actor=world.users["city"], case=severe, reason="spoiled", note="x")


def test_assigning_a_handler_names_staff_of_the_office_or_above(world, severe):
    with pytest.raises(DomainError, match="不能办理本案件"):
        cases.case_assign(actor=world.users["chuanshan"], case=severe, handler=world.users["yongxing"])
    cases.case_assign(actor=world.users["city"], case=severe, handler=world.users["chuanshan"])
    severe.refresh_from_db()
    assert severe.handler == world.users["chuanshan"]
    assert Notice.objects.filter(recipient=world.users["chuanshan"]).count() == 2


def test_buyers_are_ranked_paired_units_first_then_matching_demand(world, severe):
    bank_staff(world)
    DemandEntry.objects.create(
        region=world.region("510903000000"),
        buyer_unit=world.units["finance"],
        buyer_name="遂宁市财政局食堂",
        category="meat_egg",
        name="腊肉",
        unit="公斤",
        quantity=Decimal("50"),
        window_start=TODAY,
        window_end=TODAY + dt.timedelta(days=30),
        price_ceiling=Decimal("70.00"),
    )
    DemandEntry.objects.create(  # too cheap a ceiling: left out
        region=world.region("510903000000"),
        buyer_name="某企业",
        category="meat_egg",
        window_start=TODAY,
        window_end=TODAY + dt.timedelta(days=30),
        price_ceiling=Decimal("40.00"),
        recorded_by=world.users["chuanshan"],
    )
    ranked = response.ranked_buyers(world.users["chuanshan"], severe, TODAY)
    assert [(b.key, b.group, b.name, [u.username for u in b.recipients]) for b in ranked] == [
        (f"unit:{world.units['chuanshan_bank'].pk}", "paired", "船山区农商银行", ["bank"]),
        (f"unit:{world.units['finance'].pk}", "demand", "遂宁市财政局食堂", ["unit"]),
    ]
    assert ranked[1].reason == f"需求 腊肉 50公斤（{TODAY}至{TODAY + dt.timedelta(days=30)}，最高 70.00 元）"


def publish_input(buyers: list[str]) -> response.PublishInput:
    return response.PublishInput(
        unit_price="58.00",
        closes_on=TODAY + dt.timedelta(days=2),
        contact_name="张德明",
        contact_phone="13800001111",
        buyers=buyers,
    )


def test_publishing_lists_what_is_left_and_tells_the_chosen_buyers(world, severe):
    bank = bank_staff(world)
    key = f"unit:{world.units['chuanshan_bank'].pk}"
    listing = response.case_publish(actor=world.users["chuanshan"], case=severe, data=publish_input([key]))
    item = listing.items.get()
    assert (listing.region_id, listing.title) == ("510903101001", "急需帮销：永兴村腊肉")
    assert (item.name, item.quantity, item.unit_price, item.seller_household) == (
        "腊肉",
        Decimal("35.000"),
        Decimal("58.00"),
        world.households["zhang"],
    )
    told = Notice.objects.get(recipient=bank)
    assert (told.title, told.link) == ("急需帮销：永兴村腊肉 35公斤", f"/market/{listing.pk}/")
    severe.refresh_from_db()
    assert severe.presale_list == listing
    assert list(severe.events.values_list("kind", flat=True)) == ["opened", "published", "notified"]

    with pytest.raises(DomainError, match="已发布预售清单"):
        response.case_publish(actor=world.users["chuanshan"], case=severe, data=publish_input([key]))


def test_a_refused_publication_writes_no_list_and_no_notice(world, severe):
    before = Notice.objects.count()
    # The paired bank has no account yet: nobody could be told.
    key = f"unit:{world.units['chuanshan_bank'].pk}"
    with pytest.raises(DomainError, match="至少选择一个有平台账号"):
        response.case_publish(actor=world.users["chuanshan"], case=severe, data=publish_input([key]))
    with pytest.raises(DomainError, match="不在本案件的推荐名单中"):
        response.case_publish(actor=world.users["chuanshan"], case=severe, data=publish_input(["unit:999"]))
    bank_staff(world)
    with pytest.raises(PermissionDeniedError):
        response.case_publish(actor=world.users["yongxing"], case=severe, data=publish_input([key]))
    assert not PreSaleList.objects.exists()
    assert Notice.objects.count() == before
    assert severe.events.count() == 1


def test_the_paired_unit_buys_the_rest_and_the_case_closes_on_payment(world, severe):
    bank = bank_staff(world)
    key = f"unit:{world.units['chuanshan_bank'].pk}"
    listing = response.case_publish(actor=world.users["chuanshan"], case=severe, data=publish_input([key]))
    item = listing.items.get()
    order = ordering.order_place(actor=bank, presale_list=listing, lines=[(item.pk, "35")], buyer_kind="unit")
    ordering.order_confirm(actor=world.users["admin"], order=order)
    ordering.order_ship(actor=world.users["admin"], order=order)
    ordering.order_receive(actor=bank, order=order)
    severe.refresh_from_db()
    assert severe.status == "open"  # received but not paid: nothing is sold yet
    ordering.order_pay(actor=bank, order=order)
    severe.refresh_from_db()
    assert (severe.status, severe.close_reason) == ("closed", "sold")
    assert (severe.rescued_quantity, severe.rescued_value) == (Decimal("35.000"), Decimal("2030.00"))
    assert CaseEvent.objects.filter(case=severe, kind="closed").count() == 1
