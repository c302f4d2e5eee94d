"""The re-engagement date ("there is always next year"): proposed as the customer's renewal
or budget date, else the next fiscal year's start, saying which; setting it creates a
follow-up, and the date downloads as a calendar reminder."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar

from debrief.org.actions import update_organisation
from debrief.pipeline.models import FollowUp
from debrief.relationships.models import Relationship
from debrief.relationships.tests.helpers import field_error, section


def _next_first_of(month: int, today: dt.date) -> dt.date:
    candidate = dt.date(today.year, month, 1)
    return candidate if candidate > today else dt.date(today.year + 1, month, 1)


def test_the_renewal_date_is_proposed_and_said_why(client, rita, make_customer):
    renewal = timezone.localdate() + dt.timedelta(days=120)
    customer = make_customer(owner=rita, renewal_on=renewal)
    client.force_login(rita)

    response = client.get(f"/customers/{customer.pk}/relationship/")

    assert f'value="{renewal.isoformat()}"' in response.content.decode()
    assert "the customer's renewal or budget date" in section(response, "re-engagement")


def test_without_a_renewal_date_the_next_fiscal_year_is_proposed(client, adam, rita, make_customer):
    update_organisation(adam, fiscal_year_start_month=4)
    customer = make_customer(owner=rita)
    client.force_login(rita)

    response = client.get(f"/customers/{customer.pk}/relationship/")

    expected = _next_first_of(4, timezone.localdate())
    assert f'value="{expected.isoformat()}"' in response.content.decode()
    why = section(response, "re-engagement")
    assert "the start of the next fiscal year (it starts in April)" in why
    assert "no renewal or budget date is on file" in why


def test_setting_the_date_creates_a_follow_up_and_a_reminder(client, rita, make_customer):
    # given
    customer = make_customer(name="Acme Ltd", owner=rita)
    day = timezone.localdate() + dt.timedelta(days=200)
    client.force_login(rita)

    # when
    response = client.post(
        f"/customers/{customer.pk}/relationship/re-engagement/",
        {"re_engage_on": day.isoformat(), "note": "Their budget opens in spring"},
    )

    # then
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(kind="re_engagement")
    assert (follow_up.owner, follow_up.due_on, follow_up.customer) == (rita, day, customer)
    assert Relationship.objects.get().re_engage_follow_up == follow_up
    page = client.get(f"/customers/{customer.pk}/relationship/")
    assert "Their budget opens in spring" in section(page, "re-engagement")

    # and the reminder opens in any calendar
    ics = client.get(f"/customers/{customer.pk}/relationship/re-engagement.ics")
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert event.decoded("dtstart") == day
    assert str(event["summary"]) == "Re-engage Acme Ltd"
    assert str(event["description"]) == "Their budget opens in spring"
    assert "rita@example.com" in str(event["organizer"])


def test_a_date_already_past_is_refused_beside_the_field(client, rita, make_customer):
    customer = make_customer(owner=rita)
    client.force_login(rita)

    response = client.post(
        f"/customers/{customer.pk}/relationship/re-engagement/",
        {"re_engage_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 400
    assert (
        field_error(response, "reengage_re_engage_on") == "A re-engagement date is in the future."
    )
    assert not FollowUp.objects.exists()


def test_no_reminder_before_a_date_is_set(client, rita, oscar, make_customer):
    customer = make_customer(owner=rita)
    client.force_login(rita)

    assert client.get(f"/customers/{customer.pk}/relationship/re-engagement.ics").status_code == 404


def test_another_teams_reminder_is_not_there(client, rita, oscar, make_customer):
    customer = make_customer(owner=oscar)
    client.force_login(oscar)
    client.post(
        f"/customers/{customer.pk}/relationship/re-engagement/",
        {"re_engage_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
    )
    client.force_login(rita)

    assert client.get(f"/customers/{customer.pk}/relationship/re-engagement.ics").status_code == 404
