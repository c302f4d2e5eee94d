"""Every organisation setting has a field on the settings page, shown with its current
value: saving the page untouched changes nothing, and each can be changed there."""

from __future__ import annotations

from decimal import Decimal

from django.forms.models import model_to_dict

from debrief.org import actions
from debrief.org.models import Organisation
from debrief.pipeline.tests.pages import form_values


def test_saving_the_settings_untouched_keeps_every_one(client, adam):
    # given settings that are not the defaults
    actions.update_organisation(
        adam,
        post_mortem_contact_days=3,
        losing_streak_length=5,
        full_plan_threshold=Decimal("75000"),
        marketing_contact_email="mkt@example.com",
        product_contact_email="product@example.com",
    )
    before = model_to_dict(Organisation.current(), fields=actions.ORGANISATION_FIELDS)
    client.force_login(adam)

    # when the form goes back as rendered
    values = form_values(client.get("/settings/"), having="currency")
    response = client.post("/settings/", values)

    # then
    assert set(actions.ORGANISATION_FIELDS) <= set(values)
    assert response.status_code == 302
    assert model_to_dict(Organisation.current(), fields=actions.ORGANISATION_FIELDS) == before


def test_the_loss_and_meeting_settings_are_changed_on_the_page(client, adam):
    # given
    client.force_login(adam)
    values = form_values(client.get("/settings/"), having="currency")

    # when
    client.post(
        "/settings/",
        values
        | {
            "post_mortem_contact_days": "4",
            "losing_streak_length": "6",
            "full_plan_threshold": "12000",
            "marketing_contact_email": "brand@example.com",
            "product_contact_email": "quality@example.com",
        },
    )

    # then
    org = Organisation.current()
    assert (org.post_mortem_contact_days, org.losing_streak_length) == (4, 6)
    assert org.full_plan_threshold == Decimal("12000")
    assert (org.marketing_contact_email, org.product_contact_email) == (
        "brand@example.com",
        "quality@example.com",
    )
