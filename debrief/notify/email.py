"""Sending email through Django's email framework: the default mailer of MAILERS, which is
the console unless EMAIL_HOST names an SMTP server (see settings.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone


def send_templated_email(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    time_zone: dt.tzinfo | None = None,
) -> int:
    """Render a plain-text template and send it, with any attachments as
    (filename, content, mimetype). Times in the body are shown in `time_zone`, the
    recipient's, rather than the server's."""
    with timezone.override(time_zone or timezone.get_current_timezone()):
        body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    message = EmailMessage(subject=subject, body=body, to=list(to))
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message.send()
