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
