"""The organisation settings form (POST /settings/) against hostile values: random text and
unicode, NUL bytes, huge and odd numbers, letters that change length when capitalised. Never
a server error: either the settings are saved as valid values, or the form comes back
naming the fields at fault and the settings are unchanged."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.org import actions
from debrief.org.models import Organisation

GOOD = {
    "name": "Acme Sales",
    "currency": "EUR",
    "fiscal_year_start_month": "4",
    "debrief_cool_off_days": "7",
    "major_deal_threshold": "100000",
    "post_mortem_contact_days": "3",
    "losing_streak_length": "3",
    "full_plan_threshold": "",
    "marketing_contact_email": "",
    "product_contact_email": "",
}

HOSTILE = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(
        [
            "",
            "\x00",
            "EU\x00",
            "ßab",
            "ﬀi",
            "éur",
            "µµµ",
            "²",
            "１２",
            "-1",
            "9" * 40,
            "1e309",
            "NaN",
            "Infinity",
            "0.001",
            "13",
            "a@b",
            "x@" + "y" * 300 + ".com",
            "<b>bold</b>",
        ]
    ),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "é"]), st.sampled_from([151, 100_000])),
    st.lists(st.sampled_from(["4", "x", ""]), min_size=2, max_size=2),
)


def _settings() -> dict[str, Any]:
    return model_to_dict(Organisation.current(), fields=actions.ORGANISATION_FIELDS)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.dictionaries(st.sampled_from(sorted(GOOD)), HOSTILE, min_size=1, max_size=3))
def test_hostile_values_never_break_the_settings_form(client, adam, changes):
    # given good settings with one to three fields replaced by hostile values
    client.force_login(adam)

    # when they are sent (and whatever was saved is undone after, for the next example)
    with transaction.atomic():
        before = _settings()
        response = client.post("/settings/", {**GOOD, **changes})
        after = _settings()
        org = Organisation.current()
        transaction.set_rollback(True)

    # then they are saved, as valid values...
    if response.status_code == 302:
        org.full_clean()
        return
    # ...or the form comes back naming the fields at fault, and nothing changed
    assert response.status_code == 400, response.status_code
    form = response.context["form"]
    assert set(form.errors) - {"__all__"}, f"no field named: {form.errors}"
    assert set(form.errors) <= set(form.fields) | {"__all__"}
    assert after == before
