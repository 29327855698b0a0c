"""The columns of the 以购助扶成果统计表, in the official order, with their codes, groups and units."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    group: str  # the merged upper header; equal to label when the column stands alone
    unit: str
    kind: str  # "count" | "distinct" | "money" | "wan"


COLUMNS: list[Column] = [
    Column("activities", "开展以购助扶活动次数", "开展以购助扶活动次数", "次", "count"),
    Column("outlets_counter", "社区超市专柜", "累计开办", "个", "count"),
    Column("outlets_online_shop", "QQ/微信超市", "累计开办", "个", "count"),
    Column("outlets_service_store", "便民服务店", "累计开办", "个", "count"),
    Column("outlets_temp_market", "临时小集市", "累计开办", "个", "count"),
    Column("outlets_ecommerce", "电商网点", "累计开办", "个", "count"),
    Column("fees_waived_wan", "免收费用", "免收费用", "万元", "wan"),
    Column("villages_poor", "贫困村", "覆盖行政村", "个", "distinct"),
    Column("villages_nonpoor", "非贫困村", "覆盖行政村", "个", "distinct"),
    Column("poor_households", "户数", "贫困群众参与", "户", "distinct"),
    Column("poor_income", "收入", "贫困群众参与", "元", "money"),
    Column("nonpoor_households", "户数", "非贫困群众参与", "户", "distinct"),
    Column("nonpoor_income", "收入", "非贫困群众参与", "元", "money"),
    Column("amount_total", "总额", "购买金额", "元", "money"),
    Column("amount_own", "其中农户自产", "购买金额", "元", "money"),
    Column("amount_coop", "其中合作社产品", "购买金额", "元", "money"),
    Column("amount_certified", "其中认定扶贫产品", "购买金额", "元", "money"),
    Column("buyers_total", "总人数", "参与购买", "人", "distinct"),
    Column("buyer_units", "帮扶单位", "参与购买", "个", "distinct"),
    Column("buyer_cadres", "帮扶干部", "参与购买", "人", "distinct"),
    Column("buyer_canteens", "机关食堂", "参与购买", "个", "distinct"),
    Column("buyer_enterprises", "民营企业", "参与购买", "家", "distinct"),
    Column("buyer_social_orgs", "社会组织", "参与购买", "个", "distinct"),
]
CODES = [c.code for c in COLUMNS]
BY_CODE = {c.code: c for c in COLUMNS}

# Distinct columns and the presence kinds they count.
DISTINCT_SOURCES: dict[str, tuple[str, ...]] = {
    "villages_poor": ("vp",),
    "villages_nonpoor": ("vn",),
    "poor_households": ("hp",),
    "nonpoor_households": ("hn",),
    "buyers_total": ("bu", "bc", "bk", "be", "bs", "bi"),
    "buyer_units": ("bu",),
    "buyer_cadres": ("bc",),
    "buyer_canteens": ("bk",),
    "buyer_enterprises": ("be",),
    "buyer_social_orgs": ("bs",),
}
MONEY_SOURCES = {
    code: code
    for code in (
        "poor_income",
        "nonpoor_income",
        "amount_total",
        "amount_own",
        "amount_coop",
        "amount_certified",
    )
}
