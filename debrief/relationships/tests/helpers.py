"""What the relationship tests share: a relationship damaged some days ago through the real
action, and reading a page the way a person does."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from django.utils import timezone

from debrief.relationships import actions


def damage(customer: Any, by: Any, *, days_ago: int, status: str = "strained") -> Any:
    """The customer's relationship, strained (or broken) `days_ago` days back."""
    at = timezone.now() - dt.timedelta(days=days_ago)
    return actions.change_status(customer, by, status, reason="Bad demo", at=at)


def mend(customer: Any, by: Any, *, damaged_days_ago: int, restored_days_ago: int = 0) -> Any:
    """A relationship strained and later restored: one span of time to mend."""
    damage(customer, by, days_ago=damaged_days_ago)
    at = timezone.now() - dt.timedelta(days=restored_days_ago)
    return actions.change_status(customer, by, "restored", reason="They came back", at=at)


def text(response: Any) -> str:
    """The page's text without tags, as a person reads it."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def section(response: Any, element_id: str) -> str:
    """The text of one section of a page, found by its id."""
    body = response.content.decode()
    match = re.search(rf'<section[^>]*\bid="{element_id}".*?</section>', body, re.S)
    if match is None:
        return ""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(0)))).strip()


def field_error(response: Any, field_id: str) -> str:
    """The error list rendered beside the form field with this id (empty if none)."""
    match = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""
