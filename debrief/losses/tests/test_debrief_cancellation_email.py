"""A debrief that will not take place leaves the calendars it was sent to: declining or
cancelling it, or reopening its deal, emails the same people a METHOD:CANCEL with the
invite's UID and a higher SEQUENCE."""

from __future__ import annotations

from django.core import mail
from icalendar import Calendar

from debrief.losses import actions, tasks
from debrief.losses.tests.api_helpers import lose


def cancelled_event(message):
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("debrief.ics", "text/calendar; method=CANCEL")
    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == "CANCEL"
    [event] = calendar.events
    return event


def test_a_cancelled_debrief_sends_a_cancellation_with_the_invites_uid(cast, make_deal):
    # given an invite that went out
    debrief = lose(make_deal(cast.rita, name="Small renewal"), cast.rita, days_ago=2).debrief
    tasks.send_debrief_invite.call(debrief.pk)
    [invite] = mail.outbox
    [(_, invite_ics, _)] = invite.attachments
    [invited] = Calendar.from_ical(invite_ics).events
    mail.outbox.clear()

    # when
    closed = actions.close_debrief(debrief, cast.rita, "cancelled", "They chose to move on")
    sent = tasks.send_debrief_cancellation.call(closed.pk)

    # then
    assert sent is True
    [message] = mail.outbox
    assert message.to == ["rita@example.com"]
    assert message.subject == "Cancelled: rep-led debrief for Small renewal"
    assert "will not take place: it is cancelled" in message.body
    event = cancelled_event(message)
    assert str(event["uid"]) == str(invited["uid"])
    assert int(str(event["sequence"])) > int(str(invited["sequence"]))
    assert str(event["status"]) == "CANCELLED"
    assert not event.walk("VALARM")


def test_reopening_the_deal_cancels_its_open_debrief(cast, make_deal, stages):
    # given
    loss = lose(make_deal(cast.rita), cast.rita, days_ago=2)
    mail.outbox.clear()

    # when
    actions.reopen_deal(loss.deal, cast.rita, stages["Proposal"])
    loss.debrief.refresh_from_db()
    sent = tasks.send_debrief_cancellation.call(loss.debrief.pk)

    # then
    assert loss.debrief.status == "cancelled"
    assert sent is True
    assert cancelled_event(mail.outbox[0])


def test_an_open_or_held_debrief_sends_no_cancellation(cast, make_deal):
    # given an open debrief
    debrief = lose(make_deal(cast.rita), cast.rita, days_ago=2).debrief
    mail.outbox.clear()

    # when
    sent = tasks.send_debrief_cancellation.call(debrief.pk)

    # then
    assert sent is False
    assert mail.outbox == []
