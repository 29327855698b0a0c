"""Each purchase line keeps its purchase's date (`purchase_date`), with an index by product and date for the price
statistics of recent days; existing lines take their purchase's date."""

from django.db import migrations, models

BACKFILL = {
    "postgresql": "UPDATE ledger_purchaseline l SET purchase_date = p.date FROM ledger_purchase p WHERE p.id = l.purchase_id",
    "sqlite": "UPDATE ledger_purchaseline SET purchase_date = "
    "(SELECT p.date FROM ledger_purchase p WHERE p.id = ledger_purchaseline.purchase_id)",
}


def backfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BACKFILL[schema_editor.connection.vendor])
        if schema_editor.connection.vendor == "postgresql":
            # Every row was rewritten: without fresh statistics the planner takes the new column for rare.
            cursor.execute("ANALYZE ledger_purchaseline")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_guards_probe_indexes")]

    operations = [
        migrations.AddField(
            model_name="purchaseline",
            name="purchase_date",
            field=models.DateField(null=True, verbose_name="购买日期"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="purchaseline",
            name="purchase_date",
            field=models.DateField(verbose_name="购买日期"),
        ),
        migrations.AddIndex(
            model_name="purchaseline",
            index=models.Index(
                condition=models.Q(("quantity__gt", 0)),
                fields=["product", "purchase_date"],
                include=("unit", "unit_price"),
                name="ledger_line_sold_price",
            ),
        ),
    ]
