"""The background worker's safety net, tested with real worker processes, a real SMTP
stand-in and kill -9: a child's alarm is never lost, never sent twice, and when it has not gone
out the pages say so."""

import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import WorkerHeartbeat
from core.worker import ABANDONED, heartbeat, recover_abandoned, send_mail_once
from portal.models import TalkKind, TalkRequest
from portal.tasks import send_talk_alert

ROOT = Path(__file__).resolve().parent.parent


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: every message is kept on the server."""

    def handle(self):
        self.wfile.write(b"220 stand-in\r\n")
        in_data, lines = False, []
        for line in self.rfile:
            if in_data:
                if line in (b".\r\n", b".\n"):
                    self.server.messages.append(b"".join(lines))
                    in_data, lines = False, []
                    self.wfile.write(b"250 kept\r\n")
                else:
                    lines.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 fine\r\n")


class SMTPStandIn(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(smtp_port: int, mail_timeout: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stemme.settings",
        "SECRET_KEY": "test-only-secret-key-not-for-production-use-0123456789",
        "DATABASE_URL": _database_url(),
        "STEMME_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "STEMME_EMAIL_HOST": "127.0.0.1",
        "STEMME_EMAIL_PORT": str(smtp_port),
        "STEMME_EMAIL_TIMEOUT_SECONDS": str(mail_timeout),
        "STEMME_WORKER_HEARTBEAT_SECONDS": "1",
        "STEMME_WORKER_STALE_SECONDS": "3",
        "STEMME_AUDIT_KEY": os.environ["STEMME_AUDIT_KEY"],  # set by the test settings
        "STEMME_AUDIT_ANCHORS": tempfile.mkdtemp(prefix="stemme-test-anchors-"),
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "urgent"]
    return subprocess.Popen(  # noqa: S603 - our own manage.py, no shell
        [*command, "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _task_status(task_id) -> str:
    return DBTaskResult.objects.values_list("status", flat=True).get(pk=task_id)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_a_childs_alarm_is_taken_up_and_the_mail_goes_once(
    child, caseworker
):
    caseworker.email = "rikke@roskilde.example"
    caseworker.save(update_fields=["email"])
    talk = TalkRequest.objects.create(child=child, kind=TalkKind.UNSAFE)
    task_id = send_talk_alert.enqueue(talk.pk).id

    # A mail server that accepts the connection and never says a word: the worker hangs in it.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    first = _start_worker(silent.getsockname()[1], mail_timeout=120)
    try:
        _wait_for(lambda: _task_status(task_id) == "RUNNING", 60, "the first worker to claim")
        first.kill()  # kill -9, mid-send
        first.wait(10)
    finally:
        first.kill()
        silent.close()
    assert _task_status(task_id) == "RUNNING"  # left behind, as the crash left it

    smtp = SMTPStandIn()
    second = _start_worker(smtp.port, mail_timeout=10)
    try:
        _wait_for(lambda: _task_status(task_id) == "SUCCESSFUL", 90, "the alarm to go out")
        time.sleep(3)  # a few more heartbeats: nothing is sent again
    finally:
        second.terminate()
        second.wait(10)
        smtp.shutdown()
    assert len(smtp.messages) == 1
    assert "Jeg føler mig ikke tryg".encode() in smtp.messages[0]
    talk.refresh_from_db()
    assert talk.notified == "rikke@roskilde.example"
    assert len(DBTaskResult.objects.get(pk=task_id).worker_ids) == 2


@pytest.mark.django_db
def test_a_running_task_of_a_silent_worker_is_put_back_and_a_live_workers_is_left_alone():
    heartbeat(worker_id="alive", queues="default")
    alive = send_talk_alert.enqueue(1).id
    dead = send_talk_alert.enqueue(2).id
    DBTaskResult.objects.filter(pk=alive).update(status="RUNNING", worker_ids=["alive"])
    DBTaskResult.objects.filter(pk=dead).update(status="RUNNING", worker_ids=["gone"])
    assert recover_abandoned() == 1
    assert _task_status(alive) == "RUNNING"
    assert _task_status(dead) == "READY"
    # The same worker id, silent for longer than the limit: its task goes back too.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    assert recover_abandoned() == 1 and _task_status(alive) == "READY"


@pytest.mark.django_db
def test_a_task_abandoned_three_times_fails_for_good_and_the_operator_sees_it():
    task_id = send_talk_alert.enqueue(1).id
    DBTaskResult.objects.filter(pk=task_id).update(status="RUNNING", worker_ids=["a", "b", "c"])
    recover_abandoned()
    task = DBTaskResult.objects.get(pk=task_id)
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path == ABANDONED
    with pytest.raises(CommandError, match="no worker is alive.*failed"):
        call_command("tasks_status")


@pytest.mark.django_db
def test_tasks_status_is_quiet_when_a_worker_is_alive_and_nothing_waits(capsys):
    heartbeat(worker_id="w1", queues="urgent")
    call_command("tasks_status")
    assert "All well." in capsys.readouterr().out


@pytest.mark.django_db
def test_an_urgent_mail_goes_once_per_key_and_a_reminder_is_recorded_before_it_is_sent():
    for _ in range(2):
        send_mail_once(key="talk:7", subject="s", body="b", recipients=["a@x.dk"], urgent=True)
    assert len(mail.outbox) == 1
    send_mail_once(key="reminder:1", subject="s", body="b", recipients=["a@x.dk"], urgent=False)
    send_mail_once(key="reminder:1", subject="s", body="b", recipients=["a@x.dk"], urgent=False)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_an_alarm_that_did_not_go_out_is_said_so_to_the_caseworker_and_the_child(
    child, caseworker, client_for
):
    from conftest import make_portal_child

    talk = TalkRequest.objects.create(child=child, kind=TalkKind.UNSAFE)
    TalkRequest.objects.filter(pk=talk.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    warning = "Mailen om det er ikke sendt endnu"
    staff = client_for(caseworker)
    assert warning in staff.get(reverse("cases:start")).content.decode()
    assert warning in staff.get(reverse("cases:child", args=[child.pk])).content.decode()
    _access, _code, portal = make_portal_child(child, caseworker)
    home = portal.get(reverse("portal:home")).content.decode()
    assert "vi har ikke fået fat i din rådgiver endnu" in home
    TalkRequest.objects.filter(pk=talk.pk).update(notified="rikke@roskilde.example")
    assert warning not in staff.get(reverse("cases:start")).content.decode()
    home = portal.get(reverse("portal:home")).content.decode()
    assert "vi har ikke fået fat i din rådgiver endnu" not in home
    assert "Din rådgiver ved det" in home


@pytest.mark.django_db
def test_a_book_that_waits_too_long_for_the_worker_says_so(child, caseworker, client_for):
    from lifebook.models import BookExport

    export = BookExport.objects.create(child=child, requested_by=caseworker)
    url = reverse("lifebook:book_status", args=[child.pk, export.pk])
    client = client_for(caseworker)
    slow = "Det tager længere tid, end det burde"
    assert slow not in client.get(url).content.decode()
    BookExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    assert slow in client.get(url).content.decode()
