"""The rep's 'practices to apply': the matches on her open deals with why; she marks each
applied (what she did) or not relevant (why), from the list, the home page or the deal page,
with or without JavaScript. A closed deal's checklist is history."""

from __future__ import annotations

from debrief.learning.models import MatchStatus, PracticeEvent, PracticeMatch
from debrief.learning.tests.page_helpers import published
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import DealEvent


def _match(cast, north, make_deal, stages):
    deal = make_deal(cast.rita, name="Quayside", stage=stages["Proposal"])
    practice = published(
        cast.maya, north, "Bring finance in before the proposal", stages=[stages["Proposal"]]
    )
    return PracticeMatch.objects.get(practice=practice, deal=deal)


def test_the_rep_sees_what_to_apply_and_why(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.rita)

    html = client.get("/practices/to-apply/").content.decode()

    assert "Bring finance in before the proposal" in html
    assert "Quayside" in html
    assert "Matches because stage is Proposal." in html
    assert f'action="/practice-matches/{match.pk}/apply/"' in html


def test_marking_it_applied_records_what_was_done(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.rita)

    response = client.post(
        f"/practice-matches/{match.pk}/apply/", {"note": "Met their CFO on Tuesday"}
    )

    match.refresh_from_db()
    assert response.status_code == 302
    assert match.status == MatchStatus.APPLIED
    assert match.note == "Met their CFO on Tuesday"
    assert match.decided_by == cast.rita
    assert DealEvent.objects.filter(deal=match.deal, kind="practice_applied").exists()
    assert f"/practice-matches/{match.pk}/apply/" not in (
        client.get("/practices/to-apply/").content.decode()
    )


def test_not_relevant_needs_a_reason(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.rita)

    blank = client.post(f"/practice-matches/{match.pk}/dismiss/", {"note": ""}, follow=True)
    match.refresh_from_db()
    assert "Say why it does not apply." in blank.content.decode()
    assert match.status == MatchStatus.SUGGESTED

    client.post(f"/practice-matches/{match.pk}/dismiss/", {"note": "They have no CFO"})
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_RELEVANT
    assert match.note == "They have no CFO"


def test_applying_a_match_on_a_closed_deal_is_refused(client, cast, north, make_deal, stages):
    # given the deal was won before rita worked its checklist
    match = _match(cast, north, make_deal, stages)
    pipeline_actions.move_deal_stage(match.deal, cast.rita, stages["Closed Won"])
    client.force_login(cast.rita)

    # when she marks the practice applied
    response = client.post(
        f"/practice-matches/{match.pk}/apply/", {"note": "Met their CFO"}, follow=True
    )

    # then she is told plainly, and nothing is saved
    match.refresh_from_db()
    assert "The deal is closed" in response.content.decode()
    assert match.status != MatchStatus.APPLIED
    assert match.note == ""
    assert not PracticeEvent.objects.filter(kind="applied").exists()


def test_htmx_marks_it_in_place(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.rita)

    missing = client.post(
        f"/practice-matches/{match.pk}/apply/", {"note": ""}, headers={"HX-Request": "true"}
    )
    done = client.post(
        f"/practice-matches/{match.pk}/apply/",
        {"note": "Met their CFO"},
        headers={"HX-Request": "true"},
    )

    assert missing.status_code == 200
    assert "Say what you did." in missing.content.decode()
    html = done.content.decode()
    assert html.strip().startswith(f'<li class="match match-applied" id="match-{match.pk}"')
    assert "Met their CFO" in html


def test_a_teammate_may_not_touch_ritas_checklist(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.nico)

    assert client.post(f"/practice-matches/{match.pk}/apply/", {"note": "x"}).status_code == 404
    assert "Quayside" not in client.get("/practices/to-apply/").content.decode()


def test_the_manager_sees_the_teams_checklist(client, cast, north, make_deal, stages):
    _match(cast, north, make_deal, stages)
    client.force_login(cast.maya)

    html = client.get("/practices/to-apply/").content.decode()

    assert "Quayside" in html
    assert "Rita" in html


def test_the_home_page_shows_how_many_and_the_top_few(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.rita)

    html = client.get("/").content.decode()

    assert 'id="to-apply"' in html
    assert '<span class="badge badge-open" id="to-apply-count">1</span>' in html
    assert "Bring finance in before the proposal" in html
    assert f'action="/practice-matches/{match.pk}/apply/"' in html


def test_the_home_page_says_nothing_when_there_is_nothing_to_apply(client, cast):
    client.force_login(cast.rita)

    assert 'id="to-apply"' not in client.get("/").content.decode()


def test_the_deal_page_lists_the_practices_matched_to_it(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.rita)

    html = client.get(f"/deals/{match.deal.pk}/").content.decode()
    response = client.post(
        f"/practice-matches/{match.pk}/apply/",
        {"note": "Met their CFO", "next": f"/deals/{match.deal.pk}/"},
    )

    assert 'id="practices"' in html
    assert "Bring finance in before the proposal" in html
    assert response["Location"] == f"/deals/{match.deal.pk}/"


def test_an_outside_next_is_ignored(client, cast, north, make_deal, stages):
    match = _match(cast, north, make_deal, stages)
    client.force_login(cast.rita)

    response = client.post(
        f"/practice-matches/{match.pk}/apply/",
        {"note": "Met their CFO", "next": "https://evil.example.com/"},
    )

    assert response["Location"] == "/practices/to-apply/"
