"""Truth: the figures Debrief shows after importing the public data sets equal, count for
count, what plain Python computes from the CSV files (no Debrief code on the expected side).

Rules the expected side follows, as the importer documents them: a repeated opportunity id
keeps its first row; "Loss"/"Lost" means lost; rows that are neither won nor lost are open."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from conftest import SHARED_DATA
from debrief.insights.metrics import compute

DATA = SHARED_DATA


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def _first_of_each(rows: list[dict[str, str]], key: str) -> list[dict[str, str]]:
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row[key].strip() not in seen:
            seen.add(row[key].strip())
            kept.append(row)
    return kept


def _expected_win_rate(outcomes: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """{group: (won, lost)} from (group, "won" | "lost" | other) pairs."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for group, outcome in outcomes:
        counts[group][outcome] += 1
    return {g: (c["won"], c["lost"]) for g, c in counts.items() if c["won"] + c["lost"]}


def _shown(user: Any, by: str) -> dict[str, tuple[int, int]]:
    return {r["group"]: (r["won"], r["lost"]) for r in compute(user, "win-rate", by=by).rows}


def _median(values: list[int]) -> float:
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def _import(paths: list[Path], fmt: str, live: Any) -> None:
    from debrief.imports.actions import import_files

    with live():  # the rollups are rebuilt by the importer's after_import hook, on commit
        report = import_files(paths, fmt)
    assert report.ok, report.message


def test_maven(live: Any, ana: Any) -> None:
    folder = DATA / "maven-crm-sales-opportunities"
    pipeline = _first_of_each(_rows(folder / "sales_pipeline.csv"), "opportunity_id")
    accounts = {r["account"].strip(): r for r in _rows(folder / "accounts.csv")}
    teams = {r["sales_agent"].strip(): r for r in _rows(folder / "sales_teams.csv")}

    def outcome(row: dict[str, str]) -> str:
        return row["deal_stage"].strip().lower()

    # when
    _import(sorted(folder.glob("*.csv")), "maven", live)
    # then: overall, by owner, by team, by segment
    won = sum(outcome(r) == "won" for r in pipeline)
    lost = sum(outcome(r) == "lost" for r in pipeline)
    overall = compute(ana, "win-rate").overall
    assert (overall["won"], overall["lost"]) == (won, lost)
    assert overall["open"] == len(pipeline) - won - lost
    assert overall["win_rate"] == round(won / (won + lost), 4)
    assert _shown(ana, "owner") == _expected_win_rate(
        [(r["sales_agent"].strip(), outcome(r)) for r in pipeline]
    )
    assert _shown(ana, "team") == _expected_win_rate(
        [(teams[r["sales_agent"].strip()]["regional_office"].strip(), outcome(r)) for r in pipeline]
    )
    assert _shown(ana, "segment") == _expected_win_rate(
        [
            (
                accounts.get(r["account"].strip(), {}).get("sector", "").strip() or "(none)",
                outcome(r),
            )
            for r in pipeline
        ]
    )
    # and the sales cycle, engage → close, for the closed deals with both dates
    days: dict[str, list[int]] = defaultdict(list)
    for r in pipeline:
        if outcome(r) in ("won", "lost") and r["engage_date"] and r["close_date"]:
            d = (
                dt.date.fromisoformat(r["close_date"]) - dt.date.fromisoformat(r["engage_date"])
            ).days
            days[outcome(r)].append(d)
    cycle = {row["group"]: row for row in compute(ana, "sales-cycle").rows}
    for status in ("won", "lost"):
        values = sorted(days[status])
        assert cycle[status]["deals"] == len(values)
        assert cycle[status]["median"] == _median(values)
        assert cycle[status]["mean"] == round(sum(values) / len(values), 1)
        assert cycle[status]["p90"] == values[math.ceil(0.9 * len(values)) - 1]
    # and every lost deal is a loss in the loop's health
    assert compute(ana, "loop-health").overall["losses"] == lost


def test_salvirt(live: Any, ana: Any) -> None:
    path = DATA / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"
    rows = _rows(path, delimiter=";")

    def outcome(row: dict[str, str]) -> str:
        return row["Status"].strip().lower()

    _import([path], "salvirt", live)
    overall = compute(ana, "win-rate").overall
    assert (overall["won"], overall["lost"]) == (
        sum(outcome(r) == "won" for r in rows),
        sum(outcome(r) == "lost" for r in rows),
    )
    assert _shown(ana, "owner") == _expected_win_rate(
        [(r["Seller"].strip(), outcome(r)) for r in rows]
    )
    assert _shown(ana, "source") == _expected_win_rate(
        [(r["Source"].strip() or "(none)", outcome(r)) for r in rows]
    )
    assert _shown(ana, "attr:Deal_type") == _expected_win_rate(
        [(r["Deal_type"].strip() or "(none)", outcome(r)) for r in rows]
    )


def test_ibm(live: Any, ana: Any) -> None:
    path = DATA / "ibm-sales-win-loss" / "WA_Fn-UseC_-Sales-Win-Loss.csv"
    rows = _first_of_each(_rows(path), "Opportunity Number")

    def outcome(row: dict[str, str]) -> str:
        return {"won": "won", "loss": "lost"}.get(row["Opportunity Result"].strip().lower(), "")

    _import([path], "ibm", live)
    overall = compute(ana, "win-rate").overall
    assert (overall["won"], overall["lost"]) == (
        sum(outcome(r) == "won" for r in rows),
        sum(outcome(r) == "lost" for r in rows),
    )
    assert _shown(ana, "region") == _expected_win_rate(
        [(r["Region"].strip(), outcome(r)) for r in rows]
    )
    assert _shown(ana, "source") == _expected_win_rate(
        [(r["Route To Market"].strip(), outcome(r)) for r in rows]
    )
    assert _shown(ana, "attr:Competitor Type") == _expected_win_rate(
        [(r["Competitor Type"].strip(), outcome(r)) for r in rows]
    )
