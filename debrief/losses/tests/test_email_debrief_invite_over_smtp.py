"""The debrief invite leaves through a real SMTP server: marking a major deal lost queues
the invite, the worker sends it over SMTP to the leader and the participants, and the
attached .ics is an RFC 5545 request with the people, the guide and the time of the call."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from debrief.losses.models import DEBRIEF_OPENER, DEBRIEF_QUESTIONS, Debrief
from debrief.losses.tests.api_helpers import lose, run_worker
from debrief.pipeline import actions as pipeline_actions


@dataclass
class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    received: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on 127.0.0.1, and the default mailer pointed at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_invite_arrives_over_smtp_with_its_ics(smtp_inbox, cast, make_deal):
    # given a major deal with a decision maker who has an email address
    deal = make_deal(cast.rita, name="Harbor renewal", amount=Decimal("250000"))
    contact = pipeline_actions.create_contact(
        deal.customer, None, name="Cleo Carter", email="cleo@harbor.example"
    )
    pipeline_actions.add_deal_contact(deal, contact, "decision_maker", None)

    # when the rep marks it lost and the worker runs the queued invite
    lose(deal, cast.rita)
    run_worker()

    # then the invite task succeeded and one message reached the server
    invite = DBTaskResult.objects.get(task_path="debrief.losses.tasks.send_debrief_invite")
    assert invite.status == TaskResultStatus.SUCCESSFUL
    [envelope] = smtp_inbox.received
    assert sorted(envelope.rcpt_tos) == ["maya@example.com", "rita@example.com"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Manager-led post-mortem: Harbor renewal"
    assert sorted(a.strip() for a in message["To"].split(",")) == [
        "maya@example.com",
        "rita@example.com",
    ]
    text_part = message.get_body(preferencelist=("plain",))
    assert text_part is not None
    body = text_part.get_content()
    assert DEBRIEF_OPENER in body
    assert "Contact the customer now" in body

    # and the attachment is the calendar request
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "debrief.ics"
    assert attachment.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(attachment.get_content())
    assert calendar["method"] == "REQUEST"
    [event] = calendar.events
    debrief = Debrief.objects.get()
    assert str(event["organizer"]) == "mailto:maya@example.com"
    assert sorted(str(a) for a in event.attendees) == [
        "mailto:cleo@harbor.example",
        "mailto:rita@example.com",
    ]
    assert str(event["summary"]) == f"Manager-led post-mortem: {deal.customer} — Harbor renewal"
    description = str(event["description"])
    assert DEBRIEF_OPENER in description
    for question in DEBRIEF_QUESTIONS:
        assert question in description
    assert event.decoded("dtstart") == debrief.when
