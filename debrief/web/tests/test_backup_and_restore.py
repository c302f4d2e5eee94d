"""`debrief backup FILE` and `debrief restore FILE` round-trip every table: what comes back is
what went out, row for row, on SQLite and on PostgreSQL, and from one to the other."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from debrief.losses import actions as loss_actions
from debrief.losses.models import LossReason, OutcomeType
from debrief.org import actions as org_actions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPO = Path(__file__).resolve().parents[3]
# Not backed up: re-created by migrate, or (data versions) changed by the restore itself.
SKIPPED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "web.dataversion",
}


def every_table() -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table (many-to-many tables included), by model, sorted."""
    tables: dict[str, list[tuple[str, ...]]] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in SKIPPED or model._meta.proxy:
            continue
        columns = [f.attname for f in model._meta.concrete_fields]
        if model._meta.auto_created:
            # A many-to-many link is its two ends; its own row id is not data (a backup
            # holds the links, and the restore numbers them anew).
            columns = [c for c in columns if c != "id"]
        rows = model._default_manager.order_by(*columns).values_list(*columns)
        tables[label] = [tuple(json.dumps(v, default=str) for v in row) for row in rows]
    return tables


def some_of_everything(cast, make_deal):
    deal = make_deal(cast.rita, name="Harbor renewal", amount=Decimal("250000"))
    loss = loss_actions.mark_deal_lost(
        deal,
        cast.rita,
        loss_actions.LossInput(
            outcome_type=OutcomeType.objects.get(name="Lost to a competitor"),
            reasons=[LossReason.objects.get(name="Price")],
        ),
    )
    loss_actions.write_own_it_review(
        loss.own_it,
        cast.rita,
        could_have_done_differently="Brought finance in earlier",
        will_do_next_time="Confirm budget in discovery",
        decisive_reason=LossReason.objects.get(name="Price"),
    )
    make_deal(cast.oscar, name="South open deal")
    org_actions.create_api_token(cast.rita, None, "laptop")
    org_actions.update_organisation(cast.adam, name="Acme Robotics")


def test_a_backup_restores_every_table_row_for_row(cast, make_deal, tmp_path):
    # given
    some_of_everything(cast, make_deal)
    before = every_table()
    assert sum(len(rows) for rows in before.values()) > 50
    backup = tmp_path / "debrief.jsonl.gz"

    # when everything is backed up, wiped and restored
    call_command("backup", str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert every_table() != before
    call_command("restore", str(backup), "--yes", stdout=io.StringIO())

    # then
    assert every_table() == before


def test_a_broken_backup_changes_nothing(cast, make_deal, tmp_path):
    # given a backup cut off in the middle of a line
    some_of_everything(cast, make_deal)
    good = tmp_path / "good.jsonl"
    call_command("backup", str(good), stdout=io.StringIO())
    text = good.read_text()
    broken = tmp_path / "broken.jsonl"
    broken.write_text(text[: len(text) // 2])
    before = every_table()

    # when
    with pytest.raises(Exception):  # noqa: B017 - whatever loaddata raises, nothing changes
        call_command("restore", str(broken), "--yes", stdout=io.StringIO())

    # then
    assert every_table() == before


def test_restore_refuses_without_yes_when_it_cannot_ask(tmp_path, db, monkeypatch):
    backup = tmp_path / "b.jsonl"
    backup.write_text("")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no one to ask
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(backup))


def test_a_backup_needs_a_name_that_says_what_it_is(tmp_path, db):
    with pytest.raises(CommandError, match=r"\.jsonl"):
        call_command("backup", str(tmp_path / "backup.zip"))


def _debrief(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _normalised(path: Path) -> list[str]:
    import gzip

    # PostgreSQL keeps JSON objects with its own key order: compare the values, not the text.
    with gzip.open(path, "rt") as lines:
        return sorted(json.dumps(json.loads(line), sort_keys=True) for line in lines)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL server")
def test_a_sqlite_backup_restores_into_postgresql(tmp_path):
    # given a SQLite database with the demo organisation
    sqlite = {"DATABASE_URL": "", "DEBRIEF_VAR_DIR": str(tmp_path / "var")}
    _debrief("migrate", "--no-input", env=sqlite)
    _debrief("demo", "--deals", "100", env=sqlite)
    _debrief("backup", str(tmp_path / "from-sqlite.jsonl.gz"), env=sqlite)

    # when it is restored into a fresh PostgreSQL database and backed up from there
    url = connection.settings_dict
    name = f"{url['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    postgres = {
        "DATABASE_URL": f"postgres://{url['USER']}@{url['HOST'] or '127.0.0.1'}:{url['PORT'] or 5432}/{name}",
        "DEBRIEF_VAR_DIR": str(tmp_path / "var"),
    }
    try:
        _debrief("migrate", "--no-input", env=postgres)
        _debrief("restore", str(tmp_path / "from-sqlite.jsonl.gz"), "--yes", env=postgres)
        _debrief("backup", str(tmp_path / "from-postgres.jsonl.gz"), env=postgres)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # then both backups hold the same records
    assert _normalised(tmp_path / "from-sqlite.jsonl.gz") == _normalised(
        tmp_path / "from-postgres.jsonl.gz"
    )
