"""The weekly digest: bad meetings caused by misalignment reach the marketing contact, those
caused by quality the product contact, with their deals and notes; each once, and nothing goes
to a contact that is not set."""

from __future__ import annotations

import io

from django.core import mail
from django.core.management import call_command

from debrief.meetings import actions
from debrief.meetings.models import BadMeeting
from debrief.meetings.tests.page_helpers import meeting
from debrief.org import actions as org_actions


def _flag(deal, by, causes, note):
    return actions.flag_bad_meeting(
        meeting(deal, by, title=f"Meeting on {deal.name}"),
        by,
        causes=causes,
        consequences=[],
        note=note,
    )


def _digest() -> str:
    out = io.StringIO()
    call_command("send_bad_meeting_digest", stdout=out)
    return out.getvalue()


def test_each_owner_hears_of_their_causes_once(rita, oscar, make_deal):
    # given the contacts are set, and three bad meetings this week
    org_actions.update_organisation(
        None, marketing_contact_email="mkt@example.com", product_contact_email="prod@example.com"
    )
    _flag(make_deal(rita, name="Acme renewal"), rita, ["misalignment"], "The ad promised SSO.")
    _flag(make_deal(oscar, name="Borealis pilot"), oscar, ["quality", "misalignment"], "Crashed.")
    _flag(make_deal(rita, name="Cobalt upsell"), rita, ["pricing"], "Too dear.")
    mail.outbox.clear()

    # when
    output = _digest()

    # then one email per owner, with the deals, reps and notes that are theirs
    assert "Sent 2 digest emails about 2 bad meetings." in output
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"mkt@example.com", "prod@example.com"}
    marketing = by_address["mkt@example.com"].body
    assert "Acme renewal" in marketing and "The ad promised SSO." in marketing
    assert "Borealis pilot" in marketing and "Oscar Olsen" in marketing
    assert "Cobalt upsell" not in marketing
    product = by_address["prod@example.com"].body
    assert "Borealis pilot" in product and "Crashed." in product
    assert "Acme renewal" not in product
    assert "Causes: Product or service quality, Marketing and sales misalignment" in product
    assert BadMeeting.objects.filter(digest_sent_at__isnull=False).count() == 2

    # and running it again sends nothing new
    mail.outbox.clear()
    assert "No digest to send" in _digest()
    assert mail.outbox == []


def test_no_email_when_no_contact_is_set(rita, make_deal):
    # given no contacts in the organisation settings
    _flag(make_deal(rita), rita, ["misalignment", "quality"], "Wrong deck, broken demo.")
    mail.outbox.clear()

    # when
    output = _digest()

    # then nothing is sent, and the bad meeting waits for a contact
    assert "No digest to send" in output
    assert mail.outbox == []
    assert BadMeeting.objects.get().digest_sent_at is None


def test_a_bad_meeting_waits_for_its_owners_contact(rita, make_deal):
    # given only the marketing contact is set, and a quality problem
    org_actions.update_organisation(None, marketing_contact_email="mkt@example.com")
    _flag(make_deal(rita, name="Delta"), rita, ["quality"], "Support never called back.")
    mail.outbox.clear()
    _digest()
    assert mail.outbox == []

    # when the product contact is set
    org_actions.update_organisation(None, product_contact_email="prod@example.com")
    _digest()

    # then the product contact hears of it
    [message] = mail.outbox
    assert message.to == ["prod@example.com"]
    assert "Support never called back." in message.body
