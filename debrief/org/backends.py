"""Signing in with email and password, refused while the account or address is locked."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from debrief.org import actions


class ThrottledModelBackend(ModelBackend):
    """Django's backend behind the sign-in lock, so every sign-in form (ours, the Django
    admin's) obeys it, not only the one that shows the message."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username and actions.sign_in_locked_until(username, request) is not None:
            raise PermissionDenied("Too many failed sign-ins.")  # stops the other backends too
        return super().authenticate(request, username=username, password=password, **kwargs)
