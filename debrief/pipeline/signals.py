"""Signals other parts of the loop send about customers, so relationship tracking can react
without the senders knowing it exists. Sent inside the sender's transaction."""

from __future__ import annotations

from django.dispatch import Signal

# customer: Customer, by: User | None, reason: str, at: datetime
relationship_damaged = Signal()

# deal_id: int — a deal was created or changed; sent once the change has committed.
deal_changed = Signal()
