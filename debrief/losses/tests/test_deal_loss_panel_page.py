"""The deal page carries the loss: on an open deal the way to record one; on a lost deal the
standing loss record, the own-it review for those who may read it, the debrief and lessons."""

from __future__ import annotations

from debrief.losses import actions
from debrief.losses.tests.page_helpers import hold, lose, reason, section, text
from debrief.pipeline import actions as pipeline_actions


def test_an_open_deal_offers_mark_lost_to_those_who_can_edit_it(client, rita, ana, make_deal):
    # given
    deal = make_deal(rita)

    # when / then
    client.force_login(rita)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert f'href="/deals/{deal.pk}/lose/"' in page
    client.force_login(ana)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert f'href="/deals/{deal.pk}/lose/"' not in page


def test_a_lost_deal_shows_its_loss_review_debrief_and_lessons(client, rita, maya, make_deal):
    # given a loss from last week, reviewed, debriefed and learnt from
    competitor = pipeline_actions.create_competitor(None, "Rival Corp")
    deal = make_deal(rita, name="Harbour rollout")
    loss = lose(
        deal,
        rita,
        reasons=("Missing capability", "Price"),
        days_ago=8,
        competitors=[competitor],
        note="They needed SSO on day one.",
        consent="yes",
    )
    actions.write_own_it_review(
        loss.own_it,
        rita,
        could_have_done_differently="I should have asked about SSO in discovery.",
        will_do_next_time="I will check identity needs in the first call.",
        decisive_reason=reason("Missing capability"),
    )
    debrief = hold(loss, rita, customer_reason="Missing capability")
    actions.record_lesson(
        rita, actions.LessonInput(statement="Ask about SSO early"), debrief=debrief
    )
    client.force_login(maya)

    # when
    page = text(client.get(f"/deals/{deal.pk}/"))

    # then
    assert "Lost to a competitor" in page
    assert "Missing capability main reason" in page
    assert "Rival Corp" in page
    assert "They needed SSO on day one." in page
    assert "Yes, they agreed" in page
    assert "I should have asked about SSO in discovery." in page
    assert "Rep-led debrief" in page
    assert "Held" in page
    assert "Ask about SSO early" in page
    assert "Reopen the deal" in page


def test_the_analyst_sees_the_loss_but_not_a_word_of_the_own_it_review(
    client, rita, ana, make_deal
):
    # given
    deal = make_deal(rita)
    loss = lose(deal, rita)
    actions.write_own_it_review(
        loss.own_it,
        rita,
        could_have_done_differently="A private thought",
        will_do_next_time="Another private thought",
        decisive_reason=reason("Relationship or rep fit"),
    )
    client.force_login(ana)

    # when
    response = client.get(f"/deals/{deal.pk}/")

    # then
    page = section(response, "losses")
    assert "Lost to a competitor" in page
    assert "Own-it" not in page
    assert "private thought" not in page
    assert "Relationship or rep fit" not in page
    assert f"/losses/{loss.pk}/own-it/" not in response.content.decode()
    assert "Reopen the deal" not in page


def test_a_loss_url_leads_to_its_place_on_the_deal_page(client, rita, oscar, make_deal):
    # given
    deal = make_deal(rita)
    loss = lose(deal, rita)

    # when / then
    client.force_login(rita)
    response = client.get(f"/losses/{loss.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/#loss-{loss.pk}"
    client.force_login(oscar)
    assert client.get(f"/losses/{loss.pk}/").status_code == 404
