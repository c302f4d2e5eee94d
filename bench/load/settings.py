"""Debrief's settings with the bench's URLconf: the app as it is, plus a hello-world
endpoint to measure it against. For bench/load/run.sh only; the product never loads it."""

from __future__ import annotations

from debrief.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.hello_urls"
