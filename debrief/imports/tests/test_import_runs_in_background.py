"""A queued import runs in the background: the worker runs it, its progress and report land
on the ImportRun, and what other apps registered in `after_import` runs once."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from conftest import SHARED_DATA
from debrief.imports import actions
from debrief.imports.actions import ImportReport, register_after_import, start_import
from debrief.imports.models import ImportRun
from debrief.pipeline.models import Deal

MAVEN = SHARED_DATA / "maven-crm-sales-opportunities"


@pytest.fixture(autouse=True)
def keep_signal_handlers() -> Iterator[None]:
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def rebuilds() -> Iterator[list[ImportReport]]:
    seen: list[ImportReport] = []
    before = list(actions.after_import)
    register_after_import(seen.append)
    yield seen
    actions.after_import[:] = before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_queued_maven_import_runs_with_progress_and_report(
    adam: Any, rebuilds: list[ImportReport]
) -> None:
    # given
    with transaction.atomic():
        run = start_import(sorted(MAVEN.glob("*.csv")), "maven", by=adam)
    assert run.status == "queued"

    # when
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    # then
    run.refresh_from_db()
    assert run.status == "done" and run.is_finished and run.percent == 100
    assert (run.rows_total, run.rows_done) == (8_800, 8_800)
    assert run.report["created"] == 8_800
    assert run.report["reconciled"] == {"GTXPro → GTX Pro": 1_480}
    assert run.created_by == adam
    assert Deal.objects.filter(external_source="maven").count() == 8_800
    [report] = rebuilds
    assert report.created == 8_800


@pytest.mark.django_db
def test_failed_import_records_why_and_calls_no_rebuild(
    tmp_path: Path, rebuilds: list[ImportReport]
) -> None:
    # given
    path = tmp_path / "deals.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    run = ImportRun.objects.create(format="hubspot", paths=[str(path)], file_names=["deals.csv"])

    # when
    report = actions.import_files([path], "hubspot", run=run)

    # then
    run.refresh_from_db()
    assert report.failed and run.status == "failed"
    assert "not in the HubSpot layout" in run.error
    assert run.report["errors"][0]["row"] == 1
    assert rebuilds == []
