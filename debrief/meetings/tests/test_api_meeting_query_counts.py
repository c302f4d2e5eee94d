"""The meetings API's lists cost the same number of queries whatever their length: meetings
(with attendees, contacts and plan state), outcomes and bad meetings (with their causes and
recovery steps)."""

from __future__ import annotations

from debrief.meetings import actions
from debrief.meetings.models import OutcomeResult
from debrief.meetings.tests.api_helpers import meeting
from debrief.pipeline import actions as pipeline_actions


def _add(rita, nico, make_deal, n):
    for _ in range(n):
        deal = make_deal(rita)
        contact = pipeline_actions.create_contact(deal.customer, rita, name="Cleo")
        held = meeting(deal, rita, our_attendees=[rita, nico], customer_contacts=[contact])
        actions.record_outcome(
            held,
            rita,
            actions.OutcomeInput(
                result=OutcomeResult.NO_OUTCOME,
                compared_with_plan="neither",
                valuable_for_customer="no",
                note="Nothing moved",
            ),
        )
        actions.flag_bad_meeting(
            held,
            rita,
            causes=["pricing", "timing"],
            consequences=["relationship_damaged", "cycle_lengthened"],
        )


def test_each_list_costs_the_same_queries_however_long(
    api_client, rita, nico, make_deal, django_assert_num_queries, django_assert_max_num_queries
):
    api = api_client.as_user(rita)
    api.get("/api/v1/me")  # the token's first use is written down once
    urls = ("/api/v1/meetings", "/api/v1/meeting-outcomes", "/api/v1/bad-meetings")
    _add(rita, nico, make_deal, 1)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as few:
            api.get(url)
        counts[url] = len(few.captured_queries)

    _add(rita, nico, make_deal, 8)

    for url in urls:
        with django_assert_num_queries(counts[url]):
            body = api.get(url).json()
        assert body["count"] == 9
