"""An import killed with SIGKILL while it writes leaves no partial import, and running it
again completes with every deal.

`debrief import` runs as a real process on a SQLite file of its own, with its stderr on a
pseudo-terminal so that its progress bar shows when the writing has begun."""

from __future__ import annotations

import csv
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from conftest import SHARED_DATA

DEBRIEF = str(Path(sys.executable).with_name("debrief"))
IBM = SHARED_DATA / "ibm-sales-win-loss"
IBM_FILE = IBM / "WA_Fn-UseC_-Sales-Win-Loss.csv"
WRITING = re.compile(rb"Writing \[[#.]+\] ([\d,]+)/")


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _kill_once_writing(command: list[str], env: dict[str, str], rows_written: int) -> int:
    """Start the import and SIGKILL it once its progress bar shows `rows_written` rows
    written; returns how many it showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    shown, seen = b"", 0
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline and process.poll() is None:
            ready, _, _ = select.select([controller], [], [], 1)
            if not ready:
                continue
            try:
                shown = (shown + os.read(controller, 4096))[-400:]
            except OSError:
                break
            counts = [int(n.replace(b",", b"")) for n in WRITING.findall(shown)]
            seen = max([seen, *counts])
            if seen >= rows_written:
                process.send_signal(signal.SIGKILL)
                break
    finally:
        process.wait(timeout=60)
        os.close(controller)
    assert process.returncode == -signal.SIGKILL, f"the import ended on its own: {shown!r}"
    return seen


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="imports into a SQLite file of its own: it runs in the SQLite pass of the suite",
)
def test_an_import_killed_midway_leaves_nothing_and_runs_again(tmp_path):
    # given: a migrated database of its own, and the IBM data set (one deal per opportunity)
    with IBM_FILE.open(encoding="utf-8", newline="") as handle:
        opportunities = {row["Opportunity Number"] for row in csv.DictReader(handle)}
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "debrief.settings"}
    env.pop("DATABASE_URL", None)
    env["DEBRIEF_VAR_DIR"] = str(tmp_path)
    db = tmp_path / "debrief.sqlite3"
    subprocess.run([DEBRIEF, "migrate", "-v0"], env=env, cwd=settings.BASE_DIR, check=True)
    command = [DEBRIEF, "import", str(IBM_FILE), "--format", "ibm", "--no-after-import"]

    # when: it is killed after writing its second batch of deals
    shown = _kill_once_writing(command, env, rows_written=10_000)

    # then: nothing of it is in the database
    assert shown >= 10_000
    assert _count(db, "pipeline_deal") == 0
    assert _count(db, "pipeline_customer") == 0
    assert _count(db, "losses_lossrecord") == 0

    # when: it runs again
    again = subprocess.run(command, env=env, cwd=settings.BASE_DIR, capture_output=True)

    # then: it completes, with every opportunity once
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert _count(db, "pipeline_deal") == len(opportunities) == 77_829
