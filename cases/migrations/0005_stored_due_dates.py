
from django.conf import settings
from django.db import migrations, models

from core.dates import add_months


def fill_due_dates(apps, schema_editor):
    """Existing measures and decisions get the due dates the rules computed for them."""
    Measure = apps.get_model("cases", "Measure")
    Decision = apps.get_model("cases", "Decision")
    for measure in Measure.objects.only("pk", "started_on").iterator():
        Measure.objects.filter(pk=measure.pk).update(
            first_follow_up_due=add_months(
                measure.started_on, settings.STEMME_FIRST_FOLLOW_UP_MONTHS
            )
        )
    decisions = Decision.objects.filter(measure__isnull=False)
    for decision in decisions.only("pk", "decided_on", "without_consent").iterator():
        due = (
            decision.decided_on
            if decision.without_consent
            else add_months(decision.decided_on, settings.STEMME_PLAN_DEADLINE_MONTHS)
        )
        Decision.objects.filter(pk=decision.pk).update(plan_due=due)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_contributorlink_placement_and_more'),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='plan_due',
            field=models.DateField(db_index=True, editable=False, null=True, verbose_name='plan due'),
        ),
        migrations.AddField(
            model_name='historicaldecision',
            name='plan_due',
            field=models.DateField(db_index=True, editable=False, null=True, verbose_name='plan due'),
        ),
        migrations.AddField(
            model_name='historicalmeasure',
            name='first_follow_up_due',
            field=models.DateField(db_index=True, editable=False, null=True, verbose_name='first follow-up due'),
        ),
        migrations.AddField(
            model_name='measure',
            name='first_follow_up_due',
            field=models.DateField(db_index=True, editable=False, null=True, verbose_name='first follow-up due'),
        ),
        migrations.RunPython(fill_due_dates, migrations.RunPython.noop),
    ]
