"""Own-it reviews through the API: the rep writes theirs; the rep, their managers and admins
read it; analysts and other reps, even teammates, get 404 with their own tokens."""

from __future__ import annotations

import pytest

from debrief.losses.models import OwnItReview
from debrief.losses.tests.api_helpers import errors, lose, reason
from debrief.pipeline.models import DealEvent


@pytest.fixture
def review(cast, make_deal):
    return lose(make_deal(cast.rita, name="Harbor renewal"), cast.rita).own_it


def test_the_rep_writes_their_review(api_client, cast, review):
    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/own-it-reviews/{review.pk}",
        {
            "could_have_done_differently": "I should have met the CFO before the proposal.",
            "will_do_next_time": "I will map the buying committee in discovery.",
            "decisive_reason": reason("Relationship or rep fit").pk,
        },
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rep"]["email"] == "rita@example.com"
    assert body["loss"]["deal"]["name"] == "Harbor renewal"
    assert body["decisive_reason"]["name"] == "Relationship or rep fit"
    assert body["submitted_at"] is not None
    assert body["blames_only_outside"] is False
    assert DealEvent.objects.filter(kind="own_it_submitted", actor=cast.rita).count() == 1


def test_a_review_that_blames_only_price_is_flagged_kindly(api_client, cast, review):
    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/own-it-reviews/{review.pk}",
        {
            "could_have_done_differently": "Nothing, the price was too high.",
            "will_do_next_time": "Get marketing to send better leads.",
            "decisive_reason": reason("Price").pk,
        },
    )

    # then
    assert response.json()["blames_only_outside"] is True


def test_only_the_rep_and_their_managers_and_admins_read_it(api_client, cast, review):
    # when
    seen = {
        user.email.split("@")[0]: (
            api_client.as_user(user).get(f"/api/v1/own-it-reviews/{review.pk}").status_code,
            api_client.as_user(user).get("/api/v1/own-it-reviews").json()["count"],
        )
        for user in (cast.rita, cast.maya, cast.adam, cast.ana, cast.nico, cast.sam, cast.oscar)
    }

    # then
    assert seen == {
        "rita": (200, 1),
        "maya": (200, 1),
        "adam": (200, 1),
        "ana": (404, 0),
        "nico": (404, 0),
        "sam": (404, 0),
        "oscar": (404, 0),
    }


def test_nobody_but_the_rep_writes_it(api_client, cast, review):
    # given
    body = {"could_have_done_differently": "Theirs", "will_do_next_time": "Theirs"}

    # when
    codes = {
        user.email.split("@")[0]: api_client.as_user(user)
        .patch(f"/api/v1/own-it-reviews/{review.pk}", body)
        .status_code
        for user in (cast.maya, cast.adam, cast.ana, cast.nico, cast.oscar)
    }

    # then
    assert codes == {"maya": 403, "adam": 403, "ana": 403, "nico": 404, "oscar": 404}
    review.refresh_from_db()
    assert review.submitted_at is None


def test_both_answers_are_needed_and_a_retired_reason_is_refused(api_client, cast, review):
    # given
    retired = reason("Timing")
    api_client.as_user(cast.adam).patch(f"/api/v1/reasons/{retired.pk}", {"is_active": False})
    client = api_client.as_user(cast.rita)

    # when
    empty = client.patch(f"/api/v1/own-it-reviews/{review.pk}", {"will_do_next_time": "More."})
    retired_reason = client.patch(
        f"/api/v1/own-it-reviews/{review.pk}",
        {
            "could_have_done_differently": "A",
            "will_do_next_time": "B",
            "decisive_reason": retired.pk,
        },
    )

    # then
    assert "could_have_done_differently" in errors(empty)
    assert "retired" in errors(retired_reason)["decisive_reason"]
    assert OwnItReview.objects.get().submitted_at is None


def test_the_list_filters_by_loss_and_by_written(api_client, cast, make_deal, review):
    # given
    other = lose(make_deal(cast.rita), cast.rita).own_it
    client = api_client.as_user(cast.rita)
    client.patch(
        f"/api/v1/own-it-reviews/{other.pk}",
        {"could_have_done_differently": "I", "will_do_next_time": "I"},
    )

    # when
    empty = client.get("/api/v1/own-it-reviews", submitted="false").json()
    of_loss = client.get("/api/v1/own-it-reviews", loss=other.loss_id).json()

    # then
    assert [i["id"] for i in empty["items"]] == [review.pk]
    assert [i["id"] for i in of_loss["items"]] == [other.pk]
