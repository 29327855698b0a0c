from django.db import models


class CanteenMode(models.TextChoices):
    """How a budget unit's canteen is run decides what it files and whose purchases count to it."""

    OWN = "own", "自有食堂"
    SHARED = "shared", "共用食堂（本单位合并填报）"
    MERGED = "merged", "共用食堂（由其他单位合并填报）"
    NONE = "none", "无食堂"
    OUTSOURCED = "outsourced", "食堂委托经营（承包方代购）"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "已退回"


# A filing counts as filed (已填报) once it has been submitted, whatever the review says afterwards.
FILED = (FilingStatus.SUBMITTED, FilingStatus.APPROVED)
EDITABLE = (FilingStatus.DRAFT, FilingStatus.RETURNED)
