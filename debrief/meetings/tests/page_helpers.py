"""What the meeting page tests share: a meeting at a given time through the real action, and
reading a page the way a person does."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from django.utils import timezone

from debrief.meetings import actions
from debrief.meetings.models import Meeting


def meeting(deal: Any, by: Any, *, hours: float = -24, title: str = "Discovery call") -> Meeting:
    """A meeting `hours` from now (negative: it has taken place)."""
    return actions.schedule_meeting(
        deal, by, title=title, starts_at=timezone.now() + dt.timedelta(hours=hours)
    )


def text(response: Any) -> str:
    """The page's text without tags, as a person reads it."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def section(response: Any, element_id: str) -> str:
    """The text of one element of a page (a section, list, table…) found by its id."""
    body = response.content.decode()
    match = re.search(rf'<(\w+)\b[^>]*\bid="{element_id}".*?</\1>', body, re.S)
    if not match:
        return ""
    inner = re.sub(r"<[^>]+>", " ", match.group(0))
    return re.sub(r"\s+", " ", html.unescape(inner)).strip()


def field_error(response: Any, field: str) -> str:
    """The error shown beside a form field, as text."""
    body = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', body, re.S)
    return re.sub(r"<[^>]+>", "", html.unescape(match.group(1))).strip() if match else ""
