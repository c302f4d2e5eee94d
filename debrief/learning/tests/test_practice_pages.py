"""Managers write, edit, publish and retire best practices from the pages; the playbook and
the practice page show the statement, why, where it came from, when it applies in words,
and its history. Bad input is refused beside its field and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

from debrief.learning import actions
from debrief.learning.models import BestPractice, PracticeMatch, PracticeStatus
from debrief.learning.tests.page_helpers import north_retro, published
from debrief.losses.models import LossReason
from debrief.pipeline import actions as pipeline_actions


def test_a_manager_writes_a_practice_with_conditions(client, cast, north, stages):
    # given a competitor
    rival = pipeline_actions.create_competitor(None, "Acme Rival")
    price = LossReason.objects.get(name="Price")
    client.force_login(cast.maya)

    # when maya writes a practice
    response = client.post(
        "/practices/new/",
        {
            "team": north.pk,
            "statement": "Bring finance in before the proposal",
            "why": "We lost Harbour on price.",
            "stages": [stages["Proposal"].pk],
            "competitors": [rival.pk],
            "segments": "Manufacturing, Retail",
            "min_amount": "10000",
            "max_amount": "500000",
            "reasons": [price.pk],
            "keywords": "budget, procurement",
        },
    )

    # then it is a North draft, and its page says when it applies in words
    practice = BestPractice.objects.get()
    assert response["Location"] == f"/practices/{practice.pk}/"
    assert practice.status == PracticeStatus.DRAFT
    assert practice.team == north
    assert practice.min_amount == Decimal("10000")
    html = client.get(f"/practices/{practice.pk}/").content.decode()
    assert "The deal is at Proposal." in html
    assert "We compete against Acme Rival." in html
    assert "The customer&#x27;s segment is Manufacturing or Retail." in html
    assert "The deal is worth between 10,000 and 500,000." in html
    assert "It answers the loss reasons Price." in html
    assert "mention budget or procurement" in html


def test_unknown_stages_or_competitors_are_refused_and_nothing_saved(client, cast, north):
    client.force_login(cast.maya)

    response = client.post(
        "/practices/new/",
        {"team": north.pk, "statement": "Call finance", "stages": [99999], "competitors": [88888]},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Unknown stage: 99999." in html
    assert "Unknown competitor: 88888." in html
    assert not BestPractice.objects.exists()


def test_a_practice_without_a_statement_is_refused(client, cast, north):
    client.force_login(cast.maya)

    response = client.post("/practices/new/", {"team": north.pk, "statement": " "})

    assert response.status_code == 400
    assert "Say the practice in one sentence." in response.content.decode()
    assert not BestPractice.objects.exists()


def test_a_size_range_upside_down_is_refused(client, cast, north):
    client.force_login(cast.maya)

    response = client.post(
        "/practices/new/",
        {"team": north.pk, "statement": "Call", "min_amount": "500", "max_amount": "100"},
    )

    assert response.status_code == 400
    assert "below the smallest" in response.content.decode()
    assert not BestPractice.objects.exists()


def test_publishing_a_practice_with_no_statement_is_refused(client, cast, north):
    # given a draft whose statement is empty (as an import might leave it)
    draft = BestPractice.objects.create(team=north, statement="", owner=cast.maya)
    client.force_login(cast.maya)

    # when maya publishes it
    response = client.post(f"/practices/{draft.pk}/publish/", follow=True)

    # then she is told why, and it stays a draft
    draft.refresh_from_db()
    assert "needs its statement before publishing" in response.content.decode()
    assert draft.status == PracticeStatus.DRAFT
    assert not draft.events.exists()


def test_publishing_matches_open_deals_and_joins_the_playbook(
    client, cast, north, make_deal, stages
):
    # given rita's deal at Proposal and a draft for deals at Proposal
    deal = make_deal(cast.rita, name="Quayside", stage=stages["Proposal"])
    draft = actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement="Bring finance in", stages=[stages["Proposal"]]),
        team=north,
    )
    client.force_login(cast.maya)

    # when maya publishes it
    response = client.post(f"/practices/{draft.pk}/publish/")

    # then it is published, in the playbook, matched to the deal, and its history says so
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == PracticeStatus.PUBLISHED
    assert PracticeMatch.objects.filter(practice=draft, deal=deal).exists()
    assert "Bring finance in" in client.get("/practices/").content.decode()
    html = client.get(f"/practices/{draft.pk}/").content.decode()
    assert "Published by Maya" in html
    assert "Quayside" in html
    assert "Too few to tell" in html


def test_a_manager_edits_a_practice_and_a_rep_may_not(client, cast, north):
    practice = published(cast.maya, north, "Bring finance in")
    client.force_login(cast.rita)
    assert client.get(f"/practices/{practice.pk}/edit/").status_code == 403
    assert client.post(f"/practices/{practice.pk}/retire/").status_code == 403

    client.force_login(cast.maya)
    form = client.get(f"/practices/{practice.pk}/edit/")
    response = client.post(
        f"/practices/{practice.pk}/edit/", {"statement": "Bring finance in early", "keywords": ""}
    )

    practice.refresh_from_db()
    assert 'value="Bring finance in"' in form.content.decode()
    assert response.status_code == 302
    assert practice.statement == "Bring finance in early"


def test_retiring_takes_it_out_of_the_playbook(client, cast, north):
    practice = published(cast.maya, north, "Bring finance in")
    client.force_login(cast.maya)

    client.post(f"/practices/{practice.pk}/retire/", {"why": "Superseded"})

    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETIRED
    assert "Bring finance in" not in client.get("/practices/").content.decode()
    assert "Bring finance in" in client.get("/practices/?status=retired").content.decode()
    assert "Retired: Superseded" in client.get(f"/practices/{practice.pk}/").content.decode()


def test_the_practice_page_links_where_it_came_from(client, cast, north, make_deal):
    # given a practice accepted from a retro on rita's lost deal
    retro = north_retro(cast, north, make_deal)
    proposal = actions.propose(retro, cast.rita, statement="Bring finance in")
    actions.start_voting(retro, cast.maya)
    practice = actions.accept_proposal(proposal, cast.maya)
    lost = retro.deals.get()

    # when rita and nico open it
    client.force_login(cast.rita)
    for_rita = client.get(f"/practices/{practice.pk}/").content.decode()
    client.force_login(cast.nico)
    for_nico = client.get(f"/practices/{practice.pk}/").content.decode()

    # then both see the deal it came from; only rita, who may open it, gets a link
    assert f'href="/retros/{retro.pk}/"' in for_rita
    assert f'href="/deals/{lost.pk}/"' in for_rita
    assert "Harbour rollout" in for_nico
    assert f'href="/deals/{lost.pk}/"' not in for_nico


def test_another_team_does_not_see_the_practice(client, cast, north):
    practice = published(cast.maya, north, "Bring finance in")
    client.force_login(cast.oscar)

    assert client.get(f"/practices/{practice.pk}/").status_code == 404
    assert "Bring finance in" not in client.get("/practices/").content.decode()
    assert "Bring finance in" not in client.get("/practices/review-my-funnel/").content.decode()
