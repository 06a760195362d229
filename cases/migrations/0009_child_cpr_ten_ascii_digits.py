# A CPR number is stored only as ten ASCII digits. Before, a number typed in other digits
# (full-width, Arabic-Indic) was stored as typed, so the same number could be a second child.
# Existing numbers are rewritten to ASCII digits first; if that makes two children of one
# municipality share a number, the migration stops and names them, so that a person merges
# them (nothing is deleted here).

import unicodedata

from django.conf import settings
from django.db import migrations, models


def ascii_digits(apps, schema_editor):
    Child = apps.get_model("cases", "Child")
    for child in Child.objects.exclude(cpr__regex=r"^[0-9]{10}$").iterator():
        digits = "".join(
            str(unicodedata.decimal(char)) for char in child.cpr if unicodedata.decimal(char, None) is not None
        )
        twin = Child.objects.filter(municipality_id=child.municipality_id, cpr=digits).first()
        if twin is not None:
            raise RuntimeError(
                f"Children {twin.pk} and {child.pk} have the same CPR number: merge them, then migrate."
            )
        Child.objects.filter(pk=child.pk).update(cpr=digits)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_alter_historicaluser_role_alter_user_role'),
        ('cases', '0008_case_system_ids_of_the_course'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(ascii_digits, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='child',
            constraint=models.CheckConstraint(condition=models.Q(('cpr__regex', '^[0-9]{10}$'), models.Q(('cpr__contains', '\n'), _negated=True)), name='child_cpr_ten_ascii_digits'),
        ),
    ]
