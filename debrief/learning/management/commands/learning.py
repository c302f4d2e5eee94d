"""`debrief learning words [--missing]`: (re)build the words practices are matched against,
e.g. after an import; `debrief learning match [--practice ID]`: match published practices
against every open deal again."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from debrief.learning import actions
from debrief.learning.models import BestPractice, PracticeStatus
from debrief.pipeline.models import Deal


class Command(BaseCommand):
    help = (
        "`words` rebuilds the words of every deal (its name, next step, meeting plans and "
        "outcomes) that practices are matched against, or with --missing only of deals that "
        "have none yet; `match` matches every published practice (or --practice ID) against "
        "every open deal again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["words", "match"])
        parser.add_argument(
            "--missing", action="store_true", help="words: only deals that have no words yet."
        )
        parser.add_argument("--practice", type=int, default=None, help="match: this practice.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["action"] == "words":
            if options["missing"]:
                count = actions.refresh_deal_words(
                    Deal.objects.filter(words__isnull=True).order_by().values_list("pk", flat=True)
                )
            else:
                count = actions.rebuild_deal_words()
            self.stdout.write(
                f"Words of {count:,} deals rebuilt in {time.monotonic() - started:.1f} s."
            )
            return
        practices = BestPractice.objects.filter(status=PracticeStatus.PUBLISHED).order_by("pk")
        if options["practice"] is not None:
            practices = practices.filter(pk=options["practice"])
            if not practices.exists():
                raise CommandError(f"No published practice {options['practice']}.")
        for practice in practices:
            count = actions.match_practice(practice)
            self.stdout.write(f"Practice {practice.pk} applies to {count:,} open deals.")
        self.stdout.write(f"Matched in {time.monotonic() - started:.1f} s.")
