"""Every change to losses, own-it reviews, debriefs, practices, settings, users and teams is in
the audit trail, with who made it, when, and the values before and after, whichever way it
was made: a page, the API, or the command line with no one signed in."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command

from debrief.audit.models import AuditEntry
from debrief.losses.models import LossReason, OutcomeType
from debrief.org import actions as org_actions
from debrief.org.models import Organisation
from debrief.org.tests.test_organisation_settings import GOOD


def entries(model, object_id=None):
    qs = AuditEntry.objects.filter(model=model)
    if object_id is not None:
        qs = qs.filter(object_id=str(object_id))
    return list(qs.order_by("at", "pk"))


def test_a_settings_change_on_the_page_records_who_and_before_and_after(client, adam):
    # given
    org = Organisation.current()
    old_threshold = str(org.major_deal_threshold)
    client.force_login(adam)

    # when
    client.post("/settings/", GOOD)

    # then
    [entry] = [e for e in entries("org.Organisation", org.pk) if e.action == "changed"]
    assert entry.actor == adam
    assert entry.actor_label == adam.email
    assert entry.before["major_deal_threshold"] == old_threshold
    assert entry.after["major_deal_threshold"] == "250000.00"
    assert entry.before["currency"] == org.currency and entry.after["currency"] == "EUR"
    assert "updated_at" not in entry.after


def test_a_loss_recorded_through_the_api_names_the_token_holder(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita, amount=Decimal("1000"))
    reason = LossReason.objects.get(name="Price")
    outcome = OutcomeType.objects.get(name="Lost to a competitor")

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {"deal": deal.pk, "outcome_type": outcome.pk, "reasons": [reason.pk]},
    )

    # then
    assert response.status_code == 201, response.content
    [created] = entries("losses.LossRecord", response.json()["id"])
    assert created.action == "created"
    assert created.actor == cast.rita
    assert created.after["deal_id"] == deal.pk
    given = entries("losses.LossRecordReason")
    assert given and all(e.actor == cast.rita for e in given)


def test_a_password_change_is_recorded_without_the_password(cast):
    # when
    org_actions.set_password(cast.rita, None, "a-new-and-long-passphrase")

    # then
    [entry] = [e for e in entries("org.User", cast.rita.pk) if e.action == "changed"]
    assert entry.before == {"password": "(changed)"}
    assert entry.after == {"password": "(changed)"}
    assert entry.actor is None and entry.actor_label == "system"


def test_team_membership_changes_are_recorded(cast, north):
    # when
    org_actions.update_team(
        north, cast.adam, name=north.name, managers=[cast.maya], members=[cast.rita]
    )

    # then
    changes = [e for e in entries("org.Team", north.pk) if e.action == "changed"]
    removed = [e.before for e in changes if e.before]
    assert {"members removed": [cast.nico.pk]} in removed


def test_a_change_that_changes_nothing_is_not_recorded(adam):
    # given
    org = Organisation.current()
    before = AuditEntry.objects.count()

    # when
    org_actions.update_organisation(adam, name=org.name)
    org.save()

    # then
    assert AuditEntry.objects.count() == before


def test_the_command_line_records_the_user_it_acts_as(cast, make_deal, tmp_path):
    # given
    deal = make_deal(cast.rita, name="Harbor renewal")
    path = tmp_path / "lost.csv"
    path.write_text(f"deal,outcome_type,reasons\n{deal.pk},Lost to a competitor,Price\n")

    # when
    call_command("mark_lost", str(path), "--as", cast.rita.email, stdout=io.StringIO())

    # then
    [entry] = entries("losses.LossRecord")
    assert (entry.actor, entry.actor_label) == (cast.rita, cast.rita.email)
