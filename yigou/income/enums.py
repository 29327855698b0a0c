"""Choices of the household income card and the return-to-poverty monitoring: income components, where an entry
came from, the items of 两不愁三保障 (with drinking water) checked each year.

The monitoring groups a scan suggests are the registry's `MonitorType` (脱贫不稳定户, 边缘易致贫户, 突发严重困难户),
so a suggestion can later be recorded on the household's status history as it stands.
"""

from __future__ import annotations

from django.db import models


class Component(models.TextChoices):
    WAGE = "wage", "工资性收入"
    BUSINESS = "business", "经营性收入"
    PROPERTY = "property", "财产性收入"
    TRANSFER = "transfer", "转移性收入"
    COST = "cost", "生产经营性支出"


# Added to the net income; `COST` is subtracted.
INCOME_COMPONENTS = (Component.WAGE, Component.BUSINESS, Component.PROPERTY, Component.TRANSFER)


class Source(models.TextChoices):
    SURVEY = "survey", "入户调查"
    IMPORT = "import", "年度导入"
    DISTRIBUTION = "distribution", "收益分配"
    OTHER = "other", "其他"


class SecurityItem(models.TextChoices):
    """两不愁三保障 and drinking water: what a household's annual check covers."""

    EDUCATION = "education", "义务教育有保障（无辍学）"
    MEDICAL = "medical", "基本医疗有保障（参保）"
    HOUSING = "housing", "住房安全有保障（鉴定）"
    WATER = "water", "饮水安全有保障"


# --- 防止返贫动态监测: the monitoring case, its discovery, its procedure and its measures ---


class RiskType(models.TextChoices):
    ILLNESS = "illness", "因病"
    SCHOOLING = "schooling", "因学"
    DISABILITY = "disability", "因残"
    DISASTER = "disaster", "因灾"
    ACCIDENT = "accident", "因意外"
    UNEMPLOYMENT = "unemployment", "因失业/务工不稳"
    BUSINESS_FAILURE = "business_failure", "产业失败"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    """How a household at risk was found."""

    DECLARATION = "declaration", "农户自主申报"
    VISIT = "visit", "干部排查走访"
    SCREENING = "screening", "部门筛查预警"
    SCAN = "scan", "系统监测预警"


class CaseStatus(models.TextChoices):
    IDENTIFYING = "identifying", "识别中"
    REJECTED = "rejected", "不予纳入"
    MONITORED = "monitored", "监测帮扶中"
    CLEARING = "clearing", "风险消除审核中"
    CLEARED = "cleared", "已消除风险"


OPEN_STATUSES = (CaseStatus.IDENTIFYING, CaseStatus.MONITORED, CaseStatus.CLEARING)


class Phase(models.TextChoices):
    IDENTIFY = "identify", "识别纳入"
    CLEAR = "clear", "风险消除"


class StepKind(models.TextChoices):
    FLAG = "flag", "发现登记（申请/预警）"
    HOME_CHECK = "home_check", "入户核查"
    VILLAGE_REVIEW = "village_review", "村级民主评议并公示"
    TOWNSHIP_REVIEW = "township_review", "乡镇审核"
    COUNTY_APPROVAL = "county_approval", "县级审批"
    ANNOUNCEMENT = "announcement", "公告"


# The steps of each phase in their legal order; 风险消除 repeats the review steps without flag and home check.
PHASE_STEPS: dict[str, list[str]] = {
    Phase.IDENTIFY: [
        StepKind.FLAG,
        StepKind.HOME_CHECK,
        StepKind.VILLAGE_REVIEW,
        StepKind.TOWNSHIP_REVIEW,
        StepKind.COUNTY_APPROVAL,
        StepKind.ANNOUNCEMENT,
    ],
    Phase.CLEAR: [
        StepKind.VILLAGE_REVIEW,
        StepKind.TOWNSHIP_REVIEW,
        StepKind.COUNTY_APPROVAL,
        StepKind.ANNOUNCEMENT,
    ],
}
# Steps at which the reviewers may refuse: 不予纳入 (identification) or 不予消除 (clearance).
REVIEW_STEPS = (StepKind.VILLAGE_REVIEW, StepKind.TOWNSHIP_REVIEW, StepKind.COUNTY_APPROVAL)


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", "产业帮扶"
    EMPLOYMENT = "employment", "就业帮扶"
    CONSUMPTION = "consumption", "消费帮扶"
    FINANCE = "finance", "金融帮扶"
    EDUCATION = "education", "教育帮扶"
    MEDICAL = "medical", "医疗帮扶"
    HOUSING = "housing", "住房保障"
    SAFETY_NET = "safety_net", "综合保障/兜底"


class MeasureStatus(models.TextChoices):
    OPEN = "open", "实施中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class DeclarationStatus(models.TextChoices):
    NEW = "new", "待核实"
    CASE_OPENED = "case_opened", "已立为监测对象"
    DISMISSED = "dismissed", "核实后不予受理"


class Department(models.TextChoices):
    """The departments whose lists are screened, each with the risk its rows mean by default."""

    MEDICAL = "medical", "医保部门（医疗费用）"
    EMERGENCY = "emergency", "应急管理部门（灾害）"
    HUMAN_RESOURCES = "human_resources", "人社部门（失业）"


DEPARTMENT_RISK = {
    Department.MEDICAL: RiskType.ILLNESS,
    Department.EMERGENCY: RiskType.DISASTER,
    Department.HUMAN_RESOURCES: RiskType.UNEMPLOYMENT,
}
