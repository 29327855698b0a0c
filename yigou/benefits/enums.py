"""Choices of benefit distribution: what is distributed, the steps every distribution goes through, the parts of
an allocation (each tied to the income component it feeds), capital accounts, asset funds and PV plan uses."""

from __future__ import annotations

from django.db import models

from yigou.income.enums import Component


class Kind(models.TextChoices):
    SURPLUS = "surplus", "合作社盈余分配"
    ASSET = "asset", "资产收益分配"
    PV = "pv", "光伏电站收益分配"
    PIECEWORK = "piecework", "计件工资"


class Status(models.TextChoices):
    """plan → computation → approval by the holder, then the township → 公示 → payment."""

    DRAFT = "draft", "草拟"
    COMPUTED = "computed", "已测算"
    HOLDER_APPROVED = "holder_approved", "经营主体已审核"
    TOWNSHIP_APPROVED = "township_approved", "乡镇已审核"
    PUBLISHED = "published", "公示中"
    PAID = "paid", "已兑付"


class Part(models.TextChoices):
    TRADING = "trading", "按交易额返还"
    CONTRIBUTION = "contribution", "按出资额分红"
    GRANT = "grant", "财政补助量化股分红"
    PREFERRED = "preferred", "优先股保底分红"
    ASSET = "asset", "资产收益"
    WAGE = "wage", "公益岗位工资"
    PIECE = "piece", "计件工资"
    CORRECTION = "correction", "更正"


# Which income component each part feeds on the household's card (收入构成).
PART_COMPONENT: dict[str, str] = {
    Part.TRADING: Component.BUSINESS,
    Part.CONTRIBUTION: Component.PROPERTY,
    Part.GRANT: Component.PROPERTY,
    Part.PREFERRED: Component.PROPERTY,
    Part.ASSET: Component.PROPERTY,
    Part.WAGE: Component.WAGE,
    Part.PIECE: Component.WAGE,
}


class AccountKind(models.TextChoices):
    CONTRIBUTION = "contribution", "社员出资"
    GRANT = "grant", "财政补助形成资产量化"
    PREFERRED = "preferred", "贫困户优先股"


ACCOUNT_PART = {
    AccountKind.CONTRIBUTION: Part.CONTRIBUTION,
    AccountKind.GRANT: Part.GRANT,
    AccountKind.PREFERRED: Part.PREFERRED,
}


class ReturnMode(models.TextChoices):
    FIXED = "fixed", "固定收益"
    MINIMUM = "minimum", "保底收益（实际收益高于保底时按实际）"


class FundRule(models.TextChoices):
    EQUAL = "equal", "按户均分"
    SIZE = "size", "按家庭人口"
    WEIGHT = "weight", "按约定份数"


class UseKind(models.TextChoices):
    POSTS = "posts", "公益岗位工资"
    WORKS = "works", "小型公益事业"
    REWARDS = "rewards", "奖励补助"
    HANDOUT = "handout", "平均发放现金"


class Source(models.TextChoices):
    PAGE = "page", "页面录入"
    IMPORT = "import", "文件导入"
    API = "api", "接口"
    DEMO = "demo", "演示数据"
