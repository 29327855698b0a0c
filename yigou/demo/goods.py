"""What the demo's sellers sell, with plausible 2018 rural Sichuan prices, and the purchase lines drawn from it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Good:
    category: str
    unit: str
    price: tuple[int, int]  # 角 (0.1 元), so prices stay round
    quantity: tuple[int, int]  # for a household's sale; producers sell ten times as much


HOUSEHOLD_GOODS: dict[str, Good] = {
    "土鸡蛋": Good("禽蛋", "个", (12, 20), (30, 200)),
    "腊肉": Good("肉类", "公斤", (560, 800), (2, 15)),
    "红苕粉": Good("粮油", "公斤", (160, 240), (2, 10)),
    "菜籽油": Good("粮油", "公斤", (200, 300), (5, 25)),
    "土鸡": Good("畜禽", "只", (800, 1500), (1, 6)),
    "时令蔬菜": Good("蔬菜", "公斤", (30, 80), (5, 40)),
    "柑橘": Good("水果", "公斤", (40, 80), (10, 60)),
    "花生": Good("粮油", "公斤", (100, 160), (2, 15)),
    "红薯": Good("蔬菜", "公斤", (16, 30), (10, 80)),
}

PRODUCER_GOODS: dict[str, Good] = {
    "蔬菜": Good("蔬菜", "公斤", (30, 60), (20, 80)),
    "柑橘": Good("水果", "公斤", (40, 80), (20, 80)),
    "生猪": Good("畜禽", "公斤", (140, 180), (10, 60)),
    "黑山羊": Good("畜禽", "公斤", (300, 400), (5, 30)),
    "莲藕": Good("蔬菜", "公斤", (40, 80), (20, 60)),
    "矮晚柚": Good("水果", "公斤", (40, 70), (20, 80)),
    "花椒": Good("调味品", "公斤", (500, 800), (2, 10)),
    "食用菌": Good("蔬菜", "公斤", (100, 200), (10, 40)),
    "土鸡": Good("畜禽", "只", (800, 1200), (3, 15)),
    "青花椒": Good("调味品", "公斤", (400, 700), (2, 10)),
    "红薯": Good("蔬菜", "公斤", (20, 30), (30, 100)),
    "黑玉米": Good("粮油", "公斤", (60, 100), (10, 50)),
    "瓜蒌": Good("中药材", "公斤", (300, 500), (3, 12)),
    "核桃": Good("干果", "公斤", (200, 300), (5, 20)),
    "粮油": Good("粮油", "公斤", (60, 120), (20, 80)),
    "生态鱼": Good("水产", "公斤", (160, 240), (10, 40)),
    "鸭梨": Good("水果", "公斤", (40, 70), (20, 80)),
    "葡萄": Good("水果", "公斤", (80, 160), (10, 40)),
}


@dataclass(frozen=True)
class Line:
    product: str
    category: str
    quantity: Decimal
    unit: str
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT)


def _line(rng: random.Random, product: str, good: Good, scale: int) -> Line:
    low, high = good.quantity
    return Line(
        product,
        good.category,
        Decimal(rng.randint(low, high) * scale),
        good.unit,
        Decimal(rng.randint(*good.price)) / 10,
    )


def household_lines(rng: random.Random) -> list[Line]:
    """One to three different things a household sells at once (eggs and a chicken, say)."""
    products = rng.sample(sorted(HOUSEHOLD_GOODS), rng.choices([1, 2, 3], [6, 3, 1])[0])
    return [_line(rng, p, HOUSEHOLD_GOODS[p], 1) for p in products]


def producer_lines(rng: random.Random, main_products: str) -> list[Line]:
    """A cooperative's or company's sale of its main product, sometimes with a second one."""
    first = main_products if main_products in PRODUCER_GOODS else "粮油"
    products = [first]
    if rng.random() < 0.2:
        products.append(rng.choice([p for p in sorted(PRODUCER_GOODS) if p != first]))
    return [_line(rng, p, PRODUCER_GOODS[p], 10) for p in products]
