"""What the meetings API tests share: a meeting scheduled through the real action, some days
back or ahead, and the fields an API error names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from debrief.meetings import actions


def meeting(
    deal: Any, by: Any, *, days_ago: float = 1, title: str = "Discovery call", **kw: Any
) -> Any:
    """A meeting on the deal, `days_ago` days back (negative: ahead)."""
    starts_at = timezone.now() - dt.timedelta(days=days_ago)
    return actions.schedule_meeting(deal, by, title=title, starts_at=starts_at, **kw)


def day(offset: int) -> str:
    """Today plus `offset` days, as the API writes dates."""
    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


def fields(response: Any) -> list[str | None]:
    return [error["field"] for error in response.json()["errors"]]
