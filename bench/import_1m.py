"""Benchmark: `debrief import` of a 1,000,000-row Salesforce-layout CSV, against the plain
load of the same file into a bare table in the same run: PostgreSQL's COPY, and on SQLite an
executemany INSERT. Also the import process's peak memory. Run by hand from the repository
root:

    .venv/bin/python -m bench.import_1m [--rows N] [--backend sqlite|postgresql|both]

The file is written to /tmp (Latin-1, CRLF, every column of a real Opportunity export,
mixed currencies, multi-line descriptions) and kept for the next run with the same --rows.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.demo_100k import BACKENDS, POSTGRES_NAME, POSTGRES_SERVER, VAR, environment
from bench.demo_100k import fresh_database as _fresh

ROOT = Path(__file__).resolve().parent.parent
HEADER = (
    ROOT.parent / "shared" / "data" / "crm-export-headers" / "salesforce_Opportunity_header.csv"
)
STAGES = [
    ("Closed Lost", "1", "0"),
    ("Closed Won", "1", "1"),
    ("Negociación", "0", "0"),
    ("Presentación Propuesta", "0", "0"),
    ("Firmas", "0", "0"),
    ("Interes", "0", "0"),
    ("Diseño Propuesta", "0", "0"),
]
WEIGHTS = [203, 163, 61, 38, 23, 15, 9]
REASONS = ["", "", "", "", "No Decision / Non-Responsive", "No Budget / Lost Funding", "Other"]


def generate(rows: int) -> Path:
    path = Path(f"/tmp/import_bench_salesforce_{rows}.csv")
    if path.exists():
        return path
    with HEADER.open(encoding="latin-1", newline="") as handle:
        header = next(csv.reader(handle))
    rng = random.Random(1)
    owners = [f"0051U00000{i:05d}AA" for i in range(60)]
    accounts = [f"0011U0000{i:06d}AA" for i in range(20_000)]
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="latin-1", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        blank = dict.fromkeys(header, "")
        for i in range(rows):
            stage, closed, won = rng.choices(STAGES, WEIGHTS)[0]
            created = f"20{rng.randint(19, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            row = dict(blank)
            row.update(
                Id=f"0061U{i:013d}",
                IsDeleted="0",
                AccountId=rng.choice(accounts),
                Name=f"Oportunidad {i} - renovación",
                Description="Línea uno\nlínea dos" if i % 10 == 0 else "",
                StageName=stage,
                Amount=f"{rng.randint(1, 500) * 1000}.00",
                Probability="100" if won == "1" else "50",
                CloseDate=f"20{rng.randint(20, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                Type="Nuevo negocio",
                LeadSource=rng.choice(["Web", "Referido", "Evento", ""]),
                IsClosed=closed,
                IsWon=won,
                ForecastCategory="Closed" if closed == "1" else "Pipeline",
                CurrencyIsoCode=rng.choice(["MXN", "COP", "PEN", "USD"]),
                OwnerId=rng.choice(owners),
                CreatedDate=f"{created}T10:00:00.000+0000",
                FiscalYear=created[:4],
                LossReason__c=rng.choice(REASONS) if stage == "Closed Lost" else "",
            )
            writer.writerow(row.values())
    tmp.rename(path)
    return path


def timed_import(backend: str, path: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the steadier figure on a busy machine) and peak memory (MB,
    the process's maxrss) of `debrief import`."""
    script = Path(sys.executable).parent / "debrief"
    # The insights rollup rebuild that follows an import is measured by the insights benches.
    command = [str(script), "import", str(path), "--format", "salesforce", "--no-after-import"]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=environment(backend), cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"debrief import failed ({status})")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def baseline(backend: str, path: Path) -> float:
    """Seconds to load the file's rows into a bare table of text columns, the plainest way."""
    with path.open(encoding="latin-1", newline="") as handle:
        header = next(csv.reader(handle))
    columns = ", ".join(f'"{h}" text' for h in header)
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/{POSTGRES_NAME}") as connection:
            connection.execute("DROP TABLE IF EXISTS bench_bare")
            connection.execute(f"CREATE TABLE bench_bare ({columns})")
            started = time.perf_counter()
            with (
                connection.cursor() as cursor,
                cursor.copy(
                    "COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'LATIN1')"
                ) as copy,
                path.open("rb") as data,
            ):
                while chunk := data.read(1024 * 1024):
                    copy.write(chunk)
            connection.commit()
            seconds = time.perf_counter() - started
            connection.execute("DROP TABLE bench_bare")
            connection.commit()
        return seconds
    database = VAR / "sqlite" / "bare.sqlite3"
    database.unlink(missing_ok=True)
    lite = sqlite3.connect(database)
    lite.execute(f"CREATE TABLE bench_bare ({columns})")
    started = time.perf_counter()
    with path.open(encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        marks = ", ".join("?" * len(header))
        with lite:
            lite.executemany(f"INSERT INTO bench_bare VALUES ({marks})", reader)
    seconds = time.perf_counter() - started
    lite.close()
    database.unlink()
    return seconds


# What the import leaves in the database for each deal, in the order foreign keys need.
WRITTEN = ("pipeline_deal", "losses_lossrecord", "losses_lossrecordreason")


def write_floor(backend: str) -> float:
    """Seconds for the database alone to write again the rows the import wrote (its deals,
    loss records and their reasons, under new ids), into the same tables with their indexes,
    checking every foreign key, in a transaction then rolled back: the least any import of
    this file can cost once its rows are known, however they are checked and converted."""
    shift = 1_000_000_000
    copies = {
        "pipeline_deal": f"UPDATE floor_pipeline_deal SET id = id + {shift}, "
        "external_id = external_id || '~'",
        "losses_lossrecord": f"UPDATE floor_losses_lossrecord SET id = id + {shift}, "
        f"deal_id = deal_id + {shift}",
        "losses_lossrecordreason": f"UPDATE floor_losses_lossrecordreason SET id = id + {shift}, "
        f"loss_id = loss_id + {shift}",
    }
    connection: Any
    if backend == "postgresql":
        import psycopg

        connection = psycopg.connect(f"{POSTGRES_SERVER}/{POSTGRES_NAME}")
    else:
        connection = sqlite3.connect(VAR / "sqlite" / "debrief.sqlite3", isolation_level=None)
        connection.execute("PRAGMA foreign_keys = ON")
    with contextlib.closing(connection):
        for table, shifted in copies.items():
            connection.execute(f"CREATE TEMP TABLE floor_{table} AS SELECT * FROM {table}")
            connection.execute(shifted)
        # PostgreSQL checks its deferred foreign keys at each statement's end from here on;
        # SQLite looks every parent up as each row goes in, deferred or not.
        connection.execute("SET CONSTRAINTS ALL IMMEDIATE" if backend == "postgresql" else "BEGIN")
        started = time.perf_counter()
        for table in WRITTEN:
            connection.execute(f"INSERT INTO {table} SELECT * FROM floor_{table}")
        seconds = time.perf_counter() - started
        connection.execute("ROLLBACK")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--again", action="store_true", help="Then import the same file again.")
    options = parser.parse_args()
    backends = BACKENDS if options.backend == "both" else (options.backend,)
    started = time.perf_counter()
    path = generate(options.rows)
    print(
        f"{options.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB at {path} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    for backend in backends:
        _fresh(backend)
        plain = baseline(backend, path)
        seconds, cpu, peak = timed_import(backend, path)
        floor = write_floor(backend)
        print(
            f"{backend}: import {seconds:.1f} s (CPU {cpu:.1f} s), plain load {plain:.1f} s, "
            f"ratio {seconds / plain:.1f}×, peak {peak} MB; the database writing the same "
            f"rows alone {floor:.1f} s ({floor / plain:.1f}× the plain load)",
            flush=True,
        )
        if options.again:
            again, again_cpu, again_peak = timed_import(backend, path)
            print(
                f"{backend}: same file again (all unchanged) {again:.1f} s "
                f"(CPU {again_cpu:.1f} s), peak {again_peak} MB"
            )


if __name__ == "__main__":
    main()
