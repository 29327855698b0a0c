"""Warnings are rewritten by every day's scan (days left, quantity left, reason): pages keep room for the new row
versions (fillfactor 60 on PostgreSQL), so an update stays on its page and touches no index (a HOT update), and the
village is indexed once instead of three times (the foreign key's index and its pattern twin were repeats of
warning_village_prefix)."""

import django.db.models.deletion
from django.db import migrations, models


def roomier_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE supply_warning SET (fillfactor = 60)")


def full_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE supply_warning RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_region_region_code_prefix"),
        ("supply", "0002_cases"),
    ]

    operations = [
        migrations.AlterField(
            model_name="warning",
            name="village",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="所在村",
            ),
        ),
        migrations.RunPython(roomier_pages, full_pages, elidable=False),
    ]
