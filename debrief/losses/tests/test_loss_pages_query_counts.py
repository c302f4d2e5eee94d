"""No N+1: the losses list, the debriefs list, the lessons list, the deal page and the home
panels run the same number of queries however many losses, reasons, lessons there are."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.losses import actions
from debrief.losses.tests.page_helpers import hold, lose, reason
from debrief.pipeline import actions as pipeline_actions


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_losses(make_deal: Any, reps: list[Any], competitor: Any, count: int) -> None:
    """Losses with several reasons, a competitor, a held debrief and a lesson each, and a
    major one now and then (with its post-mortem and follow-up)."""
    for n in range(count):
        rep = reps[n % len(reps)]
        amount = Decimal("900000") if n % 3 == 0 else Decimal("20000")
        loss = lose(
            make_deal(rep, amount=amount),
            rep,
            reasons=("Price", "Timing", "Missing capability"),
            competitors=[competitor],
            days_ago=10,
        )
        debrief = hold(loss, loss.debrief.leader, customer_reason="Timing")
        actions.record_lesson(
            loss.debrief.leader, actions.LessonInput(statement=f"Lesson {n}"), debrief=debrief
        )


def test_the_lists_are_constant(client, cast, make_deal, django_assert_num_queries):
    # given
    competitor = pipeline_actions.create_competitor(None, "Rival")
    add_losses(make_deal, [cast.rita, cast.nico], competitor, 2)
    lose(make_deal(cast.rita), cast.rita)  # one debrief still due
    client.force_login(cast.maya)
    urls = [
        "/losses/",
        f"/losses/?reason={reason('Price').pk}&major=on",
        "/debriefs/",
        "/lessons/",
        "/losses/rep-vs-customer/",
    ]
    few = {url: queries_for(client, url) for url in urls}

    # when
    add_losses(make_deal, [cast.rita, cast.nico], competitor, 10)
    for _ in range(4):
        lose(make_deal(cast.nico), cast.nico)

    # then
    for url in urls:
        with django_assert_num_queries(few[url]):
            client.get(url)


def test_the_deal_page_is_constant_whatever_the_losses_and_lessons(
    client, cast, make_deal, stages, django_assert_num_queries
):
    # given a deal lost once, and one lost, reopened and lost three times over, with lessons
    competitor = pipeline_actions.create_competitor(None, "Rival")
    once = make_deal(cast.rita)
    loss = lose(once, cast.rita, competitors=[competitor], days_ago=5)
    actions.record_lesson(
        cast.rita, actions.LessonInput(statement="One"), debrief=hold(loss, cast.rita)
    )
    often = make_deal(cast.rita)
    for n in range(3):
        loss = lose(
            often,
            cast.rita,
            reasons=("Price", "Timing", "Other"),
            competitors=[competitor],
            days_ago=5,
        )
        debrief = hold(loss, cast.rita)
        for m in range(3):
            actions.record_lesson(
                cast.rita, actions.LessonInput(statement=f"Lesson {n}.{m}"), debrief=debrief
            )
        if n < 2:
            actions.reopen_deal(often, cast.rita, stages["Proposal"])
            often.refresh_from_db()
    client.force_login(cast.maya)
    few = queries_for(client, f"/deals/{once.pk}/")

    # then
    with django_assert_num_queries(few):
        response = client.get(f"/deals/{often.pk}/")
    assert "Earlier losses" in response.content.decode()


def test_the_home_panels_are_constant(client, cast, make_deal, django_assert_num_queries):
    # given
    competitor = pipeline_actions.create_competitor(None, "Rival")
    add_losses(make_deal, [cast.rita], competitor, 1)
    lose(make_deal(cast.rita, amount=Decimal("900000")), cast.rita, days_ago=30)
    lose(make_deal(cast.rita), cast.rita)
    counts = {}
    for who in ("rita", "maya"):
        client.force_login(getattr(cast, who))
        counts[who] = queries_for(client, "/")

    # when
    add_losses(make_deal, [cast.rita, cast.nico], competitor, 6)
    for _ in range(3):
        lose(make_deal(cast.rita, amount=Decimal("900000")), cast.rita, days_ago=30)
        lose(make_deal(cast.nico), cast.nico)

    # then
    for who in ("rita", "maya"):
        client.force_login(getattr(cast, who))
        with django_assert_num_queries(counts[who]):
            client.get("/")
