"""`debrief createuser`: add a person who logs in by email, with a role and teams."""

from __future__ import annotations

import getpass
import re
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from debrief.org import actions
from debrief.org.models import Role, Team

# Which option of this command each field of `create_user` comes from, to name it in errors.
FLAGS = {
    "email": "EMAIL",
    "full_name": "--name",
    "role": "--role",
    "password": "--password",
    "time_zone": "--time-zone",
    "teams": "--team",
    "members": "--team",
    "managers": "--team",
    "name": "--team",
}


def name_from_email(email: str) -> str:
    """ "maya.moreau@example.com" -> "Maya Moreau": a readable default for --name."""
    local = email.split("@", 1)[0]
    return " ".join(part.capitalize() for part in re.split(r"[._\-+]+", local) if part)


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{FLAGS.get(field, field)}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Create a user. Reps and managers join the teams given with --team (managers manage "
        "them); analysts and admins see every team. Without --password or --no-password the "
        "password is asked for."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", metavar="EMAIL", help="The address they log in with.")
        parser.add_argument(
            "--role", required=True, choices=Role.values, help="rep, manager, admin or analyst."
        )
        parser.add_argument(
            "--team",
            action="append",
            default=[],
            metavar="NAME",
            help="A team they belong to (reps) or manage (managers); repeatable.",
        )
        parser.add_argument(
            "--create-team", action="store_true", help="Create the --team teams that are missing."
        )
        parser.add_argument(
            "--name", default="", help="Full name (default: made from the email address)."
        )
        parser.add_argument("--time-zone", default="UTC", help="e.g. Europe/Paris (default UTC).")
        password = parser.add_mutually_exclusive_group()
        password.add_argument("--password", help="Their password (else you are asked for it).")
        password.add_argument(
            "--no-password",
            action="store_true",
            help="No password: they cannot log in until one is set.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email: str = options["email"].strip()
        role: str = options["role"]
        team_names = [name.strip() for name in options["team"] if name.strip()]
        if team_names and role == Role.ANALYST:
            raise CommandError("--team: analysts read across teams and are not members.")
        missing = [n for n in team_names if not Team.objects.filter(name__iexact=n).exists()]
        if missing and not options["create_team"]:
            known = ", ".join(Team.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(
                f"--team: there is no team called {', '.join(missing)} (teams: {known}). "
                "Add --create-team to create it."
            )
        password = self._password(options)
        full_name = options["name"].strip() or name_from_email(email)
        try:
            with transaction.atomic():
                teams = [self._team(name) for name in team_names]
                user = actions.create_user(
                    None,
                    email=email,
                    full_name=full_name,
                    role=role,
                    password=password,
                    teams=teams,
                    time_zone=options["time_zone"],
                )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        where = f" in {', '.join(t.name for t in teams)}" if teams else ""
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.get_role_display().lower()} {user.email}")
            + f" ({user.full_name}){where}."
        )
        if password is None:
            self.stdout.write("They have no password yet: set one before they can log in.")

    def _password(self, options: dict[str, Any]) -> str | None:
        if options["no_password"]:
            return None
        if options["password"] is not None:
            if not options["password"]:
                raise CommandError("--password: give a password, or use --no-password.")
            return str(options["password"])
        if not sys.stdin.isatty():
            raise CommandError("Give --password or --no-password: there is no terminal to ask.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        if not first:
            raise CommandError("--password: give a password, or use --no-password.")
        return first

    def _team(self, name: str) -> Team:
        team = Team.objects.filter(name__iexact=name).first()
        return team if team is not None else actions.create_team(None, name=name)
