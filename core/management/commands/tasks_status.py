"""For the operator's monitoring: is a worker alive, is anything stuck, has anything failed?"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.worker import recover_abandoned, status


class Command(BaseCommand):
    help = (
        "Show the background work: live workers, tasks waiting, running and failed (the latest "
        "failures named). Exits 1 when no worker is alive, a task waits too long or one failed "
        "since --since-hours, so it can drive an alarm. --recover takes up abandoned tasks now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since-hours", type=int, default=24)
        parser.add_argument("--recover", action="store_true")

    def handle(self, *args, since_hours, recover, **options):
        if recover:
            self.stdout.write(f"Taken up again: {recover_abandoned()}")
        now = timezone.now()
        state = status(now)
        workers = ", ".join(state["live_workers"]) or "none"
        self.stdout.write(f"Live workers: {workers}")
        self.stdout.write(
            f"Waiting: {state['ready']} (too long: {state['waiting_too_long']}); "
            f"running: {state['running']}; failed in all: {state['failed']}"
        )
        recent_failures = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED,
            finished_at__gte=now - timezone.timedelta(hours=since_hours),
        ).order_by("-finished_at")
        for task in recent_failures[:20]:
            self.stdout.write(
                f"FAILED {task.finished_at:%Y-%m-%d %H:%M} {task.task_path} "
                f"({task.exception_class_path})"
            )
        problems = []
        if not state["live_workers"]:
            problems.append("no worker is alive")
        if state["waiting_too_long"]:
            problems.append(f"{state['waiting_too_long']} task(s) wait too long")
        if recent_failures.exists():
            problems.append(f"{recent_failures.count()} task(s) failed")
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write("All well.")
