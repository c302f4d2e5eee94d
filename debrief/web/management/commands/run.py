"""`debrief run`: the web server and the background task worker, started and stopped together."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

# How long each child gets to finish what it is doing after SIGTERM before it is killed.
STOP_TIMEOUT = 15.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Serve Debrief with gunicorn and run the background task worker beside it. Ctrl-C "
        "(or SIGTERM) stops both and exits 0; if either stops on its own, the other is "
        "stopped too and the command exits non-zero."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--workers", type=int, default=2, help="Web server processes (default: 2)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port, workers = options["host"], options["port"], options["workers"]
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        self._stopping = False
        # WhiteNoise serves from the apps' folders (WHITENOISE_USE_FINDERS) but warns at every
        # start when STATIC_ROOT is missing; an empty one keeps the log clean.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        # Tasks left RUNNING by a worker that died are queued again (requeue_stale_tasks);
        # a database not migrated yet is reported with the announcement below.
        with contextlib.suppress(DatabaseError):
            call_command("requeue_stale_tasks", stdout=self.stdout, stderr=self.stderr)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in STOP_SIGNALS}
        children: dict[str, subprocess.Popen[bytes]] = {}
        try:
            children["web server"] = self._start(
                [
                    "-m",
                    "gunicorn",
                    "debrief.wsgi",
                    f"--bind=[{host}]:{port}" if ":" in host else f"--bind={host}:{port}",
                    f"--workers={workers}",
                    "--graceful-timeout=10",
                    "--access-logfile=-",
                    # Its control socket is one path per machine user: two instances (a
                    # test run beside `make run`) would fight over it, and nothing uses it.
                    "--no-control-socket",
                ]
            )
            children["task worker"] = self._start(["-m", "debrief.cli", "db_worker", "--no-reload"])
            self._announce(host, port)
            failed = self._wait(children)
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed:
            raise CommandError(f"The {failed} stopped, so Debrief stopped too.")
        self.stdout.write("Debrief stopped.")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _start(self, arguments: list[str]) -> subprocess.Popen[bytes]:
        # The same interpreter, settings and working directory as this command. A process
        # group of its own keeps the terminal's Ctrl-C away from the children: this command
        # alone decides how they stop, so a running task is not hit by two signals.
        return subprocess.Popen(
            [sys.executable, *arguments],
            cwd=settings.BASE_DIR,
            env={"DJANGO_SETTINGS_MODULE": "debrief.settings", **os.environ},
            process_group=0,
        )

    def _wait(self, children: dict[str, subprocess.Popen[bytes]]) -> str | None:
        """Wait for a stop signal (returns None) or a child that exits (returns its name)."""
        while not self._stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"The {name} exited with code {child.returncode}.")
                    return name
            time.sleep(0.2)
        return None

    def _stop(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        running = [child for child in children.values() if child.poll() is None]
        if running:
            self.stdout.write("Stopping the web server and the task worker…")
        for child in running:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in running:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def _announce(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        if ":" in shown:
            shown = f"[{shown}]"
        self.stdout.write(
            self.style.SUCCESS(f"Debrief is running at http://{shown}:{port}/")
            + "  (Ctrl-C stops the web server and the task worker)"
        )
        from debrief.demo import generate, words

        try:
            logins = generate.demo_logins()
        except DatabaseError:
            self.stderr.write("The database is not ready: run `debrief migrate` first.")
            return
        if logins:
            self.stdout.write(f"Demo logins (password: {words.PASSWORD}):")
            for role, email in logins.items():
                self.stdout.write(f"  {role:<8} {email}")
