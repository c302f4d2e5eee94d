"""Benchmark: the wall time of `debrief demo --deals 100000`, each time into a fresh database,
on SQLite and on PostgreSQL. Run by hand from the repository root:

    .venv/bin/python -m bench.demo_100k [--deals N] [--backend sqlite|postgresql|both]

The loaded databases are kept (SQLite under bench/var/sqlite, PostgreSQL as the database
`debrief_bench`) for `bench.pages` to measure pages against.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_VAR_DIR and BENCH_POSTGRES_NAME keep parallel runs apart.
VAR = Path(os.environ.get("BENCH_VAR_DIR", ROOT / "bench" / "var"))
BACKENDS = ("sqlite", "postgresql")
# The server to create the benchmark database on; the database itself is always dropped first.
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_NAME = os.environ.get("BENCH_POSTGRES_NAME", "debrief_bench")


def environment(backend: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["DEBRIEF_VAR_DIR"] = str(VAR / backend)
    env["DJANGO_SETTINGS_MODULE"] = "debrief.settings"
    if backend == "postgresql":
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_NAME}"
    return env


def debrief(backend: str, *arguments: str) -> None:
    script = Path(sys.executable).parent / "debrief"
    command = [str(script)] if script.exists() else [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*command, *arguments], env=environment(backend), cwd=ROOT, check=True)


def fresh_database(backend: str) -> None:
    if backend == "sqlite":
        shutil.rmtree(VAR / "sqlite", ignore_errors=True)
    else:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_NAME} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {POSTGRES_NAME}")
    (VAR / backend).mkdir(parents=True, exist_ok=True)
    debrief(backend, "migrate", "--no-input", "-v", "0")


def load_demo(backend: str, deals: int) -> tuple[float, float]:
    """Seconds taken by `debrief demo --deals N` on a fresh, migrated database: wall clock,
    and the CPU time of the command itself (without the database server's), which is the
    steadier figure on a busy machine."""
    fresh_database(backend)
    cpu_before = _children_cpu()
    started = time.perf_counter()
    debrief(backend, "demo", "--deals", str(deals))
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    options = parser.parse_args()
    backends = BACKENDS if options.backend == "both" else (options.backend,)
    results = {backend: load_demo(backend, options.deals) for backend in backends}
    print(f"\n`debrief demo --deals {options.deals}` on {os.cpu_count()} CPUs:")
    for backend, (wall, cpu) in results.items():
        print(f"  {backend:<11} {wall:7.1f} s wall clock, {cpu:7.1f} s CPU in the command")


if __name__ == "__main__":
    main()
