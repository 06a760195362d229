"""Queue e-mail reminders for contributors who are behind with the life book (run daily)."""

from django.core.management.base import BaseCommand

from lifebook.tasks import enqueue_reminders


class Command(BaseCommand):
    help = (
        "Queue a reminder e-mail for every contributor behind their life book cadence; the "
        "worker (manage.py db_worker) sends them. Run it once a day, for example from cron."
    )

    def handle(self, *args, **options):
        queued = enqueue_reminders()
        self.stdout.write(f"Queued {queued} life book reminders.")
