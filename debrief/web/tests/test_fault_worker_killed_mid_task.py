"""A task worker killed mid-task (SIGKILL): the task is queued again and run by the next
worker, and its effect (the new owner's email and notification) happens exactly once, even
when the task body runs a second time.

The worker is a real process on a SQLite file of its own, and mail goes to SMTP servers run
by the test: a silent one that holds the first worker inside the task until it is killed,
then a real one that counts what arrives."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from debrief.pipeline import actions

DEBRIEF = str(Path(sys.executable).with_name("debrief"))
ASSIGNED = "debrief.pipeline.tasks.send_deal_assigned"

# The world of the subprocess test, made through the same actions the app uses.
SETUP = """
from decimal import Decimal
from debrief.org.models import Team, User
from debrief.pipeline import actions
north = Team.objects.create(name="North")
maya = User.objects.create_user("maya@example.com", "x", full_name="Maya Moreau", role="manager")
rita = User.objects.create_user("rita@example.com", "x", full_name="Rita Reyes", role="rep")
nico = User.objects.create_user("nico@example.com", "x", full_name="Nico Nowak", role="rep")
north.managers.add(maya)
north.members.add(rita, nico)
customer = actions.create_customer(None, name="Harbor Logistics", team=north)
deal = actions.create_deal(None, name="Harbor renewal", owner=rita, customer=customer,
                           amount=Decimal("25000"))
actions.update_deal(deal, maya, owner=nico)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SilentServer:
    """Accepts connections and never answers: an SMTP client waits on its greeting."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.connected = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            while True:
                conn, _ = self.sock.accept()
                self.held.append(conn)
                self.connected.set()
        except OSError:
            return

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A migrated SQLite file with a deal just handed from Rita to Nico (one task queued)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "debrief.settings",
        "DEBRIEF_VAR_DIR": str(tmp_path),
        "EMAIL_TIMEOUT": "120",
    }
    env.pop("DATABASE_URL", None)
    run = {"env": env, "cwd": settings.BASE_DIR, "check": True, "capture_output": True}
    subprocess.run([DEBRIEF, "migrate", "-v0"], **run, timeout=300)  # type: ignore[call-overload]
    subprocess.run([DEBRIEF, "shell", "-c", SETUP], **run, timeout=120)  # type: ignore[call-overload]
    yield {"env": env, "db": tmp_path / "debrief.sqlite3", "run": run}


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def _worker(env: dict[str, str], smtp_port: int, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [DEBRIEF, "worker", "--no-startup-delay", "--interval", "0.2", *extra],
        env={**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)},
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_task_whose_worker_is_killed_runs_again_and_tells_once(world):
    env, db = world["env"], world["db"]
    tasks = f"SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = '{ASSIGNED}'"
    notifications = "SELECT user_id, key FROM notify_notification"
    silent, inbox = SilentServer(), Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        # given: a worker inside the task, waiting on the mail server
        first = _worker(env, silent.port)
        assert silent.connected.wait(timeout=90), first.stderr and first.stderr.read()
        assert _query(db, tasks) == [("RUNNING",)]

        # when: it is killed, the stale task queued again, and another worker runs
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        requeue = [DEBRIEF, "requeue_stale_tasks", "--older-than", "0"]
        out = subprocess.run(requeue, **world["run"], timeout=120)
        second = _worker(env, smtp.port, "--batch")
        second.wait(timeout=120)

        # then: the task ran once more to the end; Nico is told once, by email and in the app
        assert b"Queued again 1 task(s)" in out.stdout
        assert second.returncode == 0, second.stderr and second.stderr.read()
        assert _query(db, tasks) == [("SUCCESSFUL",)]
        assert inbox.recipients == [["nico@example.com"]]
        assert len(_query(db, notifications)) == 1

        # when: the task body runs yet again (as after a worker that was only slow)
        _query(
            db,
            "UPDATE django_tasks_database_dbtaskresult SET status = 'READY' "
            f"WHERE task_path = '{ASSIGNED}'",
        )
        third = _worker(env, smtp.port, "--batch")
        third.wait(timeout=120)

        # then: it finds the assignment told already and tells nobody again
        assert _query(db, tasks) == [("SUCCESSFUL",)]
        assert inbox.recipients == [["nico@example.com"]]
        assert len(_query(db, notifications)) == 1
    finally:
        smtp.stop()
        silent.close()


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_queues_again_tasks_left_running_at_its_start(
    keep_signal_handlers, maya, rita, nico, make_deal
):
    # given: a task claimed eleven minutes ago by a worker that is gone, and a fresh one
    deal = make_deal(rita)
    actions.update_deal(deal, maya, owner=nico)
    stale = DBTaskResult.objects.get(task_path=ASSIGNED)
    long_ago = timezone.now() - dt.timedelta(minutes=11)
    DBTaskResult.objects.filter(pk=stale.pk).update(status="RUNNING", started_at=long_ago)
    actions.update_deal(deal, maya, owner=rita)
    fresh = DBTaskResult.objects.filter(task_path=ASSIGNED).exclude(pk=stale.pk).get()
    DBTaskResult.objects.filter(pk=fresh.pk).update(status="RUNNING", started_at=timezone.now())
    mail.outbox.clear()

    # when
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    # then: the stale one ran (Nico is no longer the owner: nothing to tell), the other is
    # left to the worker that is still running it
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == TaskResultStatus.SUCCESSFUL
    assert stale.return_value is False
    assert fresh.status == TaskResultStatus.RUNNING
    assert mail.outbox == []
