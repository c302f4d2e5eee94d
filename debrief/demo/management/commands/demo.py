"""`debrief demo`: load the demo organisation, a sales team with two years of history."""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from debrief.demo import generate, words


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ArgumentTypeError("must be 0 or more")
    return number


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError("use YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = (
        "Load the demo organisation (Brightline Systems): 2 teams, 2 managers, 8 reps, 2 "
        "solutions consultants, an analyst and an admin, customers with contacts, products, competitors and deals with "
        "their stage histories over the last 24 months, and for every lost deal its loss "
        "record, own-it review, customer debrief and lessons; meetings with their plans, outcomes "
        "and bad meetings, every customer's relationship, and the teams' retros, best practices "
        "and their matches. The same --seed gives the same data "
        "(dates count back from --today). Refuses a database that already has deals: "
        "--if-empty then does nothing (what `make run` uses), --reset first removes a "
        "previously loaded demo organisation."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default: 1).")
        parser.add_argument(
            "--deals", type=_positive, default=2_000, help="Number of deals (default: 2000)."
        )
        parser.add_argument(
            "--customers",
            type=_positive,
            default=None,
            help="Number of customers (default: 300, or 15%% of --deals above 2000).",
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="The day the history leads up to, YYYY-MM-DD (default: today).",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has deals.",
        )
        mode.add_argument(
            "--reset",
            action="store_true",
            help="Remove a previously loaded demo organisation first (refused when other "
            "deals exist).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and generate.has_deals():
            if options["verbosity"] >= 1:
                self.stdout.write("The database already has deals: demo not loaded.")
            return
        started = time.monotonic()
        try:
            if not options["reset"] and generate.has_deals():
                raise generate.DemoError(
                    "The database already has deals. Use --if-empty to skip loading, or "
                    "--reset to replace a demo organisation loaded before."
                )
            summary = generate.load_demo(
                seed=options["seed"],
                deals=options["deals"],
                customers=options["customers"],
                today=options["today"],
                reset=options["reset"],
            )
        except generate.DemoError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] < 1:
            return
        elapsed = time.monotonic() - started
        s = summary
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo organisation {words.ORGANISATION_NAME} (seed {s.seed}) "
                f"in {elapsed:.1f} s."
            )
        )
        self.stdout.write(
            f"  {s.users} users in {s.teams} teams, {s.customers:,} customers, "
            f"{s.contacts:,} contacts\n"
            f"  {s.deals:,} deals: {s.open:,} open, {s.won:,} won, {s.lost:,} lost "
            f"(win rate {s.win_rate:.1%}), {s.events:,} events"
        )
        debriefs = s.debriefs
        to_come = debriefs.get("proposed", 0) + debriefs.get("scheduled", 0)
        self.stdout.write(
            f"  {s.losses:,} losses: {s.own_it_written:,} own-it reviews written, "
            f"{sum(debriefs.values()):,} debriefs ({debriefs.get('held', 0):,} held, "
            f"{to_come:,} to come, {debriefs.get('declined', 0):,} declined, "
            f"{debriefs.get('cancelled', 0):,} cancelled), {s.lessons:,} lessons"
        )
        f = s.follow_through
        if f is not None:
            outcomes = f.outcomes
            recorded = sum(outcomes.values())
            valuable = outcomes["advance"] + outcomes["qualified_out"]
            self.stdout.write(
                f"  {f.meetings:,} meetings ({f.upcoming:,} to come, {f.soon} tomorrow of which "
                f"{f.soon_without_plan} without a sufficient plan), {recorded:,} outcomes "
                f"({outcomes['advance']:,} advance, {outcomes['qualified_out']:,} qualified out, "
                f"{outcomes['no_outcome']:,} no outcome: {valuable / max(recorded, 1):.1%} "
                f"valuable), {f.bad_meetings:,} bad meetings with {f.recovery_steps:,} recovery "
                f"steps ({f.decisions['stay_in']:,} stayed in, {f.decisions['qualify_out']:,} "
                f"qualified out, {f.decisions['pending']:,} to decide)"
            )
            statuses = ", ".join(
                f"{n:,} {k.replace('_', ' ')}" for k, n in sorted(f.relationships.items())
            )
            self.stdout.write(
                f"  relationships: {statuses}; {f.relationship_events:,} events, "
                f"{f.touchpoints:,} touchpoints ({f.touchpoints_open:,} open), {f.rep_changes} "
                f"changes of rep, {f.re_engagements} re-engagements"
            )
            practices = ", ".join(f"{n} {k}" for k, n in sorted(f.practices.items()))
            matches = ", ".join(
                f"{n:,} {k.replace('_', ' ')}" for k, n in sorted(f.matches.items())
            )
            self.stdout.write(
                f"  {f.retros} retros ({f.proposals} proposals, {f.votes} votes), practices: "
                f"{practices}; matches: {matches}"
            )
        if options["verbosity"] >= 2:
            phases = ", ".join(
                f"{name} {wall:.1f} s ({cpu:.1f} s CPU)" for name, (wall, cpu) in s.timings.items()
            )
            self.stdout.write(f"  Phases: {phases}")
        self.stdout.write(f"  Log in with password {words.PASSWORD!r} as:")
        for role, email in generate.demo_logins().items():
            self.stdout.write(f"    {role:<8} {email}")
