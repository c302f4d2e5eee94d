"""Rep versus customer: for each held debrief, the rep's decisive reason beside the
customer's, and how often and where they differ. The rep's own-it words stay with the rep
and their managers: others see the reason recorded on the loss instead."""

from __future__ import annotations

import re

from debrief.losses import actions
from debrief.losses.tests.page_helpers import hold, lose, reason, text, text_of


def table(response, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', response.content.decode(), re.S)
    return text_of(match.group(0)) if match else ""


def reviewed_and_held(make_deal, rep, *, recorded: str, decisive: str, customer: str) -> None:
    loss = lose(make_deal(rep), rep, reasons=(recorded,), days_ago=10)
    actions.write_own_it_review(
        loss.own_it,
        rep,
        could_have_done_differently="I could have qualified harder.",
        will_do_next_time="I will qualify harder.",
        decisive_reason=reason(decisive),
    )
    hold(loss, rep, customer_reason=customer)


def test_the_manager_sees_where_reps_and_customers_differ(client, maya, rita, nico, make_deal):
    # given two debriefs where the rep blamed price and the customer named a missing
    # capability, and one where they agree
    for rep in (rita, nico):
        reviewed_and_held(
            make_deal, rep, recorded="Price", decisive="Price", customer="Missing capability"
        )
    reviewed_and_held(make_deal, rita, recorded="Timing", decisive="Timing", customer="Timing")
    client.force_login(maya)

    # when
    response = client.get("/losses/rep-vs-customer/")

    # then
    body = response.content.decode()
    assert re.search(r'data-figure="compared">3<', body)
    assert re.search(r'data-figure="differ">2<', body)
    assert "67% of those compared" in text(response)
    assert "Price Missing capability 2" in table(response, "differ-pairs")
    by_reason = table(response, "by-reason")
    for row in ("Missing capability 0 2", "Price 2 0", "Timing 1 1"):
        assert row in by_reason


def test_others_see_the_recorded_reason_not_the_own_it_one(client, rita, ana, make_deal):
    # given the loss was recorded as Price, but in her own-it review rita says the
    # relationship was decisive
    reviewed_and_held(
        make_deal,
        rita,
        recorded="Price",
        decisive="Relationship or rep fit",
        customer="Missing capability",
    )

    # when / then: rita sees her own word
    client.force_login(rita)
    assert "Relationship or rep fit" in text(client.get("/losses/rep-vs-customer/"))
    # the analyst sees the reason on the loss record
    client.force_login(ana)
    page = text(client.get("/losses/rep-vs-customer/"))
    assert "Relationship or rep fit" not in page
    assert "Price" in page


def test_the_other_team_sees_nothing_of_it(client, rita, oscar, make_deal):
    # given
    reviewed_and_held(make_deal, rita, recorded="Price", decisive="Price", customer="Timing")

    # when
    client.force_login(oscar)
    response = client.get("/losses/rep-vs-customer/")

    # then
    assert response.status_code == 200
    assert re.search(r'data-figure="held">0<', response.content.decode())
