from django.db import migrations


def forwards(apps, schema_editor):
    from yigou.reporting.builtin import load

    load(
        apps.get_model("reporting", "Form"),
        apps.get_model("reporting", "Section"),
        apps.get_model("reporting", "DataElement"),
        apps.get_model("reporting", "Rule"),
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
