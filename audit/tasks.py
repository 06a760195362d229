"""The worker anchors the access log on a schedule (STEMME_AUDIT_ANCHOR_MINUTES): a task that
queues its own next run before it writes, so a failed write never stops the schedule. Exactly
one run waits at a time; `migrate` (every deploy) and `audit_anchor` start the schedule when
none waits, so it also comes back after a queue was emptied."""

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django_tasks import task, task_backends

from audit.anchors import anchor_write


@task()
def anchor_scheduled() -> str:
    """Queue the next anchor, then write this one outside the database."""
    anchor_schedule(waiting_besides_me=1)
    anchor = anchor_write()
    return anchor.line() if anchor else ""


def _waiting(using: str):
    """The anchor runs queued and not finished (None when the backend keeps no queue)."""
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return None
    if not isinstance(task_backends[anchor_scheduled.backend], DatabaseBackend):
        return None
    return (
        DBTaskResult.objects.using(using)
        .filter(
            task_path=anchor_scheduled.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        )
        .count()
    )


def anchor_schedule(*, using: str = DEFAULT_DB_ALIAS, waiting_besides_me: int = 0) -> bool:
    """Queue the next anchor run unless one is already waiting; True when one was queued."""
    if not settings.STEMME_AUDIT_ANCHORS:
        return False
    waiting = _waiting(using)
    if waiting is None or waiting > waiting_besides_me:
        return False
    run_after = timezone.now() + timedelta(minutes=settings.STEMME_AUDIT_ANCHOR_MINUTES)
    anchor_scheduled.using(run_after=run_after).enqueue()
    return True
