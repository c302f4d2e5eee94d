"""The debrief guide: the opener, the five questions with an answer each, the reminders, the
leader's own questions and the customer's decisive reason. The leader, participants and
admins write; others who may see it read; a stale copy is refused with a clear conflict."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from debrief.losses.models import (
    DEBRIEF_QUESTIONS,
    Debrief,
    DebriefAnswer,
    DebriefKind,
    DebriefStatus,
)
from debrief.losses.tests.page_helpers import field_error, lose, reason, text
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import FollowUp


def answers(version: int, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {f"answer_{n}": f"Answer {n}" for n in range(1, 6)}
    return {"version": version, **data, **extra}


def test_the_leader_sees_the_guide_and_can_write(client, rita, make_deal):
    # given
    debrief = lose(make_deal(rita), rita).debrief
    client.force_login(rita)

    # when
    response = client.get(f"/debriefs/{debrief.pk}/")

    # then
    page = text(response)
    assert (
        "We are not going to try to change your mind; we'd like to ask a few questions so we can get better."
        in page
    )
    for question in DEBRIEF_QUESTIONS:
        assert question in page
    assert "Ask for an example where an answer is unclear." in page
    assert "Don't debate" in page
    assert "Listen more than you speak." in page
    body = response.content.decode()
    assert 'name="answer_5"' in body
    assert 'name="version"' in body
    assert "Mark as held" in page


def test_the_leader_records_answers_an_added_question_and_the_customers_reason(
    client, rita, make_deal
):
    # given
    debrief = lose(make_deal(rita), rita).debrief
    client.force_login(rita)

    # when
    response = client.post(
        f"/debriefs/{debrief.pk}/",
        answers(
            debrief.version,
            new_question="Who else did you talk to?",
            new_answer="Two other vendors.",
            customer_decisive_reason=reason("Missing capability").pk,
            notes="Warm call.",
        ),
    )

    # then
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert debrief.customer_decisive_reason == reason("Missing capability")
    assert DebriefAnswer.objects.get(debrief=debrief, number=3).answer == "Answer 3"
    added = DebriefAnswer.objects.get(debrief=debrief, number=0)
    assert (added.question, added.answer) == ("Who else did you talk to?", "Two other vendors.")
    # and the added question comes back with its own answer box
    page = client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Who else did you talk to?" in page
    assert 'name="extra_answer_0"' in page


def test_someone_not_in_the_debrief_is_refused_with_a_clear_error(client, rita, maya, make_deal):
    # given an ordinary debrief rita leads; maya, her manager, may read it
    debrief = lose(make_deal(rita), rita).debrief
    client.force_login(maya)
    page = client.get(f"/debriefs/{debrief.pk}/")
    assert 'name="answer_1"' not in page.content.decode()

    # when she posts answers anyway
    response = client.post(f"/debriefs/{debrief.pk}/", answers(debrief.version))

    # then
    assert response.status_code == 403
    assert "Only the debrief's leader and participants record its answers." in text(response)
    assert not DebriefAnswer.objects.exists()


def test_a_stale_copy_gets_a_conflict_and_saves_nothing(client, rita, make_deal):
    # given two copies of the form; the first is saved
    debrief = lose(make_deal(rita), rita).debrief
    client.force_login(rita)
    stale = debrief.version
    client.post(f"/debriefs/{debrief.pk}/", answers(stale))

    # when the second is saved
    response = client.post(
        f"/debriefs/{debrief.pk}/", answers(stale, answer_1="Overwritten from an old copy")
    )

    # then
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed this debrief while you were editing it" in page
    assert "Overwritten from an old copy" in page  # their text is not lost
    assert DebriefAnswer.objects.get(debrief=debrief, number=1).answer == "Answer 1"


def test_scheduling_in_the_users_time_zone_then_holding(client, rita, make_deal):
    # given rita works in New York
    rita.time_zone = "America/New_York"
    rita.save(update_fields=["time_zone"])
    loss = lose(make_deal(rita), rita, days_ago=3)
    debrief = loss.debrief
    contact = pipeline_actions.create_contact(
        loss.deal.customer, None, name="Chris Buyer", email="chris@example.com"
    )
    day = timezone.localdate() + dt.timedelta(days=2)
    client.force_login(rita)

    # when
    response = client.post(
        f"/debriefs/{debrief.pk}/schedule/",
        {
            "schedule-version": debrief.version,
            "schedule-scheduled_for": f"{day:%Y-%m-%d}T09:30",
            "schedule-duration_minutes": 45,
            "schedule-customer_contact": contact.pk,
        },
    )

    # then
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.SCHEDULED
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert debrief.scheduled_for == dt.datetime.combine(day, dt.time(9, 30), tzinfo=new_york)
    assert debrief.customer_contact == contact
    assert debrief.duration_minutes == 45

    # when she marks it held
    client.post(f"/debriefs/{debrief.pk}/held/")

    # then
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.HELD
    assert "Record a lesson" in text(client.get(f"/debriefs/{debrief.pk}/"))


def test_scheduling_on_the_day_of_the_loss_is_refused_beside_the_field(client, rita, make_deal):
    # given
    debrief = lose(make_deal(rita), rita).debrief
    client.force_login(rita)

    # when
    response = client.post(
        f"/debriefs/{debrief.pk}/schedule/",
        {
            "schedule-version": debrief.version,
            "schedule-scheduled_for": f"{timezone.localdate():%Y-%m-%d}T16:00",
            "schedule-duration_minutes": 30,
        },
    )

    # then
    assert response.status_code == 400
    assert "Not on the day the loss was learnt" in field_error(response, "schedule-scheduled_for")


def test_the_customer_declines(client, rita, make_deal):
    # given
    debrief = lose(make_deal(rita), rita).debrief
    client.force_login(rita)

    # when
    client.post(
        f"/debriefs/{debrief.pk}/close/", {"close-status": "declined", "close-note": "No time"}
    )

    # then
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.DECLINED
    page = client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert 'name="answer_1"' not in page
    assert "Declined by customer" in text(client.get(f"/debriefs/{debrief.pk}/"))


def test_the_manager_of_a_post_mortem_ticks_off_contacting_the_customer(
    client, rita, maya, make_deal
):
    # given a major loss: maya leads the post-mortem and must ask the customer for the call
    debrief = lose(make_deal(rita, amount=Decimal("500000")), rita).debrief
    assert (debrief.kind, debrief.leader) == (DebriefKind.POST_MORTEM, maya)
    client.force_login(maya)
    page = text(client.get(f"/debriefs/{debrief.pk}/"))
    assert "Contact the customer" in page
    assert "I have contacted them" in page

    # when
    response = client.post(f"/debriefs/{debrief.pk}/follow-up/")

    # then
    assert response.status_code == 302
    assert debrief_follow_up(debrief).done_at is not None


def test_who_may_open_and_write_the_debrief(client, cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita).debrief
    url = f"/debriefs/{debrief.pk}/"

    # when / then: the other team cannot find it; the analyst reads only
    for outsider in (cast.oscar, cast.sam, cast.nico):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, answers(debrief.version)).status_code == 404
    client.force_login(cast.ana)
    assert client.get(url).status_code == 200
    assert client.post(url, answers(debrief.version)).status_code == 403
    assert client.post(f"{url}held/").status_code == 403
    client.force_login(cast.adam)
    assert client.post(url, answers(debrief.version)).status_code == 302


def debrief_follow_up(debrief: Debrief) -> FollowUp:
    """The manager's task to ask the customer for the post-mortem call."""
    assert debrief.contact_follow_up_id is not None
    return FollowUp.objects.get(pk=debrief.contact_follow_up_id)
