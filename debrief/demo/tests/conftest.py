"""The default demo organisation, loaded once for a test module that only reads it: loading
2,000 deals with their loss loop takes seconds, and every behaviour is checked on the same
data. It is rolled back after the module, like each test's own changes."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[dt.date]:
    """Load the demo with its history leading up to the module's TODAY. Each test's own
    transaction nests inside this one."""
    today: dt.date = request.module.TODAY
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", "--today", today.isoformat(), stdout=io.StringIO())
            yield today
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
