"""Template filters of the relationship pages and panels."""

from __future__ import annotations

from django import template

from debrief.relationships.models import RelationshipStatus
from debrief.relationships.queries import STATUS_BADGES

register = template.Library()


@register.filter
def status_badge(status: str) -> str:
    """The badge class for a relationship status: warm colours for damage."""
    return STATUS_BADGES.get(status, "badge-neutral")  # type: ignore[call-overload]


@register.filter
def status_label(status: str) -> str:
    return dict(RelationshipStatus.choices).get(status, status)


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    """`mapping|get_item:key`, for the per-row forms a view builds in a dict."""
    return mapping.get(key) if mapping else None
