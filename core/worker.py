"""The background worker's safety net: a heartbeat per worker, abandoned tasks taken up again,
mail sent once, and a status an operator (and the pages) can read.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again; a
worker killed mid-task (kill -9, a crash, a reboot) would leave it RUNNING for ever. Each of
Stemme's workers writes a heartbeat; a RUNNING task whose worker has been silent for
STEMME_WORKER_STALE_SECONDS is put back in its queue, up to STEMME_TASK_MAX_ATTEMPTS claims.
"""

import os
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import SentMail, WorkerHeartbeat

ABANDONED = "core.worker.AbandonedTask"


def heartbeat(*, worker_id: str, queues: str, started_at=None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id[:64],
        defaults={
            "queues": queues[:200],
            "pid": os.getpid(),
            "seen_at": now,
            "started_at": started_at or now,
        },
    )


def live_worker_ids(now=None) -> set[str]:
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.STEMME_WORKER_STALE_SECONDS)
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=stale).values_list("worker_id", flat=True)
    )


def recover_abandoned(now=None) -> int:
    """Put every task whose worker has gone silent back in its queue (or fail it for good after
    too many claims). Returns how many tasks were taken up again or failed."""
    now = now or timezone.now()
    live = live_worker_ids(now)
    recovered = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("worker_ids")
    for task in running:
        holder = task.worker_ids[-1] if task.worker_ids else ""
        if holder in live:
            continue
        if len(task.worker_ids) >= settings.STEMME_TASK_MAX_ATTEMPTS:
            changes = {
                "status": TaskResultStatus.FAILED,
                "finished_at": now,
                "exception_class_path": ABANDONED,
                "traceback": f"The worker stopped while running this task "
                f"{len(task.worker_ids)} times; it is not tried again.",
            }
        else:
            changes = {"status": TaskResultStatus.READY, "started_at": None}
        # Conditional: a worker that wakes up and finishes the task in between keeps its result.
        recovered += DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING
        ).update(**changes)
    return recovered


def start_heartbeat(*, worker_id: str, queues: str, stop: threading.Event) -> threading.Thread:
    """A daemon thread that keeps this worker's heartbeat fresh and rescues other workers'
    abandoned tasks, whatever the worker itself is busy with."""
    started_at = timezone.now()
    heartbeat(worker_id=worker_id, queues=queues, started_at=started_at)
    recover_abandoned()

    def beat():
        while not stop.wait(settings.STEMME_WORKER_HEARTBEAT_SECONDS):
            try:
                close_old_connections()
                heartbeat(worker_id=worker_id, queues=queues, started_at=started_at)
                recover_abandoned()
            except Exception:  # noqa: BLE001 - a missed beat is retried; never kill the worker
                connections.close_all()
        connections.close_all()

    thread = threading.Thread(target=beat, name="stemme-heartbeat", daemon=True)
    thread.start()
    return thread


def send_mail_once(*, key: str, subject: str, body: str, recipients: list[str], urgent: bool):
    """Send one e-mail at most once per key. Returns True if this call sent it.

    An urgent mail (a child's alarm) is recorded as sent only after the mail server took it: a
    crash in between sends it again rather than never. Other mail (reminders) is recorded
    first: a crash in between loses that one reminder rather than sending it twice."""
    with transaction.atomic():
        try:
            mail, created = SentMail.objects.get_or_create(
                key=key[:200], defaults={"recipients": ", ".join(recipients)}
            )
        except IntegrityError:
            return False
    if mail.sent_at is not None or (not created and not urgent):
        return False
    if not urgent:
        SentMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now())
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    if urgent:
        SentMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now())
    return True


def status(now=None) -> dict:
    """What the operator (tasks_status) and the pages need to know about the background work."""
    now = now or timezone.now()
    waiting_too_long = now - timedelta(minutes=settings.STEMME_TASK_WAIT_WARNING_MINUTES)
    tasks = DBTaskResult.objects
    return {
        "live_workers": sorted(live_worker_ids(now)),
        "ready": tasks.filter(status=TaskResultStatus.READY).count(),
        "waiting_too_long": tasks.ready().filter(enqueued_at__lt=waiting_too_long).count(),
        "running": tasks.filter(status=TaskResultStatus.RUNNING).count(),
        "failed": tasks.filter(status=TaskResultStatus.FAILED).count(),
    }


def worker_is_alive() -> bool:
    return bool(live_worker_ids())
