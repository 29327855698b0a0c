"""Choices of plans, task ledgers, dispatch, supervision and assessment, with their Chinese labels."""

from __future__ import annotations

from django.db import models


class Rhythm(models.TextChoices):
    """How often every task of a plan reports (调度频次)."""

    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


class TaskStatus(models.TextChoices):
    """Derived, never stored: see status.py for the rules."""

    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    LATE = "late", "滞后"


class Indicator(models.TextChoices):
    """What a target counts. Computed ones are read from the platform's own data; reported ones from reports."""

    # From the 以购助扶成果统计表 (the merged table of the same region and period, so the figures agree).
    AMOUNT_TOTAL = "amount_total", "购买金额（元）"
    POOR_HOUSEHOLDS = "poor_households", "带动贫困户（户）"
    BUYER_UNITS = "buyer_units", "参与购买的帮扶单位（个）"
    OUTLETS_COUNTER = "outlets_counter", "社区超市专柜（个）"
    OUTLETS_ONLINE_SHOP = "outlets_online_shop", "QQ/微信超市（个）"
    OUTLETS_SERVICE_STORE = "outlets_service_store", "便民服务店（个）"
    OUTLETS_TEMP_MARKET = "outlets_temp_market", "临时小集市（个）"
    OUTLETS_ECOMMERCE = "outlets_ecommerce", "电商网点（个）"
    # From the other registers of the platform.
    CERTIFIED_PRODUCTS = "certified_products", "认定扶贫产品（个）"
    SHARE_COMPLETION = "share_completion", "预留份额完成率（%）"
    COOPERATIVES = "cooperatives", "农民专业合作社（个）"
    RESCUED_VALUE = "rescued_value", "帮销滞销农产品金额（元）"
    # The supply-and-marketing co-op network (network models in this app).
    GRASSROOTS_COOPS = "grassroots_coops", "基层社（个）"
    SERVICE_CENTRES = "service_centres", "村级综合服务社（个）"
    CHAIN_STORES = "chain_stores", "连锁超市/便民店（家）"
    DISTRIBUTION_CENTRES = "distribution_centres", "配送中心（个）"
    TRUSTEESHIP_MU = "trusteeship_mu", "土地托管面积（亩）"
    TRUSTEESHIP_HOUSEHOLDS = "trusteeship_households", "土地托管户数（户）"
    # Entered as progress reports with evidence.
    REPORTED = "reported", "填报指标（按进度报告）"


STATS_INDICATORS = {
    Indicator.AMOUNT_TOTAL,
    Indicator.POOR_HOUSEHOLDS,
    Indicator.BUYER_UNITS,
    Indicator.OUTLETS_COUNTER,
    Indicator.OUTLETS_ONLINE_SHOP,
    Indicator.OUTLETS_SERVICE_STORE,
    Indicator.OUTLETS_TEMP_MARKET,
    Indicator.OUTLETS_ECOMMERCE,
}


class SiteKind(models.TextChoices):
    """Kinds of the supply-and-marketing co-op network (供销社网络)."""

    GRASSROOTS_COOP = "grassroots_coop", "基层社"
    SERVICE_CENTRE = "service_centre", "村级综合服务社"
    CHAIN_STORE = "chain_store", "连锁超市/便民店"
    DISTRIBUTION_CENTRE = "distribution_centre", "配送中心"


SITE_INDICATORS = {
    Indicator.GRASSROOTS_COOPS: SiteKind.GRASSROOTS_COOP,
    Indicator.SERVICE_CENTRES: SiteKind.SERVICE_CENTRE,
    Indicator.CHAIN_STORES: SiteKind.CHAIN_STORE,
    Indicator.DISTRIBUTION_CENTRES: SiteKind.DISTRIBUTION_CENTRE,
}


class FindingStatus(models.TextChoices):
    OPEN = "open", "整改中"
    CLOSED = "closed", "已整改销号"


class SubjectKind(models.TextChoices):
    """Who an assessment scores."""

    REGION = "region", "按地区"
    UNIT = "unit", "按责任单位"


class ItemSource(models.TextChoices):
    """What an assessment item measures: a target's completion, or the share of tasks done."""

    TARGET = "target", "目标完成率"
    TASKS = "tasks", "任务按期完成率"


class ReminderKind(models.TextChoices):
    DUE = "due", "任务临近截止"
    ROUND = "round", "本轮调度待报送"
    RECTIFY = "rectify", "整改临近期限"
