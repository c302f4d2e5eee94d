"""`debrief createuser` adds people through the same action as the settings page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import PASSWORD
from debrief.org.models import Team, User


def createuser(*args: str) -> str:
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_creates_a_rep_in_a_team_who_can_log_in(north):
    # when
    output = createuser(
        "Lena.Park@Example.com", "--role", "rep", "--team", "North", "--password", PASSWORD
    )

    # then
    user = User.objects.get(email="lena.park@example.com")
    assert user.role == "rep"
    assert user.full_name == "Lena Park"
    assert user.check_password(PASSWORD)
    assert list(north.members.all()) == [user]
    assert "Created rep lena.park@example.com (Lena Park) in North." in output


def test_a_manager_manages_the_team_given(north):
    # when
    createuser("lead@example.com", "--role", "manager", "--team", "north", "--no-password")

    # then
    user = User.objects.get(email="lead@example.com")
    assert list(north.managers.all()) == [user]
    assert not user.has_usable_password()


def test_an_unknown_team_is_refused_unless_asked_to_create_it(north):
    # when
    with pytest.raises(CommandError, match=r"--team: there is no team called West"):
        createuser("west@example.com", "--role", "rep", "--team", "West", "--no-password")

    # then
    assert not User.objects.filter(email="west@example.com").exists()

    # when
    createuser(
        "west@example.com", "--role", "rep", "--team", "West", "--create-team", "--no-password"
    )

    # then
    assert Team.objects.get(name="West").members.get().email == "west@example.com"


def test_a_duplicate_email_is_refused(rita):
    with pytest.raises(CommandError, match=r"EMAIL: rita@example\.com already has an account"):
        createuser("RITA@example.com", "--role", "rep", "--no-password")


def test_an_unknown_role_is_refused(db):
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        createuser("boss@example.com", "--role", "boss", "--no-password")
    assert not User.objects.exists()


def test_a_weak_password_is_refused_naming_the_option(db):
    with pytest.raises(CommandError, match="--password: This password is too short"):
        createuser("weak@example.com", "--role", "admin", "--password", "abc")


def test_an_analyst_joins_no_team(north):
    with pytest.raises(CommandError, match="--team: analysts read across teams"):
        createuser("an@example.com", "--role", "analyst", "--team", "North", "--no-password")


def test_without_a_terminal_a_password_option_is_required(db, monkeypatch):
    # given
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    # then
    with pytest.raises(CommandError, match="Give --password or --no-password"):
        createuser("who@example.com", "--role", "rep")
