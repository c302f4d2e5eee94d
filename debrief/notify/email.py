"""Sending email through Django's email framework (console by default, SMTP when set)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def send_templated_email(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
) -> int:
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    message = EmailMessage(subject=subject, body=body, to=list(to))
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message.send()
