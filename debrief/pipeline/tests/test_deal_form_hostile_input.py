"""The deal form (POST /deals/new/) against hostile values: random text and unicode, NUL
bytes, huge values, odd numbers and dates, in any field. The answer is never a server error:
either the deal is created as given, or the form comes back naming the fields at fault and
nothing at all is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.pipeline.models import Deal, DealEvent, Product

FIELDS = (
    "name",
    "customer",
    "owner",
    "team",
    "amount",
    "currency",
    "stage",
    "expected_close_date",
    "products",
    "new_products",
    "competitors",
    "source",
    "next_step",
    "next_step_date",
    "version",
)

HOSTILE = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "²",
            "１２",
            "-1",
            "0",
            "9" * 40,
            "1e309",
            "NaN",
            "-Infinity",
            "12.345",
            "2026-02-30",
            "99999-01-01",
            "0000-00-00",
            "ßab",
            "ﬀi",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
        ]
    ),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "é", "9"]), st.sampled_from([201, 5_000, 100_000])
    ),
    st.lists(st.sampled_from(["1", "2", "x", "\x00", ""]), min_size=2, max_size=3),
)


@pytest.fixture
def form_world(cast: Any, north: Any, make_customer: Any, stages: dict[str, Any]) -> dict[str, str]:
    customer = make_customer(name="Northwind Tools", team=north)
    return {
        "name": "Harbor renewal",
        "customer": str(customer.pk),
        "owner": str(cast.rita.pk),
        "team": "",
        "amount": "25000",
        "currency": "USD",
        "stage": str(stages["Prospecting"].pk),
        "expected_close_date": "",
        "new_products": "",
        "source": "",
        "next_step": "",
        "next_step_date": "",
    }


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, min_size=1, max_size=3))
def test_hostile_values_never_break_the_deal_form(client, cast, form_world, changes):
    # given a good deal form with one to three fields replaced by hostile values
    client.force_login(cast.rita)
    data = {**form_world, **changes}

    # when it is sent (and whatever it saved is undone after, for the next example)
    with transaction.atomic():
        before = Deal.objects.count(), DealEvent.objects.count(), Product.objects.count()
        response = client.post("/deals/new/", data)
        after = Deal.objects.count(), DealEvent.objects.count(), Product.objects.count()
        transaction.set_rollback(True)

    # then the deal is created...
    if response.status_code == 302:
        assert after[0] == before[0] + 1
        return
    # ...or the form comes back, naming the fields at fault, and nothing is saved
    assert response.status_code in (200, 400), response.status_code
    form = response.context["form"]
    assert form.errors, "refused without saying why"
    assert set(form.errors) - {"__all__"}, f"no field named: {form.errors}"
    assert set(form.errors) <= set(form.fields) | {"__all__"}
    assert after == before
