"""The own-it review is the rep's own: it opens for the rep, the rep's managers and admins
(everyone else gets 404, analysts included), only the rep writes it, and the rep or their
manager draw lessons from it once it is written."""

from __future__ import annotations

import pytest

from debrief.losses import actions
from debrief.losses.models import Lesson, LessonSource, OwnItReview
from debrief.losses.tests.page_helpers import field_error, lose, reason, text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rita", 200),
        ("maya", 200),
        ("adam", 200),
        ("nico", 404),
        ("oscar", 404),
        ("ana", 404),
        ("sam", 404),
    ],
)
def test_who_may_open_the_review(client, cast, make_deal, who, status):
    # given rita's loss
    loss = lose(make_deal(cast.rita), cast.rita)

    # when
    client.force_login(getattr(cast, who))
    response = client.get(f"/losses/{loss.pk}/own-it/")

    # then
    assert response.status_code == status


def test_the_rep_writes_the_review(client, rita, make_deal):
    # given
    loss = lose(make_deal(rita), rita, reasons=("Price", "Relationship or rep fit"))
    client.force_login(rita)

    # when
    response = client.post(
        f"/losses/{loss.pk}/own-it/",
        {
            "could_have_done_differently": "I should have met the CFO before the proposal.",
            "will_do_next_time": "I will map the buying group in discovery.",
            "decisive_reason": reason("Relationship or rep fit").pk,
        },
    )

    # then
    assert response.status_code == 302
    review = OwnItReview.objects.get(loss=loss)
    assert review.submitted_at is not None
    assert review.decisive_reason == reason("Relationship or rep fit")
    page = text(client.get(f"/losses/{loss.pk}/own-it/"))
    assert "Your own-it review is saved" in page
    assert "Every answer points outside your control" not in page


def test_empty_answers_are_named_beside_their_fields(client, rita, make_deal):
    # given
    loss = lose(make_deal(rita), rita)
    client.force_login(rita)

    # when
    response = client.post(f"/losses/{loss.pk}/own-it/", {"will_do_next_time": "Call earlier"})

    # then
    assert response.status_code == 400
    assert "differently" in field_error(response, "could_have_done_differently")
    assert OwnItReview.objects.get(loss=loss).submitted_at is None


def test_the_manager_reads_but_does_not_write(client, rita, maya, make_deal):
    # given
    loss = lose(make_deal(rita), rita)
    actions.write_own_it_review(
        loss.own_it,
        rita,
        could_have_done_differently="I rushed the proposal.",
        will_do_next_time="I will test the proposal with the champion.",
        decisive_reason=reason("Price"),
    )
    client.force_login(maya)

    # when
    page = client.get(f"/losses/{loss.pk}/own-it/")
    response = client.post(
        f"/losses/{loss.pk}/own-it/",
        {"could_have_done_differently": "Edited by the manager", "will_do_next_time": "x"},
    )

    # then
    assert "I rushed the proposal." in text(page)
    assert 'name="could_have_done_differently"' not in page.content.decode()
    assert response.status_code == 403
    assert OwnItReview.objects.get(loss=loss).could_have_done_differently == (
        "I rushed the proposal."
    )


def test_a_review_that_blames_only_the_outside_gets_a_kind_nudge(client, rita, maya, make_deal):
    # given
    loss = lose(make_deal(rita), rita)
    client.force_login(rita)

    # when every answer points at price and the customer
    client.post(
        f"/losses/{loss.pk}/own-it/",
        {
            "could_have_done_differently": "Nothing, our price was simply too high.",
            "will_do_next_time": "Hope the customer has more budget.",
            "decisive_reason": reason("Price").pk,
        },
    )

    # then the page asks, kindly, for the one thing
    page = text(client.get(f"/losses/{loss.pk}/own-it/"))
    assert "Every answer points outside your control. That may be true" in page
    assert "what is the one thing you would do differently?" in page
    # and the manager reading it is not shown a nudge meant for the rep
    client.force_login(maya)
    assert "Every answer points outside" not in text(client.get(f"/losses/{loss.pk}/own-it/"))


def test_lessons_are_drawn_from_a_written_review(client, rita, maya, nico, make_deal):
    # given
    loss = lose(make_deal(rita), rita)
    url = f"/losses/{loss.pk}/own-it/lesson/"
    client.force_login(rita)
    before = client.post(url, {"lesson-statement": "Too early"})
    actions.write_own_it_review(
        loss.own_it,
        rita,
        could_have_done_differently="I skipped the champion check.",
        will_do_next_time="I will confirm the champion each stage.",
        decisive_reason=reason("Price"),
    )

    # when her manager records a lesson from it
    client.force_login(maya)
    response = client.post(
        url,
        {"lesson-statement": "Confirm the champion at every stage", "lesson-tag_segment": "Retail"},
    )

    # then
    assert before.status_code == 400
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.source, lesson.own_it, lesson.author) == (LessonSource.OWN_IT, loss.own_it, maya)
    assert lesson.tag_reason == reason("Price")
    assert "Confirm the champion at every stage" in text(client.get(f"/losses/{loss.pk}/own-it/"))
    # a teammate who may not read the review may not draw from it either
    client.force_login(nico)
    assert client.post(url, {"lesson-statement": "x"}).status_code == 404
