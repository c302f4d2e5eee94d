"""Reading debriefs through the API: a debrief carries its guide (opener, five questions,
reminders), its people and answers; the list shows what each role may see and filters by
status, kind and overdue."""

from __future__ import annotations

from decimal import Decimal

from debrief.losses import actions
from debrief.losses.models import DEBRIEF_OPENER, DEBRIEF_QUESTIONS
from debrief.losses.tests.api_helpers import errors, lose
from debrief.pipeline import actions as pipeline_actions


def test_a_debrief_carries_its_guide_people_and_answers(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita, name="Harbor renewal")
    contact = pipeline_actions.create_contact(
        deal.customer, None, name="Cleo Carter", email="cleo@harbor.example"
    )
    pipeline_actions.add_deal_contact(deal, contact, "decision_maker", None)
    debrief = lose(deal, cast.rita, days_ago=3).debrief
    actions.record_debrief_answers(
        debrief, cast.rita, [actions.AnswerInput(number=2, answer="You were slower to reply.")]
    )

    # when
    response = api_client.as_user(cast.rita).get(f"/api/v1/debriefs/{debrief.pk}")

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["kind"], body["status"]) == ("ordinary", "proposed")
    assert body["leader"]["email"] == "rita@example.com"
    assert [p["email"] for p in body["participants"]] == ["rita@example.com"]
    assert body["customer_contact"]["email"] == "cleo@harbor.example"
    assert body["loss"]["deal"]["name"] == "Harbor renewal"
    assert body["opener"] == DEBRIEF_OPENER
    assert [q["question"] for q in body["questions"]] == list(DEBRIEF_QUESTIONS)
    assert [q["number"] for q in body["questions"]] == [1, 2, 3, 4, 5]
    assert len(body["reminders"]) == 3
    [answer] = body["answers"]
    assert answer["number"] == 2
    assert answer["question"] == DEBRIEF_QUESTIONS[1]
    assert answer["answer"] == "You were slower to reply."
    assert answer["answered_by"]["email"] == "rita@example.com"
    assert body["when"] == body["proposed_for"]
    assert body["invite"].endswith(f"/api/v1/debriefs/{debrief.pk}/invite.ics")
    assert body["url"].endswith(f"/debriefs/{debrief.pk}/")
    assert body["version"] == 2


def test_each_role_sees_the_debriefs_it_may(api_client, cast, make_deal):
    # given
    ordinary = lose(make_deal(cast.rita), cast.rita).debrief
    major = lose(make_deal(cast.nico, amount=Decimal("250000")), cast.nico).debrief
    south = lose(make_deal(cast.oscar), cast.oscar).debrief

    # when
    seen = {
        user.email.split("@")[0]: sorted(
            item["id"] for item in api_client.as_user(user).get("/api/v1/debriefs").json()["items"]
        )
        for user in (cast.rita, cast.nico, cast.maya, cast.sam, cast.oscar, cast.ana, cast.adam)
    }

    # then
    assert seen == {
        "rita": [ordinary.pk],
        "nico": [major.pk],
        "maya": sorted([ordinary.pk, major.pk]),
        "sam": [south.pk],
        "oscar": [south.pk],
        "ana": sorted([ordinary.pk, major.pk, south.pk]),
        "adam": sorted([ordinary.pk, major.pk, south.pk]),
    }
    assert api_client.as_user(cast.oscar).get(f"/api/v1/debriefs/{ordinary.pk}").status_code == 404


def test_the_list_filters_by_status_kind_and_overdue(api_client, cast, make_deal):
    # given
    ordinary = lose(make_deal(cast.rita), cast.rita, days_ago=2).debrief
    overdue = lose(make_deal(cast.rita, amount=Decimal("300000")), cast.rita, days_ago=25).debrief
    recent_major = lose(make_deal(cast.nico, amount=Decimal("300000")), cast.nico).debrief
    actions.close_debrief(ordinary, cast.rita, "declined", "They prefer not to.")
    client = api_client.as_user(cast.maya)

    def ids(**params):
        response = client.get("/api/v1/debriefs", **params)
        assert response.status_code == 200, response.content
        return sorted(item["id"] for item in response.json()["items"])

    # when / then
    assert ids(status="declined") == [ordinary.pk]
    assert ids(kind="post_mortem") == sorted([overdue.pk, recent_major.pk])
    assert ids(overdue="true") == [overdue.pk]
    assert ids(overdue="false") == sorted([ordinary.pk, recent_major.pk])
    overdue_item = client.get("/api/v1/debriefs", overdue="true").json()["items"][0]
    assert overdue_item["overdue"] is True
    assert overdue_item["leader"]["email"] == "maya@example.com"
    assert "status" in errors(client.get("/api/v1/debriefs", status="maybe"))
    assert "kind" in errors(client.get("/api/v1/debriefs", kind="party"))
