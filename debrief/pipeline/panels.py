"""Sections that later parts of the loop (losses, meetings, practices, relationships) add to
the deal page. Pipeline knows nothing of them: each registers a panel from its AppConfig."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from debrief.pipeline.models import Deal

DealPanel = Callable[[HttpRequest, Deal], SafeString | str]

_panels: list[tuple[int, str, DealPanel]] = []


def register_deal_panel(name: str, panel: DealPanel, *, order: int = 100) -> None:
    """Add a section to the deal page; registering the same name again replaces it."""
    global _panels
    _panels = sorted(
        [entry for entry in _panels if entry[1] != name] + [(order, name, panel)],
        key=lambda entry: (entry[0], entry[1]),
    )


def render_deal_panels(request: HttpRequest, deal: Deal) -> list[SafeString | str]:
    """Each panel's HTML, in order; a panel with nothing to say returns an empty string."""
    rendered = (panel(request, deal) for _, _, panel in _panels)
    return [html for html in rendered if html]
