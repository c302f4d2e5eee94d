"""The debrief invite email: sent to the leader and every participant with the .ics attached,
shown in the leader's time zone; the customer contact is an attendee only with an email
address; a moved call sends the same event again with a higher SEQUENCE; a closed debrief
sends nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from debrief.losses import actions, tasks
from debrief.losses.tests.api_helpers import lose
from debrief.org import actions as org_actions
from debrief.pipeline import actions as pipeline_actions


def sent_event(message):
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("debrief.ics", "text/calendar; method=REQUEST")
    [event] = Calendar.from_ical(content).events
    return event


def test_a_post_mortem_invite_goes_to_the_manager_and_the_rep(cast, make_deal):
    # given a major deal whose decision maker has no email address
    org_actions.update_user(cast.maya, None, time_zone="Europe/Paris")
    deal = make_deal(cast.rita, name="Harbor renewal", amount=Decimal("250000"))
    contact = pipeline_actions.create_contact(deal.customer, None, name="Cleo Carter")
    pipeline_actions.add_deal_contact(deal, contact, "decision_maker", None)
    debrief = lose(deal, cast.rita).debrief
    mail.outbox.clear()

    # when
    tasks.send_debrief_invite.call(debrief.pk)

    # then
    [message] = mail.outbox
    assert message.to == ["maya@example.com", "rita@example.com"]
    assert "Led by: Maya Moreau" in message.body
    assert "With: Rita Reyes" in message.body
    assert "Customer: Cleo Carter" in message.body
    paris = debrief.when.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert paris.hour == 10
    assert f"10:00 {paris.tzname()}" in message.body  # the leader's time, CET or CEST
    event = sent_event(message)
    assert str(event["organizer"]) == "mailto:maya@example.com"
    assert [str(a) for a in event.attendees] == ["mailto:rita@example.com"]


def test_an_ordinary_invite_goes_to_the_rep_who_leads_it(cast, make_deal):
    # given
    deal = make_deal(cast.rita, name="Small renewal")
    contact = pipeline_actions.create_contact(
        deal.customer, None, name="Cleo Carter", email="cleo@example.com"
    )
    pipeline_actions.add_deal_contact(deal, contact, "decision_maker", None)
    debrief = lose(deal, cast.rita).debrief
    mail.outbox.clear()

    # when
    tasks.send_debrief_invite.call(debrief.pk)

    # then
    [message] = mail.outbox
    assert message.to == ["rita@example.com"]
    assert message.subject == "Rep-led debrief: Small renewal"
    event = sent_event(message)
    assert str(event["organizer"]) == "mailto:rita@example.com"
    assert [str(a) for a in event.attendees] == ["mailto:cleo@example.com"]


def test_a_moved_call_is_the_same_event_with_a_higher_sequence(cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita).debrief
    tasks.send_debrief_invite.call(debrief.pk)
    new_time = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=9), dt.time(15), tzinfo=dt.UTC
    )
    mail.outbox.clear()

    # when
    moved = actions.reschedule_debrief(debrief, cast.rita, scheduled_for=new_time)
    tasks.send_debrief_invite.call(moved.pk)

    # then
    [message] = mail.outbox
    event = sent_event(message)
    assert str(event["uid"]) == f"debrief-{debrief.pk}@127.0.0.1"
    assert int(event["sequence"]) == moved.version > debrief.version
    assert event.decoded("dtstart") == new_time
    assert "(proposed" not in message.body


def test_a_closed_debrief_sends_no_invite(cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita, days_ago=2).debrief
    actions.close_debrief(debrief, cast.rita, "declined")
    mail.outbox.clear()

    # when
    sent = tasks.send_debrief_invite.call(debrief.pk)

    # then
    assert sent is False
    assert mail.outbox == []
