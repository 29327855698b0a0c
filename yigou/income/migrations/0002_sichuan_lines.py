"""Monitoring lines of 四川 (province 51) for 2018–2026.

These are DEMO VALUES of plausible size (the national poverty line of each year, then the monitoring lines provinces
published after 2020, rounded): the province sets the real lines, and they are kept in the table, not in code.
"""

from decimal import Decimal

from django.db import migrations

SICHUAN = "510000000000"
LINES = {
    2018: "3535",
    2019: "3750",
    2020: "4000",
    2021: "6000",
    2022: "6300",
    2023: "6600",
    2024: "7000",
    2025: "7300",
    2026: "7600",
}
NOTE = "演示值，以省级公布的监测线为准"


def seed(apps, schema_editor):
    MonitoringLine = apps.get_model("income", "MonitoringLine")
    for year, amount in LINES.items():
        MonitoringLine.objects.update_or_create(
            year=year, province_code=SICHUAN, defaults={"amount": Decimal(amount), "note": NOTE}
        )


def unseed(apps, schema_editor):
    MonitoringLine = apps.get_model("income", "MonitoringLine")
    MonitoringLine.objects.filter(province_code=SICHUAN, year__in=list(LINES), note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("income", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
