"""A debrief ends through the API: held (never on the day of the loss), declined by the
customer or cancelled; an ended debrief takes no more changes."""

from __future__ import annotations

from debrief.losses.models import Debrief
from debrief.losses.tests.api_helpers import errors, lose
from debrief.pipeline.models import DealEvent


def test_the_leader_marks_the_debrief_held(api_client, cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita, days_ago=8).debrief

    # when
    response = api_client.as_user(cast.rita).post(f"/api/v1/debriefs/{debrief.pk}/held")

    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held"
    assert response.json()["held_at"] is not None
    assert DealEvent.objects.filter(kind="debrief_held", actor=cast.rita).exists()


def test_a_debrief_is_not_held_on_the_day_of_the_loss(api_client, cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita).debrief

    # when
    response = api_client.as_user(cast.rita).post(f"/api/v1/debriefs/{debrief.pk}/held", {})

    # then
    assert "never held the day the loss is learnt" in errors(response)["held_at"]
    assert Debrief.objects.get().status == "proposed"


def test_the_customer_declines(api_client, cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita, days_ago=2).debrief
    client = api_client.as_user(cast.rita)

    # when
    response = client.post(
        f"/api/v1/debriefs/{debrief.pk}/close", {"status": "declined", "note": "Too busy."}
    )
    held_after = client.post(f"/api/v1/debriefs/{debrief.pk}/held")
    answers_after = client.post(
        f"/api/v1/debriefs/{debrief.pk}/answers", {"answers": [{"number": 1, "answer": "x"}]}
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert "Too busy." in response.json()["notes"]
    assert "already Declined by customer" in errors(held_after)["status"]
    assert "status" in errors(answers_after)


def test_a_debrief_closes_only_as_declined_or_cancelled_by_its_people(api_client, cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita, days_ago=2).debrief
    url = f"/api/v1/debriefs/{debrief.pk}/close"

    # when
    held = api_client.as_user(cast.rita).post(url, {"status": "held"})
    by_manager = api_client.as_user(cast.maya).post(url, {"status": "cancelled"})
    by_other_team = api_client.as_user(cast.sam).post(url, {"status": "cancelled"})

    # then
    assert "declined or cancelled" in errors(held)["status"]
    assert by_manager.status_code == 403
    assert by_other_team.status_code == 404
    assert Debrief.objects.get().status == "proposed"
