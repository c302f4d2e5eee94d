"""The one-page plan: a small deal asks for the purpose, best outcome and fall-back; a large
one for every part. Completeness shows as a percentage; a stale save is a clear conflict that
keeps the writer's text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.meetings import actions
from debrief.meetings.models import BALANCE_OF_VALUE, PLAN_PROMPTS, UPFRONT_CONTRACT
from debrief.meetings.tests.page_helpers import meeting, section, text

SHORT = {
    "purpose": "Agree the pilot's scope",
    "best_outcome": "A signed pilot order",
    "fallback_objective": "A date for the security review",
}


def _post(**answers: str) -> dict[str, str]:
    """The form as sent by someone who opened the plan at version 1."""
    return {"version": "1", **answers}


@pytest.mark.parametrize(
    ("amount", "percent_after_short", "sufficient"),
    [(Decimal("10000"), 100, True), (Decimal("90000"), 18, False)],
)
def test_the_plan_asks_for_as_much_as_the_deal_is_worth(
    client, rita, make_deal, amount, percent_after_short, sufficient
):
    # given a meeting on a deal below / above the full-plan threshold (50,000)
    planned = meeting(make_deal(rita, amount=amount), rita, hours=30)
    client.force_login(rita)
    page = client.get(f"/meetings/{planned.pk}/plan/")
    assert "0% complete" in section(page, "plan-completeness")
    scope = section(page, "plan-scope")
    assert ("short plan" in scope) is sufficient

    # when the short plan is written
    response = client.post(f"/meetings/{planned.pk}/plan/", _post(**SHORT), follow=True)

    # then
    planned.plan.refresh_from_db()
    assert planned.plan.purpose == "Agree the pilot's scope"
    assert planned.plan.version == 2
    assert f"{percent_after_short}% complete" in section(response, "plan-completeness")
    assert planned.plan.is_sufficient() is sufficient
    if not sufficient:
        assert "Still needed for this deal: Who am I meeting" in text(response)


def test_a_large_deal_is_sufficient_with_every_part(client, rita, make_deal):
    planned = meeting(make_deal(rita, amount=Decimal("90000")), rita, hours=30)
    every = {f: f"About {f}" for f, _ in (*PLAN_PROMPTS, *UPFRONT_CONTRACT, *BALANCE_OF_VALUE)}
    client.force_login(rita)

    response = client.post(
        f"/meetings/{planned.pk}/plan/", _post(contract_no_is_ok="on", **every), follow=True
    )

    assert "100% complete" in section(response, "plan-completeness")
    planned.plan.refresh_from_db()
    assert planned.plan.contract_no_is_ok
    assert planned.plan.is_sufficient()


def test_the_page_marks_the_parts_this_deal_needs(client, rita, make_deal):
    planned = meeting(make_deal(rita, amount=Decimal("10000")), rita, hours=30)
    client.force_login(rita)

    body = client.get(f"/meetings/{planned.pk}/plan/").content.decode()

    assert body.count("Needed for a deal this size.") == 3
    assert 'id="id_purpose_helptext">Needed for a deal this size.' in body


def test_an_htmx_save_answers_with_the_updated_form(client, rita, make_deal):
    planned = meeting(make_deal(rita, amount=Decimal("10000")), rita, hours=30)
    client.force_login(rita)

    response = client.post(
        f"/meetings/{planned.pk}/plan/", _post(**SHORT), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "100% complete" in section(response, "plan-completeness")
    assert "Saved" in section(response, "plan-saved")
    assert 'name="version" value="2"' in body


def test_a_stale_save_is_a_conflict_that_keeps_my_text(client, rita, maya, make_deal):
    # given Maya saved the plan after Rita opened it at version 1
    planned = meeting(make_deal(rita), rita, hours=30)
    actions.write_plan(planned, maya, purpose="Maya's purpose")

    # when Rita saves what she wrote
    client.force_login(rita)
    response = client.post(f"/meetings/{planned.pk}/plan/", _post(purpose="Rita's purpose"))

    # then nothing of hers is saved, she is told why, and she still has her text and theirs
    planned.plan.refresh_from_db()
    assert response.status_code == 409
    assert planned.plan.purpose == "Maya's purpose"
    assert "Someone else saved this plan" in section(response, "plan-conflict")
    body = response.content.decode()
    assert "Rita&#x27;s purpose</textarea>" in body
    assert "Their saved version" in body and "Maya&#x27;s purpose" in body
    assert 'name="version" value="2"' in body


def test_a_reader_sees_the_plan_without_a_form(client, rita, ana, make_deal):
    planned = meeting(make_deal(rita), rita, hours=30)
    actions.write_plan(planned, rita, purpose="Agree the pilot's scope")
    client.force_login(ana)

    response = client.get(f"/meetings/{planned.pk}/plan/")

    assert response.status_code == 200
    assert "<textarea" not in response.content.decode()
    assert "Agree the pilot's scope" in text(response)
