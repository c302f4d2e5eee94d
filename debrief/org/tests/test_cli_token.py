"""`debrief token` creates, lists and revokes API tokens; the key is shown once, kept hashed."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from debrief.org.actions import authenticate_api_token
from debrief.org.models import ApiToken


def token(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_key_once_and_stores_only_its_hash(rita):
    # when
    output = token("create", "rita@example.com", "--name", "CRM sync")

    # then
    raw = next(line for line in output.splitlines() if line.startswith("dbr_"))
    stored = ApiToken.objects.get(user=rita)
    assert stored.name == "CRM sync"
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.key_hash, stored.key_hint, stored.name}
    assert authenticate_api_token(raw) == rita
    assert raw not in token("list", "rita@example.com")


def test_quiet_create_prints_the_key_alone(rita):
    output = token("-v", "0", "create", "rita@example.com")
    assert authenticate_api_token(output.strip()) == rita


def test_list_shows_each_token_and_whether_it_is_active(rita):
    # given
    token("create", "rita@example.com", "--name", "laptop")
    revoked = ApiToken.objects.get()
    token("revoke", str(revoked.pk))
    token("create", "rita@example.com", "--name", "server")

    # when
    output = token("list", "rita@example.com")

    # then
    lines = {line.split()[-1]: line for line in output.splitlines()[1:]}
    assert "revoked" in lines["laptop"]
    assert "active" in lines["server"]


def test_revoke_stops_the_key_working(rita):
    # given
    raw = token("-v", "0", "create", "rita@example.com").strip()
    stored = ApiToken.objects.get()

    # when
    output = token("revoke", str(stored.pk))

    # then
    assert f"Revoked token {stored.pk}" in output
    assert authenticate_api_token(raw) is None
    assert "already revoked" in token("revoke", str(stored.pk))


def test_unknown_users_and_tokens_are_named(db):
    with pytest.raises(CommandError, match=r"EMAIL: there is no user nobody@example\.com"):
        token("create", "nobody@example.com")
    with pytest.raises(CommandError, match="TOKEN_ID: there is no token 42"):
        token("revoke", "42")
