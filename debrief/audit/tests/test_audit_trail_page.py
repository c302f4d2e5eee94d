"""Admins read the audit trail, filter it by record type, change, person and dates, and download
it as CSV; to everyone else it does not exist. The API gives the same entries."""

from __future__ import annotations

import csv
import io

from debrief.org import actions as org_actions
from debrief.org.models import Organisation


def change_settings(adam):
    org_actions.update_organisation(adam, name="Acme =1+1 Robotics")


def test_an_admin_filters_the_trail_and_sees_before_and_after(client, cast):
    # given
    with_request = client
    with_request.force_login(cast.adam)
    org_actions.set_password(cast.rita, None, "a-new-and-long-passphrase")
    with_request.post(
        "/settings/",
        {
            "name": "Acme Robotics",
            "currency": "EUR",
            "fiscal_year_start_month": "1",
            "debrief_cool_off_days": "7",
            "major_deal_threshold": "100000",
            "post_mortem_contact_days": "2",
            "losing_streak_length": "3",
        },
    )

    # when
    response = client.get(
        "/settings/audit/",
        {"model": "org.Organisation", "action": "changed", "actor": cast.adam.pk},
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Acme Robotics" in page and "EUR" in page
    assert "set_password" not in page and "a-new-and-long-passphrase" not in page
    assert page.count("<tr>") == 2  # the header and the one change


def test_the_csv_has_one_row_per_changed_field_and_no_formulas(client, cast):
    # given
    change_settings(cast.adam)
    client.force_login(cast.adam)

    # when
    response = client.get("/settings/audit/export.csv", {"model": "org.Organisation"})

    # then
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["at", "actor", "action"]
    names = [row for row in rows[1:] if row[6] == "name"]
    assert names[-1][8] == "Acme =1+1 Robotics"  # not a formula: it does not start with =
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_bad_filters_are_named(client, cast):
    client.force_login(cast.adam)

    response = client.get("/settings/audit/", {"start": "2026-02-31", "model": "pipeline.Deal"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_start_error"' in page
    assert 'id="id_model_error"' in page


def test_the_trail_does_not_exist_for_anyone_but_admins(client, cast):
    for person in (cast.rita, cast.maya, cast.ana):
        client.force_login(person)
        assert client.get("/settings/audit/").status_code == 404
        assert client.get("/settings/audit/export.csv").status_code == 404


def test_the_api_gives_the_same_entries(api_client, cast):
    # given
    change_settings(cast.adam)
    org = Organisation.current()

    # when
    response = api_client.as_user(cast.adam).get(
        "/api/v1/audit", model="org.Organisation", object_id=str(org.pk)
    )
    bad = api_client.as_user(cast.adam).get("/api/v1/audit", model="pipeline.Deal")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1
    assert body["items"][0]["after"]["name"] == "Acme =1+1 Robotics"
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "model"
