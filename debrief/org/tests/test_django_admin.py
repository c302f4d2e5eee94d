"""The Django admin is for admins only, and every model can be looked up there."""

from __future__ import annotations

import pytest

CHANGELISTS = [
    "org/user",
    "org/team",
    "org/organisation",
    "org/apitoken",
    "pipeline/stage",
    "pipeline/customer",
    "pipeline/contact",
    "pipeline/product",
    "pipeline/competitor",
    "pipeline/deal",
    "pipeline/dealevent",
]


def test_an_admin_opens_every_list_and_a_deal(client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)
    client.force_login(cast.adam)

    # when
    answers = {name: client.get(f"/django-admin/{name}/").status_code for name in CHANGELISTS}
    deal_page = client.get(f"/django-admin/pipeline/deal/{deal.pk}/change/")

    # then
    assert answers == dict.fromkeys(CHANGELISTS, 200)
    assert deal_page.status_code == 200


@pytest.mark.parametrize("who", ["rita", "maya", "ana"])
def test_nobody_else_gets_in(client, cast, who):
    # given
    client.force_login(getattr(cast, who))

    # when
    response = client.get("/django-admin/")

    # then
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]
