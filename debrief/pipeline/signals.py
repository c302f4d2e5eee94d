"""Signals other parts of the loop send about customers and deals, so relationship tracking
and matching can react without the senders knowing they exist; and the version of the
pipeline's data, which kept answers depend on."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# customer: Customer, by: User | None, reason: str, at: datetime
relationship_damaged = Signal()

# deal_id: int — a deal was created or changed; sent once the change has committed.
deal_changed = Signal()


# Everything the pipeline list shows — deals, their customers, owners, teams, stages,
# products and competitors, and who may see which — as one body of data whose version
# web/answers.py keys kept answers by. The app's ready() records changes from model signals.
PIPELINE_DATA = "pipeline"


def pipeline_data_changed(*args: Any, **kwargs: Any) -> None:
    """Record a change to the pipeline's data; for writers that bypass model signals (bulk
    writes, imports, the demo loader, a restore). Any arguments are ignored (hook use)."""
    from debrief.web.answers import changed

    changed(PIPELINE_DATA)
