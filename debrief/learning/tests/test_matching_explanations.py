"""Matching a practice against every open deal at once says the same 'why' as matching one
deal: which conditions were met, which keywords and words are shared, and the score. A
re-match keeps what reps decided, refreshes suggestions whose reasons changed and drops
those that no longer apply."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.learning import actions, matching
from debrief.learning.models import MatchStatus, PracticeMatch
from debrief.learning.queries import conditions_of, deal_facts
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import Competitor, Product


@pytest.fixture
def practice(cast, north, stages):
    corvana = Competitor.objects.create(name="Corvana")
    widget = Product.objects.create(name="Widget")
    return actions.write_practice(
        cast.maya,
        actions.PracticeInput(
            statement="Bring procurement into pricing early",
            stages=[stages["Proposal"]],
            competitors=[corvana],
            products=[widget],
            segments=["Manufacturing"],
            min_amount=Decimal("10000"),
            max_amount=Decimal("100000"),
            keywords="procurement",
        ),
        team=north,
    )


@pytest.fixture
def fitting(cast, make_deal, stages):
    """Returns a maker of deals that fit every condition of the practice, but for `changes`."""

    def make(next_step="Pricing call with procurement", **changes):
        fields = {
            "stage": stages["Proposal"],
            "amount": Decimal("80000"),
            "competitors": [Competitor.objects.get(name="Corvana")],
            "products": [Product.objects.get(name="Widget")],
            "next_step": next_step,
            **changes,
        }
        return make_deal(cast.rita, **fields)

    return make


def test_every_condition_met_is_explained(practice, fitting):
    # given a deal that fits every condition, also competing with someone else
    other = Competitor.objects.create(name="Stacklane")
    deal = fitting(competitors=[Competitor.objects.get(name="Corvana"), other])

    # when
    count = actions.match_practice(practice)

    # then
    match = PracticeMatch.objects.get(practice=practice)
    assert (count, match.deal, match.status) == (1, deal, MatchStatus.SUGGESTED)
    assert match.reasons == {
        "conditions": [
            "stage is Proposal",
            "competing with Corvana",
            "includes Widget",
            "segment is Manufacturing",
            "amount at least 10,000",
            "amount at most 100,000",
        ],
        "keywords": ["procurement"],
        "words": ["pricing"],
        "score": 8.25,
    }
    assert match.score == 8.25


def test_a_deal_missing_any_one_condition_does_not_match(
    practice, fitting, make_customer, north, stages
):
    # given deals that each miss exactly one condition
    fitting(stage=stages["Discovery"])
    fitting(competitors=[Competitor.objects.create(name="Stacklane")])
    fitting(products=[Product.objects.create(name="Gadget")])
    fitting(customer=make_customer(team=north, segment="Retail"))
    fitting(amount=Decimal("5000"))
    fitting(amount=Decimal("200000"))
    fitting(next_step="Pricing call with the CFO")

    # when
    count = actions.match_practice(practice)

    # then
    assert count == 0
    assert not PracticeMatch.objects.exists()


def test_matching_all_deals_explains_as_matching_one(practice, fitting, stages):
    # given a few fitting deals, two of them alike, one closed
    deals = [fitting(), fitting(next_step="Procurement wants pricing early"), fitting(), fitting()]
    pipeline_actions.move_deal_stage(deals[2], None, stages["Closed Won"])
    for deal in deals:
        actions.rematch_deal(deal)  # stores their words, as the background task does

    # when
    actions.match_practice(practice)

    # then only the open ones match, each with the reasons explain() gives for it alone
    conditions = conditions_of(practice)
    matches = {m.deal_id: m.reasons for m in PracticeMatch.objects.filter(practice=practice)}
    assert sorted(matches) == sorted([deals[0].pk, deals[1].pk, deals[3].pk])
    for deal_id, reasons in matches.items():
        assert reasons == matching.explain(conditions, deal_facts([deal_id])[0])


def test_a_rematch_keeps_decisions_and_drops_what_no_longer_applies(
    cast, practice, fitting, north, stages
):
    # given two matched deals, one of which the rep applied
    applied, suggested = fitting(), fitting()
    actions.match_practice(practice)
    match = PracticeMatch.objects.get(practice=practice, deal=applied)
    actions.apply_match(match, cast.rita, note="Invited procurement to the pricing call")

    # when the practice changes so that neither deal fits, and it is matched again
    actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement="Bring legal in early", keywords="legal"),
        team=north,
        practice=practice,
    )
    count = actions.match_practice(practice)

    # then the applied match stays as it was; the suggestion is gone
    assert count == 0
    assert list(PracticeMatch.objects.filter(practice=practice).values_list("deal", "status")) == [
        (applied.pk, MatchStatus.APPLIED)
    ]
    assert not PracticeMatch.objects.filter(deal=suggested).exists()


def test_a_rematch_refreshes_the_reasons_of_a_suggestion(cast, practice, fitting, north, stages):
    # given a suggested match
    deal = fitting()
    actions.match_practice(practice)

    # when the practice loses its stage condition and is matched again
    actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement=practice.statement, keywords="procurement"),
        team=north,
        practice=practice,
    )
    actions.match_practice(practice)

    # then the same match now gives the new reasons
    match = PracticeMatch.objects.get(practice=practice)
    assert match.deal == deal
    assert match.reasons == {
        "conditions": [],
        "keywords": ["procurement"],
        "words": ["pricing"],
        "score": 2.25,
    }


def test_a_changed_next_step_drops_and_brings_back_the_suggestion(cast, practice, fitting):
    # given a published practice and a deal it matched
    deal = fitting()
    actions.publish_practice(practice, cast.maya)
    assert PracticeMatch.objects.filter(deal=deal).exists()

    # when its next step no longer talks of procurement, then does again
    pipeline_actions.update_deal(deal, cast.rita, next_step="Pricing call with the CFO")
    dropped = actions.rematch_deal(deal)
    gone = not PracticeMatch.objects.filter(deal=deal).exists()
    pipeline_actions.update_deal(deal, cast.rita, next_step="Procurement call")
    back = actions.rematch_deal(deal)

    # then
    assert (dropped, gone) == ([], True)
    assert [m.practice for m in back] == [practice]
    assert back[0].reasons["keywords"] == ["procurement"]
