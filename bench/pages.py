"""Benchmark: server time of the pipeline page (/deals/) and of the deal list API
(/api/v1/deals?limit=50) at 100,000 deals, for a manager and for an admin, on SQLite and on
PostgreSQL. Run by hand from the repository root:

    .venv/bin/python -m bench.pages [--deals N] [--backend sqlite|postgresql|both]

Each figure is the median of 20 requests after 3 warm-up ones, made in-process through
Django's test client (so: the time Django spends, without a network or a web server), twice:
"computed", with the pipeline's data version changed before each request (the first request
after any change to the pipeline), and "kept", the same request again (web/answers.py). The
databases of `bench.demo_100k` are reused when they hold the demo with enough deals, else
loaded first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.demo_100k import BACKENDS, ROOT, environment, load_demo

PAGES = [("pipeline page", "/deals/"), ("deal list API", "/api/v1/deals?limit=50")]
WARM_UP, REPEAT = 3, 20
PEOPLE = {
    "manager": "olivia.bennett@demo.debrief.example",
    "admin": "jordan.hayes@demo.debrief.example",
}


def measure(deals: int) -> dict[str, Any]:
    """In a process configured for one database: time every page for every person."""
    import django

    django.setup()
    from django.db import DatabaseError, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from debrief.org import actions
    from debrief.org.models import User
    from debrief.pipeline.models import Deal
    from debrief.pipeline.signals import pipeline_data_changed

    try:
        count = Deal.objects.count()
    except DatabaseError:  # not created or not migrated yet: load it first
        return {"missing": 0}
    if count < deals or not User.objects.filter(email__in=PEOPLE.values()).exists():
        return {"missing": count}
    rows = []
    for role, email in PEOPLE.items():
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        token, raw = actions.create_api_token(user, None, "benchmark")
        headers = {"Authorization": f"Bearer {raw}"}
        for name, url in PAGES:
            for _ in range(WARM_UP):
                response = client.get(url, headers=headers)
                assert response.status_code == 200, (url, response.status_code)
            for kind in ("computed", "kept"):
                times = []
                for _ in range(REPEAT):
                    if kind == "computed":
                        pipeline_data_changed()
                    started = time.perf_counter()
                    client.get(url, headers=headers)
                    times.append(time.perf_counter() - started)
                if kind == "computed":
                    pipeline_data_changed()
                with CaptureQueriesContext(connection) as queries:
                    client.get(url, headers=headers)
                rows.append(
                    {
                        "role": role,
                        "page": f"{name}, {kind}",
                        "median_ms": statistics.median(times) * 1000,
                        "queries": len(queries),
                    }
                )
        actions.revoke_api_token(token, None)
    return {"deals": count, "rows": rows}


def run(backend: str, deals: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.pages", "--measure", "--deals", str(deals)]
    env = environment(backend)
    output = subprocess.run(
        command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.deals)))
        return
    backends = BACKENDS if options.backend == "both" else (options.backend,)
    print(f"Median of {REPEAT} requests after {WARM_UP} warm-up ones, in-process:")
    for backend in backends:
        result = run(backend, options.deals)
        if "missing" in result:
            print(f"  {backend}: loading the demo with {options.deals} deals first…")
            load_demo(backend, options.deals)
            result = run(backend, options.deals)
        print(f"  {backend} ({result['deals']:,} deals)")
        for row in result["rows"]:
            print(
                f"    {row['page']:<24} as {row['role']:<8} {row['median_ms']:8.1f} ms  "
                f"({row['queries']} queries)"
            )


if __name__ == "__main__":
    main()
