"""What every page's layout needs: the navigation the signed-in user may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from debrief.org import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_write": access.can_write(user),
        "nav_is_admin": access.is_admin(user),
    }
