"""Deals have words to be matched on: `debrief learning words` builds them for every deal
(name, next step, meeting plans and outcomes), and a deal that has none yet, e.g. just
imported, is given them when a practice is matched rather than being skipped."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from debrief.learning import actions
from debrief.learning.models import DealWords, PracticeMatch
from debrief.meetings import actions as meeting_actions


def words_of(deal):
    return DealWords.objects.get(deal=deal).words.split()


def test_the_words_command_builds_the_words_of_every_deal(cast, make_deal):
    # given deals without words, one with a meeting plan
    plain = make_deal(cast.rita, name="Acme renewal", next_step="Pricing call with procurement")
    planned = make_deal(cast.oscar, name="Globex expansion")
    meeting = meeting_actions.schedule_meeting(
        planned, cast.oscar, title="Kick-off", starts_at=timezone.now() + dt.timedelta(days=2)
    )
    meeting_actions.write_plan(meeting, cast.oscar, purpose="Agree the security questionnaire")
    DealWords.objects.all().delete()
    out = StringIO()

    # when
    call_command("learning", "words", stdout=out)

    # then each has its stems, sorted, and the command says how many
    assert words_of(plain) == ["acme", "pric", "procurement", "renewal"]
    assert {"globex", "expansion", "agree", "security", "questionnaire"} <= set(words_of(planned))
    assert "Words of 2 deals rebuilt" in out.getvalue()


def test_rebuilding_words_is_what_rematching_one_deal_stores(cast, make_deal):
    # given a deal whose words were stored one deal at a time
    deal = make_deal(cast.rita, name="Initech pilot", next_step="Send the pricing proposal")
    actions.rematch_deal(deal)
    one_at_a_time = DealWords.objects.get(deal=deal).words

    # when every deal's words are rebuilt
    count = actions.rebuild_deal_words()

    # then the words are the same
    assert count == 1
    assert DealWords.objects.get(deal=deal).words == one_at_a_time


def test_words_missing_only_fills_deals_without_words(cast, make_deal):
    # given one deal with (stale) words and one without
    kept = make_deal(cast.rita, name="Kept deal")
    DealWords.objects.create(deal=kept, words=" stale ")
    fresh = make_deal(cast.rita, name="Fresh deal", next_step="Security review")
    out = StringIO()

    # when
    call_command("learning", "words", "--missing", stdout=out)

    # then only the deal without words got them
    assert words_of(kept) == ["stale"]
    assert words_of(fresh) == ["fresh", "review", "security"]
    assert "Words of 1 deals rebuilt" in out.getvalue()


def test_a_deal_without_words_is_matched_on_its_text(cast, north, make_deal):
    # given a deal imported without words, that talks of procurement
    deal = make_deal(cast.rita, next_step="Walk procurement through the pricing")
    assert not DealWords.objects.filter(deal=deal).exists()
    practice = actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement="Bring procurement in early", keywords="procurement"),
        team=north,
    )

    # when
    count = actions.match_practice(practice)

    # then it matches, for its words, and now has them stored
    match = PracticeMatch.objects.get(practice=practice)
    assert (count, match.deal) == (1, deal)
    assert match.reasons["keywords"] == ["procurement"]
    assert "procurement" in words_of(deal)


def test_the_match_command_rematches_published_practices(cast, north, make_deal):
    # given a published practice, and a deal that came after it without being matched
    practice = actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement="Security review early", keywords="security"),
        team=north,
    )
    actions.publish_practice(practice, cast.maya)
    deal = make_deal(cast.rita, next_step="Security review with IT")
    out = StringIO()

    # when
    call_command("learning", "match", stdout=out)

    # then the deal is matched
    assert PracticeMatch.objects.filter(practice=practice, deal=deal).exists()
    assert f"Practice {practice.pk} applies to 1 open deals." in out.getvalue()


def test_the_match_command_refuses_an_unknown_practice(db):
    with pytest.raises(CommandError, match="No published practice 999"):
        call_command("learning", "match", "--practice", "999")
