"""An admin uploads a Salesforce export on the imports page: the files are kept under the run's
own folder, the import is queued for the task worker, the run's page follows it (HTMX polling
while it runs) and then shows the report, its row errors downloadable as CSV. A dry run
changes nothing; a real one writes the deals."""

from __future__ import annotations

import csv
import io
import signal
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from debrief.imports.models import ImportRun, ImportStatus
from debrief.pipeline.models import Deal

OPPORTUNITIES = (
    "Id,Name,Account.Name,StageName,Amount,CurrencyIsoCode,CloseDate,IsClosed,IsWon\r\n"
    "006A1,Harbor renewal,Harbor Logistics,Closed Won,12500,USD,2025-03-01,true,true\r\n"
    '006A2,Fjord expansion,Fjord Foods,Negotiation/Review,"8,000",EUR,2025-06-30,false,false\r\n'
    '006A3,Delta pilot,Delta Ltd,Closed Lost,"12,5O0",USD,2025-02-01,true,false\r\n'
)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return settings.VAR_DIR


@pytest.fixture(autouse=True)
def keep_signal_handlers():
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def export(name: str = "Opportunity.csv", body: str = OPPORTUNITIES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(), content_type="text/csv")


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dry_run_reports_counts_and_row_errors_and_changes_nothing(client, adam, var_dir):
    # given
    client.force_login(adam)

    # when
    response = client.post(
        "/settings/imports/",
        {"csv_files": [export()], "format": "salesforce", "dry_run": "on", "skip_invalid": "on"},
    )

    # then the run is queued, its file kept in its own folder under a safe name
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/settings/imports/{run.pk}/"
    assert run.status == ImportStatus.QUEUED
    assert run.created_by == adam
    assert run.format == "salesforce"
    assert run.file_names == ["Opportunity.csv"]
    assert run.paths == [str(var_dir / "imports" / str(run.pk) / "Opportunity.csv")]
    assert (
        var_dir / "imports" / str(run.pk) / "Opportunity.csv"
    ).read_bytes() == OPPORTUNITIES.encode()
    assert run.options["dry_run"] is True
    assert run.options["skip_invalid"] is True
    assert DBTaskResult.objects.filter(task_path="debrief.imports.tasks.run_import").count() == 1

    # when the page is opened before a worker took it
    page = client.get(f"/settings/imports/{run.pk}/").content.decode()

    # then it polls every second and shows where it stands
    assert 'hx-trigger="every 1s"' in page
    assert "Waiting for the task worker" in page
    assert '<progress id="run-progress"' in page

    # when the worker runs it
    run_worker()
    response = client.get(f"/settings/imports/{run.pk}/", headers={"HX-Request": "true"})

    # then the fragment HTMX swaps in holds the report and no more polling
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "hx-trigger" not in fragment
    assert "Dry run finished: nothing was changed" in fragment
    assert 'id="count-created">2<' in fragment
    assert 'id="count-skipped">1<' in fragment
    assert 'id="count-errors">1<' in fragment
    assert "Negotiation/Review" in fragment  # a stage the import would create
    assert "12,5O0" in fragment
    assert "is not an amount" in fragment
    assert Deal.objects.count() == 0

    # when the errors are downloaded
    response = client.get(f"/settings/imports/{run.pk}/errors.csv")

    # then they are a CSV: row, column, value, message
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="import-{run.pk}-errors.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["row", "column", "value", "message"]
    assert rows[1][:3] == ["4", "Amount", "12,5O0"]
    assert "is not an amount" in rows[1][3]

    # and the list shows the run
    listing = client.get("/settings/imports/").content.decode()
    assert f'href="/settings/imports/{run.pk}/"' in listing
    assert "Dry run" in listing
    assert "Adam Achebe" in listing


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_import_writes_the_deals(client, adam):
    # given
    client.force_login(adam)
    valid = OPPORTUNITIES.replace('"12,5O0"', '"12,500"')

    # when
    client.post("/settings/imports/", {"csv_files": [export(body=valid)], "format": "salesforce"})
    run_worker()

    # then
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.DONE
    assert run.rows_done == run.rows_total == 3
    page = client.get(f"/settings/imports/{run.pk}/").content.decode()
    assert "Import finished" in page
    assert 'id="count-created">3<' in page
    assert "Row errors" not in page
    assert Deal.objects.get(external_id="006A3").amount == Decimal("12500")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_run_says_why_and_that_nothing_was_written(client, adam):
    # given
    client.force_login(adam)

    # when a row is invalid and invalid rows are not skipped
    client.post("/settings/imports/", {"csv_files": [export()], "format": "salesforce"})
    run_worker()

    # then
    run = ImportRun.objects.get()
    page = client.get(f"/settings/imports/{run.pk}/").content.decode()
    assert run.status == ImportStatus.FAILED
    assert "Import failed" in page
    assert "Nothing was written." in page
    assert "12,5O0" in page
    assert Deal.objects.count() == 0
