from django.db import models


class Level(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "市级"
    COUNTY = 3, "县级"
    TOWNSHIP = 4, "乡级"
    VILLAGE = 5, "村级"


class Kind(models.TextChoices):
    ADMIN = "admin", "行政区划"
    ZONE = "zone", "功能区"


# Digits of the 12-digit code that identify a region of each level: its subtree shares this prefix.
PREFIX_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
