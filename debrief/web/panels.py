"""Sections that the parts of the loop (losses, meetings, practices, relationships) add to the
home page. Web knows nothing of them: each registers a panel from its AppConfig."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

HomePanel = Callable[[HttpRequest], SafeString | str]

_panels: list[tuple[int, str, HomePanel]] = []


def register_home_panel(name: str, panel: HomePanel, *, order: int = 100) -> None:
    """Add a section to the home page; registering the same name again replaces it."""
    global _panels
    _panels = sorted(
        [entry for entry in _panels if entry[1] != name] + [(order, name, panel)],
        key=lambda entry: (entry[0], entry[1]),
    )


def render_home_panels(request: HttpRequest) -> list[SafeString | str]:
    """Each panel's HTML, in order; a panel with nothing to say returns an empty string."""
    rendered = (panel(request) for _, _, panel in _panels)
    return [html for html in rendered if html]
