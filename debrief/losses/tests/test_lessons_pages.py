"""Lessons are recorded from a held debrief by the people in it, with tags filled from the
loss; the team reads them, and each links back to its source when the reader may open it."""

from __future__ import annotations

from debrief.losses import actions
from debrief.losses.models import Lesson, LessonSource
from debrief.losses.tests.page_helpers import hold, lose, reason, text
from debrief.pipeline import actions as pipeline_actions


def held_loss(make_deal, rita, stages):
    competitor = pipeline_actions.create_competitor(None, "Rival Corp")
    product = pipeline_actions.get_or_create_product("Analytics")
    deal = make_deal(rita, stage=stages["Proposal"], products=[product])
    loss = lose(deal, rita, reasons=("Price",), days_ago=9, competitors=[competitor])
    hold(loss, rita)
    return loss


def test_the_lesson_form_starts_with_the_tags_of_the_loss(client, rita, make_deal, stages):
    # given
    loss = held_loss(make_deal, rita, stages)
    client.force_login(rita)

    # when
    page = client.get(f"/debriefs/{loss.debrief.pk}/").content.decode()

    # then
    assert f'<option value="{stages["Proposal"].pk}" selected>Proposal</option>' in page
    assert 'value="Analytics"' in page
    assert 'value="Manufacturing"' in page
    assert f'<option value="{reason("Price").pk}" selected>Price</option>' in page
    assert "Rival Corp</option>" in page


def test_a_participant_records_a_lesson_from_the_held_debrief(client, rita, make_deal, stages):
    # given
    loss = held_loss(make_deal, rita, stages)
    client.force_login(rita)

    # when
    response = client.post(
        f"/debriefs/{loss.debrief.pk}/lesson/",
        {
            "lesson-statement": "Show the total cost of ownership, not the price",
            "lesson-do_differently": "Bring a TCO sheet to the proposal meeting.",
            "lesson-tag_stage": stages["Proposal"].pk,
            "lesson-tag_reason": reason("Price").pk,
            "lesson-tag_segment": "Manufacturing",
        },
    )

    # then
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.source, lesson.debrief, lesson.author) == (
        LessonSource.DEBRIEF,
        loss.debrief,
        rita,
    )
    assert lesson.tag_stage == stages["Proposal"]
    assert "Show the total cost of ownership" in text(client.get("/lessons/"))


def test_a_lesson_needs_its_statement(client, rita, make_deal, stages):
    # given
    loss = held_loss(make_deal, rita, stages)
    client.force_login(rita)

    # when
    response = client.post(f"/debriefs/{loss.debrief.pk}/lesson/", {"lesson-statement": " "})

    # then
    assert response.status_code == 400
    assert "Say the lesson in one sentence." in text(response)
    assert not Lesson.objects.exists()


def test_the_team_reads_lessons_and_links_only_to_what_it_may_open(
    client, rita, nico, maya, oscar, make_deal, stages
):
    # given a lesson from rita's debrief
    loss = held_loss(make_deal, rita, stages)
    lesson = actions.record_lesson(
        rita, actions.LessonInput(statement="Lead with outcomes"), debrief=loss.debrief
    )
    debrief_link = f'href="/debriefs/{loss.debrief.pk}/"'

    # when / then: her manager follows it back to the debrief
    client.force_login(maya)
    page = client.get(f"/lessons/{lesson.pk}/").content.decode()
    assert "Lead with outcomes" in page
    assert debrief_link in page
    # her teammate reads the lesson, but the debrief is not his to open
    client.force_login(nico)
    assert "Lead with outcomes" in text(client.get("/lessons/"))
    page = client.get(f"/lessons/{lesson.pk}/").content.decode()
    assert "Customer debrief" in page
    assert debrief_link not in page
    # the other team does not find it
    client.force_login(oscar)
    assert client.get(f"/lessons/{lesson.pk}/").status_code == 404
    assert "Lead with outcomes" not in text(client.get("/lessons/"))


def test_no_lesson_before_the_debrief_is_held(client, rita, make_deal):
    # given
    debrief = lose(make_deal(rita), rita).debrief
    client.force_login(rita)

    # when
    response = client.post(f"/debriefs/{debrief.pk}/lesson/", {"lesson-statement": "Too soon"})

    # then
    assert response.status_code == 400
    assert "once it has been held" in text(response)
    assert not Lesson.objects.exists()
