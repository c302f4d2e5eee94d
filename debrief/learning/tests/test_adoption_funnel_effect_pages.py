"""A manager sees adoption per rep and per practice; 'review my funnel' lists each published
practice with the open deals it applies to; 'did it work?' compares the win rate where a
practice was applied with where it was not, with Wilson intervals, and says plainly when
there are too few closed deals to tell."""

from __future__ import annotations

from debrief.learning import actions
from debrief.learning.models import PracticeMatch
from debrief.learning.tests.page_helpers import published
from debrief.pipeline import actions as pipeline_actions


def test_adoption_per_rep_and_per_practice(client, cast, north, make_deal, stages):
    # given two of rita's deals matched, one applied
    deals = [make_deal(cast.rita, name=f"Deal {i}", stage=stages["Proposal"]) for i in range(2)]
    practice = published(cast.maya, north, "Bring finance in", stages=[stages["Proposal"]])
    actions.apply_match(
        PracticeMatch.objects.get(practice=practice, deal=deals[0]), cast.rita, note="Did it"
    )
    client.force_login(cast.maya)

    # when maya opens adoption
    html = client.get("/practices/adoption/").content.decode()

    # then rita has 2 matches, 1 applied, 1 to do, half acted on; so has the practice
    by_rep = html[html.index('id="by-rep"') : html.index('id="by-practice"')]
    by_practice = html[html.index('id="by-practice"') :]
    for section in (by_rep, by_practice):
        assert '<td data-label="Matches" class="num">2</td>' in section
        assert '<td data-label="Applied" class="num">1</td>' in section
        assert '<td data-label="To do" class="num">1</td>' in section
        assert '<td data-label="Acted on" class="num">50%</td>' in section
    assert "Rita" in by_rep
    assert "Bring finance in" in by_practice


def test_a_rep_does_not_see_adoption(client, cast):
    client.force_login(cast.rita)

    assert client.get("/practices/adoption/").status_code == 403


def test_review_my_funnel_lists_each_practice_with_its_deals(
    client, cast, north, make_deal, stages
):
    # given two practices, one applying to rita's deal, and a deal of nico's
    make_deal(cast.rita, name="Quayside", stage=stages["Proposal"])
    make_deal(cast.nico, name="Nico's deal", stage=stages["Proposal"])
    published(cast.maya, north, "Bring finance in", stages=[stages["Proposal"]])
    published(cast.maya, north, "Demo the audit trail", stages=[stages["Negotiation"]])
    client.force_login(cast.rita)

    # when rita reviews her funnel
    html = client.get("/practices/review-my-funnel/").content.decode()

    # then each practice is listed, with her deal under the first, and not nico's
    assert "Bring finance in" in html and "Demo the audit trail" in html
    first = html[html.index("Bring finance in") : html.index("Demo the audit trail")]
    assert "Quayside" in first
    assert "Matches because stage is Proposal." in first
    assert "Nico&#x27;s deal" not in html
    assert "None of your open deals." in html


def test_the_playbook_leads_to_review_my_funnel(client, cast):
    client.force_login(cast.rita)

    assert 'href="/practices/review-my-funnel/"' in client.get("/practices/").content.decode()


def _closed(cast, north, make_deal, stages, applied_won, applied_lost, other_won, other_lost):
    """Rita's deals matched by one practice, some applied, then closed won or lost."""
    plan = [
        *[(True, "Closed Won")] * applied_won,
        *[(True, "Closed Lost")] * applied_lost,
        *[(False, "Closed Won")] * other_won,
        *[(False, "Closed Lost")] * other_lost,
    ]
    deals = [make_deal(cast.rita, stage=stages["Proposal"]) for _ in plan]
    practice = published(cast.maya, north, "Bring finance in", stages=[stages["Proposal"]])
    for deal, (applied, outcome) in zip(deals, plan, strict=True):
        if applied:
            match = PracticeMatch.objects.get(practice=practice, deal=deal)
            actions.apply_match(match, cast.rita, note="Did it")
        pipeline_actions.move_deal_stage(deal, None, stages[outcome])
    return practice


def test_too_few_closed_deals_says_so(client, cast, north, make_deal, stages):
    practice = _closed(cast, north, make_deal, stages, 2, 0, 0, 1)
    client.force_login(cast.maya)

    html = client.get("/practices/effect/").content.decode()
    page = client.get(f"/practices/{practice.pk}/").content.decode()

    assert "Too few closed deals to tell yet (applied 2, not applied 1" in html
    assert "<strong>100%</strong> won" in html
    assert "(2 of 2 closed; 95%: 34%–100%)" in html
    assert "<strong>0%</strong> won" in html
    assert "Too few closed deals to tell yet" in page


def test_enough_closed_deals_give_a_verdict(client, cast, north, make_deal, stages):
    _closed(cast, north, make_deal, stages, 11, 1, 1, 11)
    client.force_login(cast.maya)

    html = client.get("/practices/effect/").content.decode()

    assert "win more often, beyond the margin of error" in html
    assert "(11 of 12 closed; 95%: 65%–99%)" in html
    assert "Too few to tell" not in html


def test_a_rep_sees_the_effect_on_her_own_deals_only(client, cast, north, make_deal, stages):
    _closed(cast, north, make_deal, stages, 2, 0, 0, 1)
    client.force_login(cast.nico)

    html = client.get("/practices/effect/").content.decode()

    assert "(0 of 0 closed" in html
