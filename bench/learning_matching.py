"""Benchmark: matching best practices to 100,000 open deals, on SQLite and on PostgreSQL.
Run by hand from the repository root:

    .venv/bin/python -m bench.learning_matching [--deals N] [--backend sqlite|postgresql|both]

It reuses the databases of `bench.demo_100k` (loading them first when they hold fewer deals)
and, because the demo's history closes most deals, first reopens every closed deal in an open
stage with a next step of that stage, and puts every deal in the benchmark practice's team
(a practice is matched to its own team's deals), so that matching runs against N open deals. Then it
times, in-process: rebuilding the words of every deal (once), `match_practice` for a targeted,
a broad and a words-only practice (median of 5, each run from no matches, then median of 5
re-runs over the matches it left), and `rematch_deal` after one deal's next step changed (median of 20).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from bench.demo_100k import BACKENDS, ROOT, environment, load_demo

RUNS, REMATCHES = 5, 20
MANAGER = "olivia.bennett@demo.debrief.example"
# The next steps a reopened deal gets, per open stage, as the demo gives open deals.
STEPS = [
    "Book an intro call",
    "Qualification call: confirm budget and timeline",
    "Product demo for the evaluation team",
    "Review pricing options with procurement",
    "Final pricing call",
]


def reopen_every_deal() -> int:
    """Put every closed deal back in an open stage (by its id, so the same every time), with
    that stage's next step. Returns the number of open deals."""
    from django.db import connection, transaction

    from debrief.pipeline.models import Deal, DealStatus, Stage, StageKind

    stages = list(Stage.objects.filter(kind=StageKind.OPEN).order_by("order", "pk"))
    with transaction.atomic(), connection.cursor() as cursor:
        for index, stage in enumerate(stages):
            cursor.execute(
                "UPDATE pipeline_deal SET status = %s, stage_id = %s, next_step = %s, "
                "closed_on = NULL WHERE status <> %s AND id %% %s = %s",
                [
                    DealStatus.OPEN,
                    stage.pk,
                    STEPS[min(index, len(STEPS) - 1)],
                    DealStatus.OPEN,
                    len(stages),
                    index,
                ],
            )
        cursor.execute("ANALYZE pipeline_deal")
    return Deal.objects.filter(status=DealStatus.OPEN).count()


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure(deals: int) -> dict[str, Any]:
    """In a process configured for one database: every figure of the benchmark."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from debrief.learning import actions
    from debrief.learning.models import BestPractice, DealWords, PracticeMatch
    from debrief.org.models import Team, User
    from debrief.pipeline.models import Competitor, Deal, Stage

    if Deal.objects.count() < deals or not User.objects.filter(email=MANAGER).exists():
        return {"missing": Deal.objects.count()}
    open_deals = reopen_every_deal()
    manager = User.objects.get(email=MANAGER)
    team = Team.objects.filter(managers=manager).order_by("pk").first()
    assert team is not None, "the demo's manager manages a team"
    # A practice is matched to its own team's deals: give that team every deal, so one
    # practice really faces all N open deals.
    Deal.objects.exclude(team=team).update(team=team)
    DealWords.objects.all().delete()
    words_seconds, words = timed(actions.rebuild_deal_words)
    BestPractice.objects.filter(statement__startswith="[bench]").delete()
    practices = {
        "targeted": actions.PracticeInput(
            statement="[bench] Bring procurement into the pricing review before the proposal",
            stages=list(Stage.objects.filter(name__in=["Proposal", "Negotiation"])),
            competitors=list(Competitor.objects.order_by("name")[:3]),
            min_amount=Decimal("10000"),
            keywords="pricing, procurement",
        ),
        "broad": actions.PracticeInput(
            statement="[bench] Agree the pricing and the timeline with the economic buyer",
            keywords="pricing",
        ),
        # No condition, no keyword: every open deal is a candidate for its words.
        "words": actions.PracticeInput(
            statement="[bench] Review the pricing options with procurement before the final call"
        ),
    }
    rows = []
    for name, data in practices.items():
        practice = actions.write_practice(manager, data, team=team)
        actions.publish_practice(practice, manager)
        first = []
        for _ in range(RUNS):
            PracticeMatch.objects.filter(practice=practice).delete()
            seconds, matched = timed(partial(actions.match_practice, practice))
            first.append(seconds)
        again = []
        with CaptureQueriesContext(connection) as queries:
            actions.match_practice(practice)
        for _ in range(RUNS):
            seconds, matched = timed(partial(actions.match_practice, practice))
            again.append(seconds)
        rows.append(
            {
                "practice": name,
                "matched": matched,
                "first_ms": statistics.median(first) * 1000,
                "again_ms": statistics.median(again) * 1000,
                "queries": len(queries),
            }
        )

    # One matched deal's next step changes back and forth: the match goes and comes back.
    deal = Deal.objects.get(
        pk=PracticeMatch.objects.filter(practice__statement__startswith="[bench] Bring")
        .order_by("deal_id")
        .values_list("deal_id", flat=True)[0]
    )
    steps = [deal.next_step, "Send the order form for signature"]
    published = BestPractice.objects.filter(status="published").count()
    rematch = []
    for turn in range(REMATCHES):
        Deal.objects.filter(pk=deal.pk).update(next_step=steps[(turn + 1) % 2])
        deal.refresh_from_db()
        seconds, _ = timed(lambda: actions.rematch_deal(deal))
        rematch.append(seconds)
    with CaptureQueriesContext(connection) as queries:
        actions.rematch_deal(deal)
    BestPractice.objects.filter(statement__startswith="[bench]").delete()
    return {
        "deals": Deal.objects.count(),
        "open": open_deals,
        "words": words,
        "words_s": words_seconds,
        "rows": rows,
        "published": published,
        "rematch_ms": statistics.median(rematch) * 1000,
        "rematch_queries": len(queries),
        "load": os.getloadavg()[0],
    }


def run(backend: str, deals: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.learning_matching", "--measure", "--deals", str(deals)]
    output = subprocess.run(
        command, env=environment(backend), cwd=ROOT, check=True, capture_output=True, text=True
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
    for backend in backends:
        result = run(backend, options.deals)
        if "missing" in result:
            print(f"  {backend}: loading the demo with {options.deals} deals first…")
            load_demo(backend, options.deals)
            result = run(backend, options.deals)
        print(f"{backend}: {result['open']:,} open deals, load average {result['load']:.1f}")
        print(f"  words of every deal rebuilt: {result['words']:,} in {result['words_s']:.1f} s")
        for row in result["rows"]:
            print(
                f"  match_practice, {row['practice']:<8} practice: {row['matched']:>6,} matched, "
                f"{row['first_ms']:7.0f} ms from no matches, {row['again_ms']:7.0f} ms re-run "
                f"({row['queries']} queries), median of {RUNS}"
            )
        print(
            f"  rematch_deal after a next step changed, {result['published']} published "
            f"practices: {result['rematch_ms']:.1f} ms ({result['rematch_queries']} queries), "
            f"median of {REMATCHES}"
        )


if __name__ == "__main__":
    main()
