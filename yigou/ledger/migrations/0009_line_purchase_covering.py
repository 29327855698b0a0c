"""A line's purchase index also holds the product, unit and quantity the scan's sold sums read (an index-only
scan instead of one heap fetch per line); it replaces the foreign key's plain index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0008_line_purchase_date"),
        ("market", "0003_products_returned_status_revoked_on"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="purchaseline",
            index=models.Index(
                fields=["purchase"], include=("product", "unit", "quantity"), name="ledger_line_purchase"
            ),
        ),
        migrations.AlterField(
            model_name="purchaseline",
            name="purchase",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lines",
                to="ledger.purchase",
                verbose_name="购买记录",
            ),
        ),
    ]
