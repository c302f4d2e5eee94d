"""PostgreSQL restarted while the app serves requests: the app recovers by itself (the web
server is not restarted) and no acknowledged write is lost.

Runs a throwaway PostgreSQL cluster of its own (initdb, pg_ctl) and gunicorn with two
workers against it; a thread creates deals through the API the whole time."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

BIN = Path(sys.executable).parent
PG_TOOLS = ("initdb", "pg_ctl", "psql")

SETUP = """
from debrief.org.actions import create_api_token
from debrief.org.models import Team, User
from debrief.pipeline import actions
north = Team.objects.create(name="North")
rita = User.objects.create_user("rita@example.com", "x", full_name="Rita Reyes", role="rep")
north.members.add(rita)
customer = actions.create_customer(None, name="Harbor Logistics", team=north)
_, raw = create_api_token(rita, None, "fault test")
print("IDS", customer.pk, raw)
"""

pytestmark = [
    pytest.mark.skipif(
        any(shutil.which(tool) is None for tool in PG_TOOLS),
        reason="needs PostgreSQL's initdb, pg_ctl and psql on PATH to run a cluster of its own",
    ),
    # It runs a cluster of its own whatever the suite's database: once per CI run is enough,
    # in the PostgreSQL pass.
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs in the PostgreSQL pass of the suite (set DATABASE_URL to run it here)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    command = [shutil.which(command[0]) or command[0], *command[1:]]
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-c", " ".join(command)]


class Cluster:
    def __init__(self, root: Path) -> None:
        self.data = root / "data"
        self.port = _free_port()
        self.log = root / "postgres.log"
        root.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/debrief"
        self.root = root

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        command = ["pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", *args]
        if args[0] in ("start", "restart"):
            command += ["-o", f"'{options}'"]
        done = subprocess.run(_as_postgres(command), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode() + done.stdout.decode()

    def psql(self, sql: str) -> str:
        command = ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-Atc"]
        done = subprocess.run([*command, sql, "debrief"], check=True, capture_output=True)
        return done.stdout.decode()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    # Not under pytest's tmp_path: its parents are private to root, and the cluster's
    # files belong to the postgres user.
    root = Path(tempfile.mkdtemp(prefix="debrief-fault-pg-"))
    pg = Cluster(root)
    init = ["initdb", "-D", str(pg.data), "-A", "trust", "-U", "postgres", "--no-sync"]
    done = subprocess.run(_as_postgres(init), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    pg.pg_ctl("start")
    try:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "debrief"],
            check=True,
        )
        yield pg
    finally:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(pg.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def server(cluster: Cluster, tmp_path: Path) -> Iterator[dict[str, Any]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "debrief.settings",
        "DATABASE_URL": cluster.url,
        "DEBRIEF_VAR_DIR": str(tmp_path / "var"),
    }
    run: dict[str, Any] = {"env": env, "cwd": settings.BASE_DIR, "check": True}
    subprocess.run([BIN / "debrief", "migrate", "-v0"], **run, timeout=300)
    made = subprocess.run(
        [BIN / "debrief", "shell", "-c", SETUP], **run, capture_output=True, timeout=120
    )
    [line] = [x for x in made.stdout.decode().splitlines() if x.startswith("IDS ")]
    customer, token = line.split()[1:]
    port = _free_port()
    gunicorn = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "debrief.wsgi", f"--bind=127.0.0.1:{port}"),
            *("--workers=2", "--no-control-socket", "--timeout=30"),
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline:
                gunicorn.kill()
                raise
            time.sleep(0.3)
    try:
        yield {"base": base, "customer": int(customer), "token": token, "gunicorn": gunicorn}
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)


class Writer(threading.Thread):
    """Creates deals through the API until stopped; keeps what the server acknowledged."""

    def __init__(self, server: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.stop = threading.Event()
        self.results: list[tuple[float, str, int]] = []  # (when, deal name, status; 0: no answer)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            name = f"Deal {n}"
            body = json.dumps({"name": name, "customer": self.server["customer"]}).encode()
            request = urllib.request.Request(
                f"{self.server['base']}/api/v1/deals",
                data=body,
                headers={
                    "Authorization": f"Bearer {self.server['token']}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            self.results.append((time.monotonic(), name, status))
            time.sleep(0.02)

    def acknowledged(self) -> list[str]:
        return [name for _, name, status in self.results if 200 <= status < 300]


def test_the_app_recovers_from_a_database_restart_and_loses_no_acknowledged_write(cluster, server):
    # given: deals being written
    writer = Writer(server)
    writer.start()
    time.sleep(3)
    before = len(writer.acknowledged())

    # when: PostgreSQL restarts under it
    restarted_at = time.monotonic()
    cluster.pg_ctl("restart", "-m", "fast")
    time.sleep(5)
    writer.stop.set()
    writer.join(timeout=30)

    # then: the same gunicorn serves writes again, and every acknowledged deal is stored
    assert server["gunicorn"].poll() is None
    assert before > 0
    after = [r for r in writer.results if r[0] > restarted_at + 1]
    assert after, "no request was made after the restart"
    failed_after = [r for r in after if not 200 <= r[2] < 300]
    assert failed_after == [], f"requests still failing after the restart: {failed_after[:5]}"
    stored = set(cluster.psql("SELECT name FROM pipeline_deal").splitlines())
    assert stored and set(writer.acknowledged()) - stored == set()
    failed = [r for r in writer.results if not 200 <= r[2] < 300]
    print(
        f"{len(writer.results)} requests, {len(writer.acknowledged())} acknowledged, "
        f"{len(failed)} refused or unanswered around the restart"
    )
