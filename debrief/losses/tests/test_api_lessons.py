"""Lessons through the API: recorded from a held debrief by its people or from a written
own-it review by the rep or their manager, linked to their source, tagged, and visible to
the team they came from."""

from __future__ import annotations

import pytest

from debrief.losses import actions
from debrief.losses.models import Lesson
from debrief.losses.tests.api_helpers import errors, lose, reason
from debrief.pipeline import actions as pipeline_actions


@pytest.fixture
def held(cast, make_deal, stages):
    loss = lose(make_deal(cast.rita, stage=stages["Proposal"]), cast.rita, days_ago=8)
    return actions.mark_debrief_held(loss.debrief, cast.rita)


@pytest.fixture
def written(cast, make_deal):
    review = lose(make_deal(cast.rita), cast.rita).own_it
    return actions.write_own_it_review(
        review,
        cast.rita,
        could_have_done_differently="I waited too long to involve my manager.",
        will_do_next_time="I will bring Maya in at Proposal.",
        decisive_reason=reason("Relationship or rep fit"),
    )


def test_the_leader_records_a_lesson_from_a_held_debrief(api_client, cast, held):
    # given
    rival = pipeline_actions.create_competitor(None, "Acme Rival")

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/lessons",
        {
            "debrief": held.pk,
            "statement": "Show the migration plan before the price.",
            "do_differently": "Bring a customer reference to the proposal meeting.",
            "tag_competitor": rival.pk,
            "tag_product": "Robots",
        },
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["debrief"], body["own_it_review"]) == ("debrief", held.pk, None)
    assert body["team"]["name"] == "North"
    assert body["author"]["email"] == "rita@example.com"
    assert body["tag_stage"]["name"] == "Proposal"  # the stage at loss, by default
    assert body["tag_reason"]["name"] == "Price"  # the primary reason, by default
    assert body["tag_competitor"] == {"id": rival.pk, "name": "Acme Rival"}
    assert body["tag_segment"] == "Manufacturing"
    assert body["url"].endswith(f"/lessons/{body['id']}/")


def test_the_manager_records_a_lesson_from_a_written_own_it_review(api_client, cast, written):
    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/lessons", {"own_it_review": written.pk, "statement": "Involve the manager early."}
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["own_it_review"]) == ("own_it", written.pk)
    assert body["author"]["email"] == "maya@example.com"


def test_a_lesson_is_visible_to_the_team_it_came_from(api_client, cast, held):
    # given
    lesson = api_client.as_user(cast.rita).post(
        "/api/v1/lessons", {"debrief": held.pk, "statement": "Ask about the budget owner."}
    )
    url = f"/api/v1/lessons/{lesson.json()['id']}"

    # when
    seen = {
        user.email.split("@")[0]: (
            api_client.as_user(user).get(url).status_code,
            api_client.as_user(user).get("/api/v1/lessons").json()["count"],
        )
        for user in (cast.rita, cast.nico, cast.maya, cast.ana, cast.adam, cast.sam, cast.oscar)
    }

    # then
    assert seen == {
        "rita": (200, 1),
        "nico": (200, 1),
        "maya": (200, 1),
        "ana": (200, 1),
        "adam": (200, 1),
        "sam": (404, 0),
        "oscar": (404, 0),
    }


def test_lessons_come_only_from_a_held_debrief_or_a_written_review(api_client, cast, make_deal):
    # given
    loss = lose(make_deal(cast.rita), cast.rita, days_ago=2)
    client = api_client.as_user(cast.rita)

    # when
    from_pending = client.post("/api/v1/lessons", {"debrief": loss.debrief.pk, "statement": "A"})
    from_empty = client.post("/api/v1/lessons", {"own_it_review": loss.own_it.pk, "statement": "A"})
    from_nothing = client.post("/api/v1/lessons", {"statement": "A"})

    # then
    assert "once it has been held" in errors(from_pending)["debrief"]
    assert "Write the own-it review" in errors(from_empty)["own_it_review"]
    assert "source" in errors(from_nothing)
    assert not Lesson.objects.exists()


def test_only_the_people_involved_record_lessons(api_client, cast, held, written):
    # when
    nico_on_debrief = api_client.as_user(cast.nico).post(
        "/api/v1/lessons", {"debrief": held.pk, "statement": "Not mine"}
    )
    maya_on_debrief = api_client.as_user(cast.maya).post(
        "/api/v1/lessons", {"debrief": held.pk, "statement": "Not led by me"}
    )
    oscar_on_review = api_client.as_user(cast.oscar).post(
        "/api/v1/lessons", {"own_it_review": written.pk, "statement": "Not mine"}
    )
    ana = api_client.as_user(cast.ana).post(
        "/api/v1/lessons", {"debrief": held.pk, "statement": "Read only"}
    )
    empty = api_client.as_user(cast.rita).post(
        "/api/v1/lessons", {"debrief": held.pk, "statement": "  "}
    )

    # then
    assert errors(nico_on_debrief, 404) == {
        "debrief": f"No debrief with id {held.pk} that you can see."
    }
    assert "debrief" in errors(maya_on_debrief, 403)
    assert "own_it_review" in errors(oscar_on_review, 404)
    assert ana.status_code == 403
    assert "statement" in errors(empty)
    assert not Lesson.objects.exists()
