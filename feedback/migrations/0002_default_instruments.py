"""Stemme's own default instruments, written for children (not the licensed ORS/SRS wording)."""

from django.db import migrations

from feedback.defaults import ensure_default_instruments


def create(apps, schema_editor):
    ensure_default_instruments(
        apps.get_model("feedback", "Instrument"),
        apps.get_model("feedback", "InstrumentVersion"),
        apps.get_model("feedback", "Item"),
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
