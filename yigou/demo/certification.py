"""Certified products (扶贫产品认定) around today, every one taken through the workflow by the demo accounts.

船山区 and 射洪县 each have a county office account, so products there can be decided: four are listed in the
public catalog (one of them priced above the reference price, with an explanation), one is on public notice
with an open objection, one was returned for correction, one rejected, one revoked, and one producer is on the
blacklist (its listed product revoked with it). Only cooperatives and companies apply, so the public catalog
names no person. Market reference prices are recorded first, as the offices would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from yigou.accounts.models import User
from yigou.market import certification as cert
from yigou.market.certification import ApplyInput, linked_household_ids
from yigou.market.enums import CapacityPeriod, FileKind
from yigou.market.models import Product
from yigou.market.pricing import ReferencePriceInput, reference_price_add
from yigou.registry.enums import Mechanism, ProducerKind
from yigou.registry.models import Household, Producer

from .users import CHUANSHAN, SHEHONG

# What a producer of each main product would certify: category, specification, unit, price, yearly capacity.
GOODS: dict[str, tuple[str, str, str, str, str]] = {
    "蔬菜": ("fruit_veg", "5公斤/箱", "箱", "32.00", "3000"),
    "柑橘": ("fruit_veg", "10公斤/箱", "箱", "68.00", "2000"),
    "生猪": ("meat_egg", "分割鲜肉", "公斤", "26.00", "20000"),
    "黑山羊": ("meat_egg", "整只", "公斤", "58.00", "6000"),
    "莲藕": ("fruit_veg", "5公斤/箱", "箱", "36.00", "4000"),
    "矮晚柚": ("fruit_veg", "4个/箱", "箱", "45.00", "5000"),
    "花椒": ("processed", "250克/袋", "袋", "28.00", "8000"),
    "食用菌": ("fruit_veg", "1公斤/盒", "盒", "22.00", "6000"),
    "土鸡": ("meat_egg", "整只", "只", "98.00", "3000"),
    "青花椒": ("processed", "250克/袋", "袋", "25.00", "8000"),
    "红薯": ("fruit_veg", "5公斤/袋", "袋", "18.00", "6000"),
    "黑玉米": ("grain_oil", "2.5公斤/袋", "袋", "30.00", "5000"),
    "瓜蒌": ("herbs", "500克/袋", "袋", "40.00", "2000"),
    "核桃": ("processed", "1公斤/袋", "袋", "42.00", "3000"),
    "粮油": ("grain_oil", "5升/桶", "桶", "75.00", "10000"),
    "生态鱼": ("aquatic", "鲜活", "公斤", "24.00", "8000"),
    "鸭梨": ("fruit_veg", "5公斤/箱", "箱", "38.00", "4000"),
    "葡萄": ("fruit_veg", "2.5公斤/箱", "箱", "55.00", "3000"),
}
# key, county, where the product ends, how many days before today it was applied for.
PLANS = [
    ("coop", CHUANSHAN, "listed", 60),
    ("chuanshan-2", CHUANSHAN, "listed_flagged", 58),
    ("shehong-1", SHEHONG, "listed", 56),
    ("shehong-2", SHEHONG, "listed", 54),
    ("chuanshan-3", CHUANSHAN, "notice_objection", 12),
    ("shehong-3", SHEHONG, "returned", 20),
    ("chuanshan-4", CHUANSHAN, "rejected", 30),
    ("shehong-4", SHEHONG, "revoked", 50),
    ("shehong-5", SHEHONG, "blacklisted", 48),
]


@dataclass
class DemoCertification:
    products: dict[str, Product] = field(default_factory=dict)
    reference_prices: int = 0
    blacklisted: list[Producer] = field(default_factory=list)


def _candidates(county: str, day: dt.date, exclude: set[int]) -> list[Producer]:
    """Cooperatives and companies of the county with households linked that day, oldest first."""
    qs = Producer.objects.filter(
        county_code=county, kind__in=(ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE)
    ).order_by("pk")
    return [p for p in qs if p.pk not in exclude and linked_household_ids(p, day)]


def _goods(producer: Producer) -> tuple[str, tuple[str, str, str, str, str]]:
    """The product's name (a short one gets its place in front: 磨溪莲藕) and what GOODS says of it."""
    name = producer.main_products if producer.main_products in GOODS else "粮油"
    return (f"{producer.region.name[:2]}{name}" if len(name) < 3 else name), GOODS[name]


