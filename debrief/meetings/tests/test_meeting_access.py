"""Who may see and change meetings: another team's meeting does not exist for you (404); an
analyst reads every meeting and changes none (403); the rep and their manager do both."""

from __future__ import annotations

import pytest

from debrief.meetings import actions
from debrief.meetings.tests.page_helpers import meeting
from debrief.pipeline.models import FollowUp


@pytest.fixture
def world(rita, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita, title="Held")
    flagged = meeting(deal, rita, title="Went badly")
    bad = actions.flag_bad_meeting(
        flagged, rita, causes=["timing"], consequences=["relationship_damaged"]
    )
    step = FollowUp.objects.get(deal=deal)
    return {
        "deal": deal.pk,
        "m": held.pk,
        "flagged": flagged.pk,
        "bad": bad.pk,
        "step": step.pk,
    }


READS = [
    "/meetings/{m}/",
    "/meetings/{m}/plan/",
    "/meetings/{m}/plan.pdf",
    "/meetings/{m}/invite.ics",
]
WRITE_PAGES = [
    "/deals/{deal}/meetings/new/",
    "/meetings/{m}/edit/",
    "/meetings/{m}/outcome/",
    "/meetings/{m}/bad/",
    "/bad-meetings/{bad}/decide/",
]
WRITE_POSTS = [
    *WRITE_PAGES,
    "/meetings/{m}/plan/",
    "/meetings/{flagged}/recovery/{step}/done/",
]


@pytest.mark.parametrize("who", ["oscar", "sam", "nico"])
def test_another_teams_or_reps_meeting_is_not_found(client, cast, world, who):
    client.force_login(getattr(cast, who))

    for url in READS + WRITE_PAGES:
        assert client.get(url.format(**world)).status_code == 404, url
    for url in WRITE_POSTS:
        assert client.post(url.format(**world), {}).status_code == 404, url


def test_an_analyst_reads_but_does_not_write(client, cast, world):
    client.force_login(cast.ana)

    for url in READS:
        assert client.get(url.format(**world)).status_code == 200, url
    for url in WRITE_PAGES:
        assert client.get(url.format(**world)).status_code == 403, url
    for url in WRITE_POSTS:
        assert client.post(url.format(**world), {}).status_code == 403, url
    assert FollowUp.objects.get(pk=world["step"]).done_at is None


@pytest.mark.parametrize("who", ["rita", "maya", "adam"])
def test_the_rep_their_manager_and_the_admin_read_and_write(client, cast, world, who):
    client.force_login(getattr(cast, who))

    for url in READS + WRITE_PAGES:
        assert client.get(url.format(**world)).status_code == 200, url


def test_an_attendee_from_the_team_reads_but_does_not_write(client, cast, rita, nico, world):
    # given Nico attends Rita's meeting
    from debrief.meetings.models import Meeting

    actions.update_meeting(Meeting.objects.get(pk=world["m"]), rita, our_attendees=[rita, nico])
    client.force_login(nico)

    assert client.get("/meetings/{m}/".format(**world)).status_code == 200
    assert client.get("/meetings/{m}/plan.pdf".format(**world)).status_code == 200
    assert client.post("/meetings/{m}/plan/".format(**world), {}).status_code == 403
    assert client.get("/meetings/{m}/outcome/".format(**world)).status_code == 403


def test_signing_in_is_required(client, world):
    response = client.get("/meetings/{m}/".format(**world))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
