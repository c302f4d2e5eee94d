"""The whole REST API under schemathesis: cases generated from /api/v1/openapi.json, valid
and invalid, against a world of real records. No answer may be a 5xx, and every answer must
be one the schema declares (status code, content type, body). Bounded and derandomized, so
CI runs the same cases every time; see docs/hostile-input.md to run it longer."""

from __future__ import annotations

import os
import re
import time
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from debrief.api import api
from debrief.org import actions as org_actions
from debrief.org.tests.test_access_matrix import API as ROUTES
from debrief.org.tests.test_access_matrix import world  # noqa: F401  (the fixture)

# Cases per operation: as the admin (every operation), then as a rep (reads and edits, which
# the rep may be refused). DEBRIEF_FUZZ_SCALE=20 runs twenty times as many, by hand.
SCALE = int(os.environ.get("DEBRIEF_FUZZ_SCALE", "1"))
ADMIN_EXAMPLES = 15 * SCALE
REP_EXAMPLES = 6 * SCALE
MIN_CASES = 2_000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Operations left out of the rep's pass, and why. Each line is a hole in the net: fix the
# route, then delete the line.
REP_EXCLUDED: set[tuple[str, str]] = set()


@pytest.fixture
def in_process_app() -> Any:
    """Django's WSGI handler, called in-process inside the test's transaction. Like the
    test client, it must not close the connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _real_parameters(w: Any) -> dict[tuple[str, str], dict[str, str]]:
    """Each operation's path parameters set to records that exist, from the access matrix's
    routes, so the fuzzer reaches past the 404 into the code that does the work."""
    found = {}
    for (method, template), route in ROUTES.items():
        names = re.findall(r"{(\w+)}", template)
        if not names:
            continue
        pattern = re.escape(template)
        for name in names:
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>[^/]+)")
        match = re.fullmatch(pattern, route.path(w))
        if match:
            found[(method, template)] = match.groupdict()
    return found


def _fuzz(
    schema: Any,
    token: str,
    examples: int,
    excluded: set[tuple[str, str]],
    real: dict[tuple[str, str], dict[str, str]],
    failures: list[str],
) -> int:
    calls = 0
    headers = {"Authorization": f"Bearer {token}"}
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if key in excluded:
            continue
        cases = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases, use_real_ids=st.booleans())
        def call(case: Any, use_real_ids: bool) -> None:
            nonlocal calls
            ids = real.get((case.operation.method.upper(), case.operation.path))
            if use_real_ids and ids:
                case.path_parameters = {**(case.path_parameters or {}), **ids}
            # A "?" in a path parameter would end the path before the query (werkzeug refuses).
            assume(not any("?" in str(v) for v in (case.path_parameters or {}).values()))
            calls += 1
            # Each case starts from the same world: its writes are rolled back.
            with transaction.atomic():
                case.call_and_validate(headers=headers, checks=CHECKS)
                transaction.set_rollback(True)

        try:
            call()
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # every operation's first failure, not just the first one
            failures.append(f"{key[0]} {key[1]}: {exc}")
    return calls


@pytest.mark.django_db
def test_api_answers_hostile_input_within_its_schema(world, in_process_app):  # noqa: F811
    # given the whole API, an admin (who reaches every route) and a rep (who is refused some)
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = in_process_app
    real = _real_parameters(world)
    _, admin_token = org_actions.create_api_token(world.adam, None, "fuzz")
    _, rep_token = org_actions.create_api_token(world.rita, None, "fuzz")
    started, cpu = time.monotonic(), time.process_time()

    # when schemathesis sends its cases, valid and not
    failures: list[str] = []
    calls = _fuzz(schema, admin_token, ADMIN_EXAMPLES, set(), real, failures)
    reads_and_edits = schema.include(method=["GET", "PATCH"])
    calls += _fuzz(reads_and_edits, rep_token, REP_EXAMPLES, REP_EXCLUDED, real, failures)

    # then no case failed a check, and enough were sent
    assert not failures, "\n\n".join(failures)
    assert calls >= MIN_CASES, calls
    wall, cpu = time.monotonic() - started, time.process_time() - cpu
    print(f"\nschemathesis: {calls} cases in {wall:.1f} s ({cpu:.1f} s of CPU)")


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/competitors", {"name": "Acme\x00Rival"}),
        ("patch", "/api/v1/deals/{deal}", {"next_step": "Call\x00back"}),
        ("get", "/api/v1/deals?q=a%00b", None),
        ("get", "/api/v1/deals?team=99999999999999999999999", None),
        ("get", "/api/v1/meeting-plans/99999999999999999999999", None),
        ("get", "/api/v1/deals?offset=99999999999999999999999", None),
        ("post", "/api/v1/deals", {"name": "X", "customer": 1, "competitors": [10**30]}),
    ],
    ids=[
        "nul-in-body",
        "nul-in-patch",
        "nul-in-query",
        "huge-filter",
        "huge-id",
        "huge-offset",
        "huge-id-in-list",
    ],
)
def test_what_the_fuzzer_found_stays_fixed(api_client, cast, make_deal, method, url, body):
    # given values that once made a 500 on SQLite or PostgreSQL (NUL characters; integers
    # past 64 bits), whatever seed the fuzzer runs with
    deal = make_deal(cast.rita)
    api = api_client.as_user(cast.adam)

    # when
    url = url.format(deal=deal.pk)
    response = api.get(url) if body is None else getattr(api, method)(url, body)

    # then it is refused as not valid, or finds nothing (SQLite stores a NUL as given)
    assert response.status_code in (200, 201, 404, 422), response.content
    if response.status_code >= 400:
        assert response.json()["detail"]
