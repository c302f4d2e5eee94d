"""A deal at a customer lets a rep see the account, not take it over; and a deal keeps being
editable when things around it changed (a retired stage, an owner who moved team)."""

from __future__ import annotations

from debrief.org import actions as org_actions
from debrief.pipeline import actions


def test_a_rep_with_one_deal_at_another_teams_customer_cannot_take_it_over(
    api_client, cast, north, south, make_customer, make_deal
):
    # given a North account where Oscar (South) also has a deal
    customer = make_customer(name="Northwind Tools", team=north, owner=cast.rita)
    make_deal(cast.oscar, customer=customer, team=south)

    # when
    api = api_client.as_user(cast.oscar)
    seen = api.get(f"/api/v1/customers/{customer.pk}")
    taken = api.patch(f"/api/v1/customers/{customer.pk}", {"owner": cast.oscar.pk})

    # then he sees it, but may not change it
    assert seen.status_code == 200
    assert taken.status_code == 403
    customer.refresh_from_db()
    assert (customer.owner, customer.team) == (cast.rita, north)


def test_a_deal_in_a_retired_stage_can_still_be_edited(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita, stage=stages["Discovery"])
    actions.update_stage(stages["Discovery"], cast.adam, is_active=False)

    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/deals/{deal.pk}", {"next_step": "Send the security pack"}
    )

    # then
    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.next_step == "Send the security pack"


def test_a_manager_edits_a_deal_whose_owner_moved_team(api_client, cast, north, make_deal):
    # given Rita leaves North, her deal stays there
    deal = make_deal(cast.rita)
    org_actions.update_user(cast.rita, cast.adam, member_of=[])

    # when
    response = api_client.as_user(cast.maya).patch(
        f"/api/v1/deals/{deal.pk}", {"next_step": "Hand over to Nico"}
    )

    # then
    assert response.status_code == 200


def test_changing_the_customer_drops_the_old_customers_contacts(cast, make_customer, make_deal):
    # given
    old, new = make_customer(), make_customer()
    contact = actions.create_contact(old, None, name="Cleo Carter")
    deal = make_deal(cast.rita, customer=old)
    actions.add_deal_contact(deal, contact, "champion", None)

    # when
    actions.update_deal(deal, cast.rita, customer=new)

    # then
    assert not deal.deal_contacts.exists()
