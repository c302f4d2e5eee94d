"""Users, teams, roles, organisation settings, API tokens, and sign-in throttling."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "debrief.org"
    label = "org"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        user_login_failed.connect(_record_failure, dispatch_uid="org-sign-in-failure")


def _record_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    """Whichever form saw it (our sign-in page, the Django admin's), a failed sign-in counts."""
    from debrief.org.actions import record_sign_in_failure

    record_sign_in_failure(str(credentials.get("username") or ""), request)
