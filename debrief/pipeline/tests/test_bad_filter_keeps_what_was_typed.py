"""A filter value the pipeline cannot read stays in its box to be corrected: a number or date
input would show nothing for it, so that box becomes plain text while it is wrong."""

from __future__ import annotations

import re

from debrief.pipeline.tests.pages import text


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name}"
    return match.group(0)


def test_the_typed_value_stays_in_a_text_box(client, rita):
    # given
    client.force_login(rita)

    # when
    page = text(client.get("/deals/", {"amount_min": "12,5k", "close_to": "31/12/2026"}))

    # then
    assert 'type="text"' in input_tag(page, "amount_min")
    assert 'value="12,5k"' in input_tag(page, "amount_min")
    assert 'type="text"' in input_tag(page, "close_to")
    assert 'value="31/12/2026"' in input_tag(page, "close_to")


def test_good_values_keep_their_number_and_date_inputs(client, rita):
    # given
    client.force_login(rita)

    # when
    page = text(client.get("/deals/", {"amount_min": "100", "close_to": "2026-12-31"}))

    # then
    assert 'type="number"' in input_tag(page, "amount_min")
    assert 'value="100"' in input_tag(page, "amount_min")
    assert 'type="date"' in input_tag(page, "close_to")
    assert 'value="2026-12-31"' in input_tag(page, "close_to")
