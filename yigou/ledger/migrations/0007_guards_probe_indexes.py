"""The partition guards probe the purchase indexes (see PROBE in yigou/ledger/partitions.py)."""

from django.db import migrations

from yigou.ledger.partitions import probe_by_index


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            probe_by_index(cursor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_purchasekey_partitions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
