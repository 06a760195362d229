"""Stemme's background worker: django-tasks-db's db_worker with a heartbeat, so that tasks of
a worker that was killed are taken up again (core/worker.py). Same options as the library's.

Run two in production: `db_worker --queue-name urgent` (a child's alarm, nothing else) and
`db_worker --queue-name default,urgent` (everything, alarms first by priority)."""

import threading

from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from core.worker import start_heartbeat


class Command(LibraryWorkerCommand):
    help = (
        "Run the background worker. It keeps a heartbeat and takes up again the tasks of a "
        "worker that stopped mid-task."
    )

    def handle(self, *args, **options):
        stop = threading.Event()
        start_heartbeat(worker_id=options["worker_id"], queues=options["queue_name"], stop=stop)
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
