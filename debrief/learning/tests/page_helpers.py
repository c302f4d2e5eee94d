"""Shared set-up for the learning page tests: lost deals, a North team of seven, a retro,
and a published practice, all through the real actions."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management import call_command

from conftest import PASSWORD
from debrief.learning import actions
from debrief.learning.models import BestPractice, Retro
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType
from debrief.org import actions as org_actions
from debrief.org.models import Team, User
from debrief.pipeline.models import Deal


def lose(deal: Deal, by: User, reason: str = "Price") -> Deal:
    mark_deal_lost(
        deal,
        by,
        LossInput(
            outcome_type=OutcomeType.objects.get(name="Lost to a competitor"),
            reasons=[LossReason.objects.get(name=reason)],
        ),
    )
    deal.refresh_from_db()
    return deal


def grow_north(north: Team, count: int = 4) -> list[User]:
    """More reps for North, so that a retro has people enough for two groups."""
    return [
        org_actions.create_user(
            None,
            email=f"north{i}@example.com",
            full_name=f"North Rep {i}",
            password=PASSWORD,
            teams=[north],
        )
        for i in range(1, count + 1)
    ]


def north_retro(
    cast: Any, north: Team, make_deal: Any, attendees: list[User] | None = None
) -> Retro:
    lost = lose(make_deal(cast.rita, name="Harbour rollout"), cast.rita)
    return actions.open_retro(
        cast.maya,
        team=north,
        title="Why we lost Harbour",
        deals=[lost],
        attendees=attendees or [cast.maya, cast.rita, cast.nico],
    )


def published(by: User, team: Team, statement: str, **conditions: Any) -> BestPractice:
    practice = actions.write_practice(
        by, actions.PracticeInput(statement=statement, **conditions), team=team
    )
    practice = actions.publish_practice(practice, by)
    # Matching may run in the background: run it here, so the test sees the matches.
    actions.match_practice(practice)
    return practice


def run_worker() -> None:
    """Run the task queue until nothing is ready, as `debrief worker` would; the worker
    installs its own SIGINT/SIGTERM handlers, so pytest's are put back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
