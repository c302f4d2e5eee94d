"""CSV exports of deals, losses, debriefs and lessons follow the access rules of their pages:
a rep gets their own deals, a manager their team's, the analyst everything; the page and the
API give the same file."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from debrief.losses import actions as loss_actions
from debrief.losses.models import LossReason, OutcomeType
from debrief.pipeline import actions as pipeline_actions


def read_csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "the byte order mark Excel needs"
    return list(csv.DictReader(io.StringIO(body[1:])))


def lose(deal, user, reason="Price"):
    return loss_actions.mark_deal_lost(
        deal,
        user,
        loss_actions.LossInput(
            outcome_type=OutcomeType.objects.get(name="Lost to a competitor"),
            reasons=[LossReason.objects.get(name=reason)],
        ),
    )


@pytest.fixture
def book(cast, make_deal):
    """Rita: an open deal and a lost one with a lesson; Nico (North) one deal; Oscar (South)
    a lost deal."""
    rita_open = make_deal(cast.rita, name="Rita open", amount=Decimal("1200.50"))
    rita_lost = make_deal(cast.rita, name="Rita lost")
    rita_loss = lose(rita_lost, cast.rita)
    own_it = loss_actions.write_own_it_review(
        rita_loss.own_it,
        cast.rita,
        could_have_done_differently="Brought finance in earlier",
        will_do_next_time="Confirm budget in discovery",
        decisive_reason=None,
    )
    loss_actions.record_lesson(
        cast.rita, loss_actions.LessonInput(statement="Confirm budget early"), own_it=own_it
    )
    nico_deal = make_deal(cast.nico, name="Nico open")
    oscar_lost = make_deal(cast.oscar, name="Oscar lost")
    lose(oscar_lost, cast.oscar, reason="Timing")
    return {"rita_open": rita_open, "rita_lost": rita_lost, "nico": nico_deal, "oscar": oscar_lost}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("rita", {"Rita open", "Rita lost"}),
        ("nico", {"Nico open"}),
        ("maya", {"Rita open", "Rita lost", "Nico open"}),
        ("oscar", {"Oscar lost"}),
        ("sam", {"Oscar lost"}),
        ("ana", {"Rita open", "Rita lost", "Nico open", "Oscar lost"}),
        ("adam", {"Rita open", "Rita lost", "Nico open", "Oscar lost"}),
    ],
)
def test_deals_export_holds_the_deals_each_role_may_see(client, cast, book, role, expected):
    # given
    client.force_login(getattr(cast, role))
    # when
    response = client.get("/exports/deals.csv")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="debrief-deals-')
    assert {row["name"] for row in read_csv(response)} == expected


@pytest.mark.parametrize(
    ("role", "losses", "lessons"),
    [
        ("rita", {"Rita lost"}, {"Confirm budget early"}),
        ("nico", set(), {"Confirm budget early"}),  # a lesson belongs to the whole team
        ("maya", {"Rita lost"}, {"Confirm budget early"}),
        ("oscar", {"Oscar lost"}, set()),
        ("ana", {"Rita lost", "Oscar lost"}, {"Confirm budget early"}),
    ],
)
def test_loss_debrief_and_lesson_exports_follow_the_access_rules(
    client, cast, book, role, losses, lessons
):
    # given
    client.force_login(getattr(cast, role))
    # when
    loss_rows = read_csv(client.get("/exports/losses.csv"))
    debrief_rows = read_csv(client.get("/exports/debriefs.csv"))
    lesson_rows = read_csv(client.get("/exports/lessons.csv"))
    # then
    assert {row["deal"] for row in loss_rows} == losses
    assert {row["deal"] for row in debrief_rows} == losses  # every loss got its debrief
    assert {row["statement"] for row in lesson_rows} == lessons


def test_a_loss_row_carries_its_reasons_competitors_and_amount(client, cast, make_deal):
    # given
    deal = make_deal(cast.rita, name="Big one", amount=Decimal("90000"))
    rival = pipeline_actions.create_competitor(None, "Acme Rival")
    other = pipeline_actions.create_competitor(None, "Beta Corp")
    loss_actions.mark_deal_lost(
        deal,
        cast.rita,
        loss_actions.LossInput(
            outcome_type=OutcomeType.objects.get(name="Lost to a competitor"),
            reasons=[LossReason.objects.get(name="Price"), LossReason.objects.get(name="Timing")],
            primary_reason=LossReason.objects.get(name="Price"),
            competitors=[rival, other],
        ),
    )
    client.force_login(cast.maya)
    # when
    (row,) = read_csv(client.get("/exports/losses.csv"))
    # then
    assert row["primary_reason"] == "Price"
    assert row["reasons"] == "Price; Timing"
    assert row["competitors"] == "Acme Rival; Beta Corp"
    assert row["amount_at_loss"] == "90000.00"
    assert row["owner"] == cast.rita.full_name


def test_the_api_gives_the_same_file_as_the_page(client, api_client, cast, book):
    # given
    client.force_login(cast.maya)
    for kind in ("deals", "losses", "debriefs", "lessons"):
        # when
        page = read_csv(client.get(f"/exports/{kind}.csv"))
        api = api_client.as_user(cast.maya).get(f"/api/v1/exports/{kind}")
        # then
        assert api.status_code == 200
        assert api["Content-Type"] == "text/csv; charset=utf-8"
        assert read_csv(api) == page


def test_exports_need_a_sign_in(client, api_client, book):
    assert client.get("/exports/deals.csv").status_code == 302
    assert client.get("/api/v1/exports/deals").status_code == 401
