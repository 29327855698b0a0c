"""The warning levels at the edges of each threshold (defaults: 严重 ≤ 3 days and ≥ 30% left, 预警 ≤ 7 days and
≥ 40%, 关注 ≤ 14 days and ≥ 50%, or prices 20% below the expected price with ≥ 50% left)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yigou.supply.monitoring import Figures, assess


def level(days_left: int, left: str, quantity: str = "100", **prices: str) -> str | None:
    sold = Decimal(quantity) - Decimal(left)
    money = {k: Decimal(v) for k, v in prices.items()}
    found = assess(Figures(Decimal(quantity), sold, Decimal("0"), days_left, **money), "公斤")
    return found.level if found else None


@pytest.mark.parametrize(
    ("days_left", "left", "expected"),
    [
        (3, "30", "severe"),
        (0, "30", "severe"),
        (3, "29.999", None),
        (4, "30", None),
        (7, "40", "warn"),
        (4, "40", "warn"),
        (7, "39.999", None),
        (8, "40", None),
        (14, "50", "watch"),
        (8, "50", "watch"),
        (14, "49.999", None),
        (15, "100", None),
        (3, "40", "severe"),
        (7, "50", "warn"),
    ],
)
def test_each_level_applies_at_its_edge_and_not_beyond(days_left, left, expected):
    assert level(days_left, left) == expected


def test_nothing_left_or_past_the_last_day_raises_nothing():
    assert level(1, "0") is None
    assert level(-1, "100") is None


def test_ordered_quantity_counts_as_taken():
    figures = Figures(Decimal("100"), sold=Decimal("20"), ordered=Decimal("55"), days_left=2)
    assert (figures.left, figures.share_left) == (Decimal("25"), Decimal("0.25"))
    assert assess(figures, "公斤") is None


def test_a_price_fall_of_a_fifth_raises_watch_far_from_the_deadline():
    assert level(30, "60", expected_price="10.00", recent_price="8.00") == "watch"
    assert level(30, "60", expected_price="10.00", recent_price="8.01") is None
    assert level(30, "49", expected_price="10.00", recent_price="5.00") is None


def test_the_reason_names_the_figures_compared():
    found = assess(Figures(Decimal("200"), Decimal("120"), Decimal("0"), 3), "斤")
    assert found is not None
    assert (
        found.reason
        == "剩余 80斤（占预计 40%），距销售期结束或保鲜期满还有 3 天（严重：不超过 3 天且剩余不低于 30%）"
    )


def test_thresholds_come_from_the_settings(settings):
    settings.YIGOU_WARNING_LEVELS = {
        "severe": {"days": 1, "share": "0.90"},
        "warn": {"days": 2, "share": "0.90"},
        "watch": {"days": 5, "share": "0.10"},
    }
    assert level(3, "30") == "watch"
    assert level(1, "95") == "severe"


def test_a_fallen_market_reference_price_raises_watch_and_the_reason_names_both_prices():
    assert level(30, "60", expected_price="10.00", reference_price="8.00") == "watch"
    assert level(30, "60", expected_price="10.00", reference_price="8.50", recent_price="9.00") is None
    found = assess(
        Figures(
            Decimal("100"),
            Decimal("40"),
            Decimal("0"),
            30,
            Decimal("10.00"),
            Decimal("7.50"),
            Decimal("8.00"),
        ),
        "公斤",
    )
    assert found is not None
    assert (
        found.reason
        == "剩余 60公斤（占预计 60%），近期成交价 7.50 元、市场参考价 8.00 元低于预期价 10.00 元 20%以上"
    )
