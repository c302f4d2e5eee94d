"""`debrief insights METRIC [--by] [--from --to] --json` prints the figures the pages show;
`debrief insights rebuild` recomputes the rollups."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from debrief.insights.models import Rollup


def _run(*args: str) -> str:
    out = StringIO()
    call_command("insights", *args, stdout=out)
    return out.getvalue()


def test_win_rate_by_team_as_json(close_deal: Any, rita: Any, oscar: Any) -> None:
    # given
    close_deal(rita, "won")
    close_deal(rita, "lost")
    close_deal(oscar, "lost")
    # when
    data = json.loads(_run("win-rate", "--by", "team", "--json"))
    # then
    assert data["rows"] == [
        {"group": "North", "won": 1, "lost": 1, "win_rate": 0.5},
        {"group": "South", "won": 0, "lost": 1, "win_rate": 0.0},
    ]
    assert data["overall"]["won"] == 1 and data["overall"]["lost"] == 2
    assert data["by"] == "team"


def test_as_a_user_and_a_period(close_deal: Any, rita: Any, oscar: Any) -> None:
    close_deal(rita, "won")
    close_deal(oscar, "lost")
    data = json.loads(
        _run("win-rate", "--as", "rita@example.com", "--from", "2000-01-01", "--json")
    )
    assert (data["overall"]["won"], data["overall"]["lost"]) == (1, 0)
    assert data["from"] == "2000-01-01"


def test_table_output(close_deal: Any, rita: Any) -> None:
    close_deal(rita, "lost", reasons=("Price", "Timing"))
    out = _run("loss-reasons")
    assert "Price" in out and "Timing" in out and "Overall" in out


def test_rebuild_recomputes_everything(close_deal: Any, rita: Any) -> None:
    close_deal(rita, "won")
    Rollup.objects.all().delete()
    assert "Rebuilt the insights" in _run("rebuild")
    assert json.loads(_run("win-rate", "--json"))["overall"]["won"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("profit",), "Unknown metric"),
        (("win-rate", "--by", "colour"), "cannot be grouped"),
        (("win-rate", "--from", "31/02/2025"), "use YYYY-MM-DD"),
        (("win-rate", "--as", "nobody@example.com"), "No user"),
    ],
)
def test_bad_input_is_a_clear_error(db: None, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)
