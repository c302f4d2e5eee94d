"""Exports open safely in a spreadsheet: text that would run as a formula is quoted, accented
names survive Excel (UTF-8 with a byte order mark), and multi-line text stays one cell."""

from __future__ import annotations

import csv
import io

import pytest

from debrief.insights.exports import cell


def test_formula_like_text_is_quoted_but_numbers_are_not(client, cast, make_customer, make_deal):
    # given
    customer = make_customer(name="Ørsted Ünïcode GmbH", team=cast.rita.teams.first())
    make_deal(
        cast.rita,
        name='=HYPERLINK("http://evil.example","click")',
        customer=customer,
        next_step="line one\nline two, with a comma",
        source="@mention",
    )
    client.force_login(cast.rita)
    # when
    response = client.get("/exports/deals.csv")
    raw = b"".join(response.streaming_content)
    # then
    assert raw.startswith(b"\xef\xbb\xbf")
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["source"] == "'@mention"
    assert row["customer"] == "Ørsted Ünïcode GmbH"
    assert row["next_step"] == "line one\nline two, with a comma"
    assert row["amount"] == "25000.00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("\tcmd", "'\tcmd"),
        ("plain", "plain"),
        (-5, -5),
        (-0.25, -0.25),
        (None, ""),
        (True, "yes"),
        ({}, ""),
        ({"Deal Size": "Large"}, '{"Deal Size": "Large"}'),
    ],
)
def test_cells(value, expected):
    assert cell(value) == expected
