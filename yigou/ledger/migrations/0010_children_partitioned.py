"""Beneficiaries keep their purchase's date as lines do, and on PostgreSQL both are partitioned by it
(see yigou/ledger/partitions.py); SQLite fills the beneficiaries' dates from their purchases."""

import datetime as dt

from django.db import migrations, models

from yigou.ledger.partitions import partition_children

SQLITE_BACKFILL = (
    "UPDATE ledger_beneficiary SET purchase_date = "
    "(SELECT p.date FROM ledger_purchase p WHERE p.id = ledger_beneficiary.purchase_id)"
)


def dated_and_partitioned(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            partition_children(cursor)  # takes each beneficiary's date from its purchase while copying the rows
        else:
            cursor.execute(SQLITE_BACKFILL)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0009_line_purchase_covering")]

    operations = [
        # The placeholder is a constant default: PostgreSQL adds the column without rewriting the table, and the
        # next step writes every row once, with its purchase's date, into the partitions.
        migrations.AddField(
            model_name="beneficiary",
            name="purchase_date",
            field=models.DateField(default=dt.date(2013, 1, 1), verbose_name="购买日期"),
            preserve_default=False,
        ),
        migrations.RunPython(dated_and_partitioned, migrations.RunPython.noop, elidable=False),
    ]
