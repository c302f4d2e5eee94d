"""`debrief run`, through the installed console script: it serves pages and runs the task
worker beside the web server; Ctrl-C stops both and exits 0, and if one of them dies the
other is stopped and the command fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

DEBRIEF = Path(sys.executable).parent / "debrief"


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh, migrated SQLite database of its own."""
    env = {**os.environ, "DEBRIEF_VAR_DIR": str(tmp_path_factory.mktemp("var"))}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([DEBRIEF, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=120)
    return env


@pytest.fixture
def server(environment: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    process = subprocess.Popen(
        [DEBRIEF, "run", "--port", str(port), "--workers", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_login_page(port: int, process: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as r:
                return int(r.status)
        except OSError:  # refused while starting up, or slow to answer the first request
            time.sleep(0.2)
    raise AssertionError("the web server did not answer within 20 s")


def descendants(pid: int) -> dict[int, str]:
    """Every process below pid, with its command line (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = command_line(child)
                frontier.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serves_pages_runs_the_worker_and_stops_both_on_ctrl_c(server):
    # given
    process, port = server
    assert wait_for_login_page(port, process) == 200
    children = descendants(process.pid)
    workers = [pid for pid, cmd in children.items() if "db_worker" in cmd]
    web = [pid for pid, cmd in children.items() if "gunicorn" in cmd]
    assert len(workers) == 1 and alive(workers[0])
    assert web and all(alive(pid) for pid in web)

    # when
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=20)

    # then
    output = process.stdout.read() if process.stdout else ""
    assert code == 0, output
    assert f"Debrief is running at http://127.0.0.1:{port}/" in output
    assert not [pid for pid in children if alive(pid)]


def test_when_the_worker_dies_the_web_server_stops_too(server):
    # given
    process, port = server
    wait_for_login_page(port, process)
    children = descendants(process.pid)
    [worker] = [pid for pid, cmd in children.items() if "db_worker" in cmd]

    # when
    os.kill(worker, signal.SIGKILL)
    code = process.wait(timeout=20)

    # then
    output = process.stdout.read() if process.stdout else ""
    assert code != 0
    assert "The task worker stopped, so Debrief stopped too." in output
    assert not [pid for pid in children if alive(pid)]
