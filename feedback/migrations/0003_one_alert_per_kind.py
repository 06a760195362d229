from django.db import migrations, models


def drop_race_duplicates(apps, schema_editor):
    """A double tap on the last answer could raise the same alert twice (before this migration
    there was no constraint). Those copies are the same signal about the same answer; the
    earliest is kept with any acknowledgement carried over, the copies go."""
    FeedbackAlert = apps.get_model("feedback", "FeedbackAlert")
    seen = {}
    for alert in FeedbackAlert.objects.order_by("response_id", "kind", "created_at", "pk"):
        key = (alert.response_id, alert.kind)
        first = seen.get(key)
        if first is None:
            seen[key] = alert
            continue
        if first.acknowledged_at is None and alert.acknowledged_at is not None:
            first.acknowledged_at = alert.acknowledged_at
            first.acknowledged_by_id = alert.acknowledged_by_id
            first.note = alert.note
            first.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
        alert.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_default_instruments"),
    ]

    operations = [
        migrations.RunPython(drop_race_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="feedbackalert",
            constraint=models.UniqueConstraint(
                fields=("response", "kind"), name="one_alert_per_kind"
            ),
        ),
    ]
