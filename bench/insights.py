"""Benchmark: insights dashboard server time as the deals grow (issue 6, item 4). Run by hand
from the repository root, one database per target, each already loaded with `debrief demo`:

    .venv/bin/python -m bench.insights --target sqlite:/tmp/insightscore/var_sqlite_10000 \
        --target postgres://postgres@127.0.0.1:5432/debrief_insightscore_10000 [--rebuild]

A target is `sqlite:<DEBRIEF_VAR_DIR>` or a PostgreSQL URL. For each: the time of
`debrief insights rebuild` (when the rollups are empty, or with --rebuild), then, as the admin
(all deals) and a manager (one team), the median of 20 runs after 3 warm-up ones of
(a) computing every metric — the dashboard's figures — through `debrief.insights.metrics`
and (b) the insights page GET /insights/ through Django's test client (in-process: Django's
own time, no network), with the number of queries and of rollup rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WARM_UP, REPEAT = 3, 20
PEOPLE = {
    "manager": "olivia.bennett@demo.debrief.example",
    "admin": "jordan.hayes@demo.debrief.example",
}


def _median_ms(fn: Any) -> float:
    for _ in range(WARM_UP):
        fn()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def measure(rebuild: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from debrief.insights import metrics, rollups
    from debrief.insights.models import DayCount, Rollup
    from debrief.org.models import User
    from debrief.pipeline.models import Deal

    out: dict[str, Any] = {"vendor": connection.vendor, "deals": Deal.objects.count()}
    if rebuild or not Rollup.objects.exists():
        started = time.perf_counter()
        out["rebuild"] = rollups.rebuild()
        out["rebuild_s"] = round(time.perf_counter() - started, 1)
    out["rollup_rows"] = Rollup.objects.count()
    out["day_count_rows"] = DayCount.objects.count()
    try:
        page = reverse("insights-overview")
    except NoReverseMatch:
        page = ""
    rows = []
    for role, email in PEOPLE.items():

        def dashboard(email: str = email) -> None:
            user = User.objects.get(email=email)  # as a request would load it
            for name in metrics.METRICS:
                metrics.compute(user, name)

        with CaptureQueriesContext(connection) as queries:
            dashboard()
        row: dict[str, Any] = {
            "role": role,
            "all_metrics_ms": _median_ms(dashboard),
            "all_metrics_queries": len(queries),
            "win_rate_by_owner_ms": _median_ms(
                lambda email=email: metrics.compute(
                    User.objects.get(email=email), "win-rate", by="owner"
                )
            ),
        }
        if page:
            client = Client()
            client.force_login(User.objects.get(email=email))

            def get_page(client: Client = client) -> None:
                response = client.get(page)
                assert response.status_code == 200, response.status_code

            row["page_ms"] = _median_ms(get_page)
            with CaptureQueriesContext(connection) as queries:
                get_page()
            row["page_queries"] = len(queries)
        rows.append(row)
    out["rows"] = rows
    return out


def run(target: str, rebuild: bool) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "debrief.settings"}
    if target.startswith("sqlite:"):
        env["DEBRIEF_VAR_DIR"] = target.removeprefix("sqlite:")
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = target
        env.setdefault("DEBRIEF_VAR_DIR", "/tmp/bench-insights-var")
    command = [sys.executable, "-m", "bench.insights", "--measure"]
    if rebuild:
        command.append("--rebuild")
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        return {"target": target, "error": done.stderr[-2000:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {"target": target, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", action="append", default=[])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.rebuild)))
        return
    for target in args.target:
        print(json.dumps(run(target, args.rebuild), indent=2), flush=True)


if __name__ == "__main__":
    main()
