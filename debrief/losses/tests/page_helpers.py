"""What the loss loop's page tests share: recording a loss the way the actions do, and
reading a page the way a person does."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from debrief.losses import actions
from debrief.losses.models import DebriefConsent, LossReason, LossRecord, OutcomeType


def reason(name: str) -> LossReason:
    return LossReason.objects.get(name=name)


def outcome(name: str = "Lost to a competitor") -> OutcomeType:
    return OutcomeType.objects.get(name=name)


def lose(
    deal: Any,
    by: Any,
    *,
    reasons: Sequence[str] = ("Price",),
    outcome_name: str = "Lost to a competitor",
    days_ago: int = 0,
    consent: str = DebriefConsent.NOT_ASKED,
    competitors: Sequence[Any] = (),
    note: str = "",
) -> LossRecord:
    """Mark a deal lost through the action, `days_ago` days back."""
    return actions.mark_deal_lost(
        deal,
        by,
        actions.LossInput(
            outcome_type=outcome(outcome_name),
            reasons=[reason(name) for name in reasons],
            primary_reason=reason(reasons[0]) if reasons else None,
            competitors=list(competitors),
            note=note,
            debrief_consent=consent,
            lost_on=timezone.localdate() - dt.timedelta(days=days_ago),
        ),
    )


def hold(loss: LossRecord, by: Any, *, customer_reason: str | None = None) -> Any:
    """The loss's debrief, held today (the loss must be from an earlier day)."""
    debrief = loss.debrief
    if customer_reason:
        actions.record_debrief_answers(
            debrief,
            by,
            [actions.AnswerInput(number=1, answer="They listened.")],
            customer_decisive_reason=reason(customer_reason),
        )
    actions.mark_debrief_held(debrief, by)
    debrief.refresh_from_db()
    return debrief


def text(response: Any) -> str:
    """The page's text without tags, as a person reads it."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def section(response: Any, element_id: str, tag: str = "section") -> str:
    """The text of one part of a page (a section unless said), found by its id."""
    body = response.content.decode()
    match = re.search(rf'<{tag}[^>]*\bid="{element_id}".*?</{tag}>', body, re.S)
    return text_of(match.group(0)) if match else ""


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def field_error(response: Any, field: str) -> str:
    """The error list rendered beside a form field (empty if there is none)."""
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""
