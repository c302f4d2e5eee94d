"""In a real browser: an admin uploads Maven's five CSV files on the imports page, watches the
run's page follow the import while the task worker runs it (HTMX polling, no reload), and
reads the report: the deal counts, and "GTXPro" reconciled with "GTX Pro". The expected
figures are counted from the file itself, not by Debrief."""

from __future__ import annotations

import csv
import logging
import re
import signal
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from conftest import SHARED_DATA, login_in_browser
from debrief.imports.models import ImportRun, ImportStatus
from debrief.pipeline.models import Deal


def maven_files() -> list[Any]:
    folder = SHARED_DATA / "maven-crm-sales-opportunities"
    return sorted(folder.glob("*.csv"))


def pipeline_counts() -> tuple[int, Counter[str]]:
    [pipeline] = [f for f in maven_files() if f.name == "sales_pipeline.csv"]
    with pipeline.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return len({r["opportunity_id"] for r in rows}), Counter(r["product"] for r in rows)


class ServerErrors(logging.Handler):
    """The server's errors while the page polls. The test database is SQLite in memory with a
    shared cache, where a read waits for no one: while the worker holds its write transaction,
    a poll fails with "table is locked" and the next one, a second later, gets through. On a
    SQLite file in WAL mode (how Debrief runs SQLite) and on PostgreSQL readers are never
    refused, so there no error at all is expected."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(str(record.exc_info[1]) if record.exc_info else record.getMessage())

    def expected_in_browser(self, path: str) -> list[str]:
        """What the browser's console shows for these errors: for each refused poll, the
        failed load and htmx's report of it."""
        sqlite = connection.vendor == "sqlite"
        in_memory_sqlite = sqlite and connection.is_in_memory_db()  # type: ignore[attr-defined]
        assert all(
            in_memory_sqlite and m.startswith("database table is locked") for m in self.messages
        ), self.messages
        return [
            "Failed to load resource: the server responded with a status of 500 "
            "(Internal Server Error)",
            f"Response Status Error Code 500 from {path}, [object HTMLDivElement]",
        ] * len(self.messages)


@pytest.fixture(autouse=True)
def keep_signal_handlers():
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.browser
# The live server needs committed data; serialized_rollback puts the seeded stages and reasons
# back for the transactional tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_uploads_the_maven_files_and_reads_the_report(
    browser_page, live_server, adam, settings, tmp_path
):
    # given
    settings.VAR_DIR = tmp_path / "var"
    page = browser_page
    url = live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    server_errors = ServerErrors()
    logging.getLogger("django.request").addHandler(server_errors)
    files = maven_files()
    deals, products = pipeline_counts()
    assert len(files) == 5
    login_in_browser(page, live_server, adam)

    # when she uploads the five files as Maven CRM
    page.goto(f"{url}/settings/imports/")
    page.get_by_label("Files", exact=True).set_input_files(files)
    page.get_by_label("Format", exact=True).select_option(label="Maven CRM")
    page.get_by_role("button", name="Import", exact=True).click()

    # then the run's page shows it waiting, with a progress bar
    page.wait_for_url(re.compile(rf"{url}/settings/imports/\d+/$"))
    run = ImportRun.objects.get()
    assert page.url == f"{url}/settings/imports/{run.pk}/"
    expect(page.locator("#run-status")).to_have_text("Queued")
    expect(page.locator("progress#run-progress")).to_be_visible()
    page.evaluate("window.debriefTestMark = true")

    # when the task worker runs the import
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    # then the page, polling, swaps in the report without a reload
    result = page.locator("#run-result")
    expect(result).to_contain_text("Import finished", timeout=20_000)
    assert page.evaluate("window.debriefTestMark === true")
    expect(page.locator("#run-status")).to_have_text("Done")
    expect(page.locator("progress#run-progress")).to_have_attribute("value", "100")
    expect(page.locator("#count-created")).to_have_text(f"{deals:,}")
    expect(page.locator("#count-updated")).to_have_text("0")
    expect(page.locator("#count-errors")).to_have_text("0")
    reconciled = page.locator("#run-reconciled")
    expect(reconciled).to_contain_text("GTXPro → GTX Pro")
    expect(reconciled.get_by_role("row", name=re.compile("GTXPro"))).to_contain_text(
        f"{products['GTXPro']:,}"
    )
    assert "GTX Pro" not in products  # the pipeline spells it only one way: GTXPro

    # and what the page says is what happened
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert Deal.objects.filter(external_source="maven").count() == deals

    # when she goes back to the list
    page.get_by_role("link", name="All imports").click()

    # then the run is there, done, with its counts
    row = page.get_by_role("row", name=re.compile(f"#{run.pk}"))
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("Maven CRM")
    logging.getLogger("django.request").removeHandler(server_errors)
    assert problems == server_errors.expected_in_browser(f"/settings/imports/{run.pk}/")
