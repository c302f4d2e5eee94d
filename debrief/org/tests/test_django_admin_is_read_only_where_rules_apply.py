"""In the Django admin a deal's stage, owner, amount and the like cannot be changed, nor can
stages, teams, users or the organisation: those go through the pages and their actions.
The admin still shows them, and says where they are changed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.org.models import Organisation, Team
from debrief.pipeline.models import DealEvent, Stage
from debrief.pipeline.tests.pages import form_values, text


def test_an_admin_post_does_not_move_a_deals_stage(client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita, name="Atlas", amount=Decimal("1000"))
    client.force_login(cast.adam)
    url = f"/django-admin/pipeline/deal/{deal.pk}/change/"
    values = form_values(client.get(url), having="name")

    # when the admin sends a new name, and a stage, owner and amount the form does not offer
    response = client.post(
        url,
        values
        | {
            "name": "Atlas renamed",
            "stage": stages["Closed Won"].pk,
            "owner": cast.oscar.pk,
            "amount": "5",
        },
    )

    # then the plain field changed and nothing with rules did
    assert response.status_code == 302, text(response)
    deal.refresh_from_db()
    assert deal.name == "Atlas renamed"
    assert (deal.stage, deal.status, deal.owner, deal.amount) == (
        stages["Prospecting"],
        "open",
        cast.rita,
        Decimal("1000"),
    )
    assert list(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True)) == ["created"]


@pytest.mark.parametrize(
    ("model", "settings_url"),
    [
        ("pipeline/stage", "/settings/stages/"),
        ("org/team", "/settings/teams/"),
        ("org/user", "/settings/users/"),
        ("org/organisation", "/settings/"),
    ],
)
def test_settings_records_are_shown_but_not_changed(client, cast, model, settings_url):
    # given
    client.force_login(cast.adam)
    pk = {
        "pipeline/stage": lambda: Stage.objects.get(name="Proposal").pk,
        "org/team": lambda: Team.objects.get(name="North").pk,
        "org/user": lambda: cast.rita.pk,
        "org/organisation": lambda: Organisation.current().pk,
    }[model]()

    # when
    listing = client.get(f"/django-admin/{model}/")
    shown = client.get(f"/django-admin/{model}/{pk}/change/")
    changed = client.post(f"/django-admin/{model}/{pk}/change/", {"name": "Hacked"})
    added = client.get(f"/django-admin/{model}/add/")
    deleted = client.post(f"/django-admin/{model}/{pk}/delete/", {"post": "yes"})

    # then
    assert (listing.status_code, shown.status_code) == (200, 200)
    assert f'href="{settings_url}"' in text(listing)
    assert f'href="{settings_url}"' in text(shown)
    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    assert not Stage.objects.filter(name="Hacked").exists()
    assert not Team.objects.filter(name="Hacked").exists()
    assert Organisation.current().name != "Hacked"
