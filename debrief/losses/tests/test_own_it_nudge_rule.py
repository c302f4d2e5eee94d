"""The rule behind the own-it page's kind nudge: the decisive reason is outside the rep's
control and every answer points outside too."""

from __future__ import annotations

import pytest

from debrief.losses.queries import blames_only_outside, points_outside
from debrief.losses.tests.page_helpers import reason


@pytest.mark.parametrize(
    ("answer", "outside"),
    [
        ("Nothing. Our price was too high.", True),
        ("Nothing I could do", True),
        ("The customer had no budget this year", True),
        ("Marketing sent them the wrong leads", True),
        ("They chose a cheaper product", True),
        ("I should have found the economic buyer earlier", False),
        ("My discovery was too short", False),
        ("Ask better questions", False),
        ("", False),
    ],
)
def test_an_answer_points_outside(answer, outside):
    assert points_outside(answer) is outside


@pytest.mark.django_db
def test_the_nudge_needs_an_outside_reason_and_outside_answers_only():
    price, fit = reason("Price"), reason("Relationship or rep fit")
    outside = ["Nothing, the price was too high.", "Hope their budget grows."]

    assert blames_only_outside(price, outside)
    assert not blames_only_outside(fit, outside)
    assert not blames_only_outside(None, outside)
    assert not blames_only_outside(price, [outside[0], "I will ask about budget earlier."])
    assert not blames_only_outside(price, ["", ""])
