"""`debrief token create|list|revoke`: a user's API tokens from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from debrief.org import actions
from debrief.org.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Manage API tokens. `token create EMAIL` prints a new key once (only its hash is "
        "kept; `debrief token -v 0 create EMAIL` prints the key alone); `token list EMAIL` "
        "shows a user's tokens; `token revoke ID` stops one working."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = commands.add_parser("create", help="Create a token and print its key once.")
        create.add_argument("email", metavar="EMAIL")
        create.add_argument(
            "--name", default="command line", help="What will use it (default: command line)."
        )
        listing = commands.add_parser("list", help="List a user's tokens.")
        listing.add_argument("email", metavar="EMAIL")
        revoke = commands.add_parser("revoke", help="Revoke a token by its id (see `list`).")
        revoke.add_argument("token_id", metavar="TOKEN_ID", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        match options["action"]:
            case "create":
                self._create(self._user(options["email"]), options["name"], options["verbosity"])
            case "list":
                self._list(self._user(options["email"]))
            case "revoke":
                self._revoke(options["token_id"])

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"EMAIL: there is no user {email}.")
        return user

    def _create(self, user: User, name: str, verbosity: int) -> None:
        try:
            token, raw = actions.create_api_token(user, None, name)
        except ValidationError as exc:
            raise CommandError(f"--name: {' '.join(exc.messages)}") from exc
        if verbosity >= 1:
            self.stdout.write(f"Token {token.pk} ({token.name}) for {user.email}:")
        # The key alone on its line, so that a script can capture `-v 0` output.
        self.stdout.write(raw)
        if verbosity >= 1:
            self.stdout.write("Keep it now: it is stored hashed and cannot be shown again.")

    def _list(self, user: User) -> None:
        tokens = list(user.api_tokens.all())
        if not tokens:
            self.stdout.write(f"{user.email} has no API tokens.")
            return
        self.stdout.write(f"{'ID':>5}  {'KEY':<12}  {'STATUS':<8}  {'CREATED':<16}  NAME")
        for token in tokens:
            status = "active" if token.is_active else "revoked"
            created = timezone.localtime(token.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{token.pk:>5}  {token.key_hint + '…':<12}  {status:<8}  {created:<16}  "
                f"{token.name}"
            )

    def _revoke(self, token_id: int) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"TOKEN_ID: there is no token {token_id}.")
        if not token.is_active:
            self.stdout.write(f"Token {token.pk} ({token.name}) was already revoked.")
            return
        actions.revoke_api_token(token, None)
        self.stdout.write(
            self.style.SUCCESS(f"Revoked token {token.pk} ({token.name}) of {token.user.email}.")
        )
