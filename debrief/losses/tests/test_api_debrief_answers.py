"""Recording a debrief's answers through the API: one per question, an added question of
the leader's own, the customer's decisive reason; only the debrief's people write them, and
a clash between two editors is caught by the version."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.losses.models import DEBRIEF_QUESTIONS, DebriefAnswer
from debrief.losses.tests.api_helpers import errors, lose, reason


@pytest.fixture
def debrief(cast, make_deal):
    return lose(make_deal(cast.rita), cast.rita, days_ago=8).debrief


def test_the_leader_records_the_answers(api_client, cast, debrief):
    # when
    response = api_client.as_user(cast.rita).post(
        f"/api/v1/debriefs/{debrief.pk}/answers",
        {
            "answers": [{"number": n, "answer": f"Answer {n}"} for n in range(1, 6)]
            + [{"number": 0, "question": "Who else did you talk to?", "answer": "Two others."}],
            "customer_decisive_reason": reason("Missing capability").pk,
            "notes": "Friendly call.",
            "version": debrief.version,
        },
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(a["number"], a["answer"]) for a in body["answers"]] == [
        (0, "Two others."),
        *((n, f"Answer {n}") for n in range(1, 6)),
    ]
    assert body["answers"][0]["question"] == "Who else did you talk to?"
    assert body["answers"][5]["question"] == DEBRIEF_QUESTIONS[4]
    assert body["customer_decisive_reason"]["name"] == "Missing capability"
    assert body["notes"] == "Friendly call."
    assert body["version"] == debrief.version + 1


def test_answers_sent_again_replace_the_earlier_ones(api_client, cast, debrief):
    # given
    client = api_client.as_user(cast.rita)
    url = f"/api/v1/debriefs/{debrief.pk}/answers"
    client.post(url, {"answers": [{"number": 1, "answer": "First take"}]})

    # when
    response = client.post(url, {"answers": [{"number": 1, "answer": "Second take"}]})

    # then
    assert [a["answer"] for a in response.json()["answers"]] == ["Second take"]


def test_answers_from_someone_not_in_the_debrief_are_refused(api_client, cast, debrief):
    # given
    body = {"answers": [{"number": 1, "answer": "Not mine to write"}]}
    url = f"/api/v1/debriefs/{debrief.pk}/answers"

    # when
    from_manager = api_client.as_user(cast.maya).post(url, body)
    from_other_team = api_client.as_user(cast.oscar).post(url, body)
    from_analyst = api_client.as_user(cast.ana).post(url, body)

    # then
    assert "leader and participants" in errors(from_manager, 403)["answered_by"]
    assert from_other_team.status_code == 404
    assert from_analyst.status_code == 403
    assert not DebriefAnswer.objects.exists()


def test_the_manager_leading_a_post_mortem_and_the_rep_both_answer(api_client, cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita, amount=Decimal("250000")), cast.rita, days_ago=3).debrief
    url = f"/api/v1/debriefs/{debrief.pk}/answers"

    # when
    by_maya = api_client.as_user(cast.maya).post(url, {"answers": [{"number": 1, "answer": "A"}]})
    by_rita = api_client.as_user(cast.rita).post(url, {"answers": [{"number": 2, "answer": "B"}]})

    # then
    assert by_maya.status_code == 200, by_maya.content
    assert by_rita.status_code == 200, by_rita.content
    assert DebriefAnswer.objects.count() == 2


def test_bad_answers_are_named_and_nothing_is_saved(api_client, cast, debrief):
    # given
    url = f"/api/v1/debriefs/{debrief.pk}/answers"
    retired = reason("Timing")
    api_client.as_user(cast.adam).patch(f"/api/v1/reasons/{retired.pk}", {"is_active": False})
    client = api_client.as_user(cast.rita)

    # when
    no_such_question = client.post(url, {"answers": [{"number": 6, "answer": "?"}]})
    added_without_text = client.post(url, {"answers": [{"number": 0, "answer": "Hm"}]})
    retired_reason = client.post(
        url,
        {"answers": [{"number": 1, "answer": "A"}], "customer_decisive_reason": retired.pk},
    )

    # then
    assert "answers" in errors(no_such_question)
    assert "question" in errors(added_without_text)
    assert "retired" in errors(retired_reason)["customer_decisive_reason"]
    assert not DebriefAnswer.objects.exists()


def test_a_second_editor_working_from_an_old_copy_is_told(api_client, cast, make_deal):
    # given a post-mortem: Maya leads, Rita joins; both read version 1
    debrief = lose(make_deal(cast.rita, amount=Decimal("250000")), cast.rita, days_ago=3).debrief
    url = f"/api/v1/debriefs/{debrief.pk}/answers"
    read = debrief.version
    api_client.as_user(cast.maya).post(
        url, {"answers": [{"number": 1, "answer": "Maya's"}], "version": read}
    )

    # when
    stale = api_client.as_user(cast.rita).post(
        url, {"answers": [{"number": 1, "answer": "Rita's"}], "version": read}
    )

    # then
    assert "Someone else changed this debrief" in errors(stale)["version"]
    assert DebriefAnswer.objects.get().answer == "Maya's"