def _apply_input(producer: Producer, day: dt.date, flagged: bool) -> ApplyInput:
    name, (category, spec, unit, price, capacity) = _goods(producer)
    linked = sorted(linked_household_ids(producer, day))[:3]
    # A price 30% above the reference needs the applicant's explanation and is flagged for the reviewers.
    price = str((Decimal(price) * Decimal("1.3")).quantize(Decimal("0.01"))) if flagged else price
    return ApplyInput(
        name=name,
        category=category,
        specification=spec,
        unit=unit,
        capacity=capacity,
        capacity_period=CapacityPeriod.YEAR,
        base=f"{producer.region.name}生产基地",
        price=price,
        mechanism=Mechanism.ORDER,
        households=list(Household.objects.filter(pk__in=linked).order_by("pk")),
        files=[
            (FileKind.COMMITMENT, SimpleUploadedFile("承诺函.pdf", b"%PDF-1.4\n% demo\n", "application/pdf"))
        ],
        price_links="https://www.scjg.gov.cn/\nhttps://nc.mofcom.gov.cn/",
        mechanism_note="订单收购，保底价收购联结户产品",
        price_explanation="有机认证，人工采收分拣，价格高于普通产品" if flagged else "",
    )


def _references(office: User, county: str, producers: list[Producer], day: dt.date) -> int:
    """Market prices observed by the county office for what its producers sell (at the plain price)."""
    seen: set[str] = set()
    for producer in producers:
        shown, (_category, spec, unit, price, _capacity) = _goods(producer)
        if shown in seen or office.organisation is None:
            continue
        seen.add(shown)
        reference_price_add(
            actor=office,
            region=office.organisation.region,
            today=day,
            data=ReferencePriceInput(
                name=shown,
                specification=spec,
                unit=unit,
                price=price,
                observed_on=day,
                source="县农贸市场采价",
            ),
        )
    return len(seen)


def _reviewer(users: dict[str, User], office: User, product: Product) -> User:
    """The township account reviews products of its township; otherwise the county office as sector review."""
    return users["township"] if cert.may_review(users["township"], product) else office


def _certify(product: Product, users: dict[str, User], office: User, decided: dt.date) -> Product:
    product = cert.product_review(
        actor=_reviewer(users, office, product), product=product, passed=True, reason="材料齐全，带贫联结属实"
    )
    return cert.product_decide(
        actor=office, product=product, certify=True, reason="符合认定条件", today=decided
    )


def _finish(state: str, product: Product, users: dict[str, User], office: User, today: dt.date) -> Product:
    if state == "returned":
        return cert.product_review(
            actor=_reviewer(users, office, product),
            product=product,
            passed=False,
            reason="带贫联结协议缺少农户签字，请补正后重新申报",
        )
    if state == "rejected":
        product = cert.product_review(actor=_reviewer(users, office, product), product=product, passed=True)
        return cert.product_decide(
            actor=office,
            product=product,
            certify=False,
            today=today - dt.timedelta(days=25),
            reason="主要原料外购，非本地贫困户生产，不符合认定条件",
        )
    if state == "notice_objection":
        product = _certify(product, users, office, today - dt.timedelta(days=2))
        cert.objection_record(
            actor=office,
            product=product,
            raised_by="群众来信",
            contact="信访件",
            content="反映该主体收购联结户产品时压级压价，请核实",
            today=today - dt.timedelta(days=1),
        )
        return product
    product = _certify(product, users, office, today - dt.timedelta(days=45))
    product = cert.product_list(actor=office, product=product, today=today - dt.timedelta(days=39))
    if state == "revoked":
        product = cert.product_revoke(
            actor=office,
            product=product,
            today=today - dt.timedelta(days=10),
            reason="抽检农残超标，撤销认定",
        )
    return product


def build_certification(
    *, users: list[User], today: dt.date, say: Callable[[str], None]
) -> DemoCertification:
    by_name = {u.username: u for u in users}
    offices = {CHUANSHAN: by_name["chuanshan"], SHEHONG: by_name["shehong"]}
    out = DemoCertification()
    start = today - dt.timedelta(days=61)
    coop = by_name["producer"].organisation.producer if by_name["producer"].organisation else None
    used: set[int] = {coop.pk} if coop is not None else set()
    pools = {county: _candidates(county, start, used) for county in offices}
    for county, office in offices.items():
        out.reference_prices += _references(
            office, county, ([coop] if coop and county == CHUANSHAN else []) + pools[county][:4], start
        )
    for key, county, state, days in PLANS:
        producer = coop if key == "coop" else (pools[county].pop(0) if pools[county] else None)
        if producer is None:
            continue
        applicant = by_name["producer"] if key == "coop" else offices[county]
        product = cert.product_apply(
            actor=applicant,
            producer=producer,
            today=today - dt.timedelta(days=days),
            data=_apply_input(producer, start, state == "listed_flagged"),
        )
        out.products[key] = _finish(state, product, by_name, offices[county], today)
        if state == "blacklisted":
            cert.producer_blacklist(
                actor=offices[county],
                producer=producer,
                today=today - dt.timedelta(days=7),
                reason="虚报带贫户数、套取扶贫产品认定",
            )
            out.blacklisted.append(producer)
    listed = sum(
        1
        for p in Product.objects.filter(pk__in=[p.pk for p in out.products.values()])
        if p.status == "listed"
    )
    say(
        f"扶贫产品：{len(out.products)} 个走完认定流程（{listed} 个在目录中），市场参考价 {out.reference_prices} 条，"
        f"黑名单主体 {len(out.blacklisted)} 个。"
    )
    return out
