"""A retro shows its groups the deals' losses, debriefs and lessons; the rep's own-it review
only to whoever may see it (the rep, the rep's manager, admins), not to teammates."""

from __future__ import annotations

from debrief.learning import actions
from debrief.losses.actions import (
    LessonInput,
    LossInput,
    mark_deal_lost,
    record_lesson,
    write_own_it_review,
)
from debrief.losses.models import LossReason, OutcomeType


def test_the_own_it_review_is_shown_only_to_whom_may_see_it(api_client, cast, north, make_deal):
    # given Rita's lost deal with her own-it review and a lesson from it
    deal = make_deal(cast.rita, name="Lost to Acme")
    reason = LossReason.objects.get(name="Price")
    loss = mark_deal_lost(
        deal, cast.rita, LossInput(outcome_type=OutcomeType.objects.first(), reasons=[reason])
    )
    review = write_own_it_review(
        loss.own_it,
        cast.rita,
        could_have_done_differently="Brought finance in earlier",
        will_do_next_time="Confirm budget in discovery",
        decisive_reason=reason,
    )
    record_lesson(cast.rita, LessonInput(statement="Confirm budget early"), own_it=review)
    retro = actions.open_retro(
        cast.maya,
        team=north,
        title="Acme",
        deals=[deal],
        attendees=[cast.rita, cast.nico, cast.maya],
    )
    url = f"/api/v1/retros/{retro.pk}"

    # when
    seen = {
        who.email: api_client.as_user(who).get(url).json()["deals"][0]["loss"]
        for who in (cast.rita, cast.nico, cast.maya, cast.ana)
    }

    # then everyone reads the loss and the lesson
    for loss_out in seen.values():
        assert loss_out["reasons"] == ["Price"]
        assert [lesson["statement"] for lesson in loss_out["lessons"]] == ["Confirm budget early"]
    # and only Rita and Maya the own-it review
    assert seen[cast.rita.email]["own_it_review"]["will_do_next_time"] == (
        "Confirm budget in discovery"
    )
    assert seen[cast.maya.email]["own_it_review"]["rep"]["id"] == cast.rita.pk
    assert seen[cast.nico.email]["own_it_review"] is None
    assert seen[cast.ana.email]["own_it_review"] is None
