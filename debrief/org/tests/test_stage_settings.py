"""An admin adds, edits, reorders, retires and brings back pipeline stages."""

from __future__ import annotations

import re

from debrief.pipeline import actions
from debrief.pipeline.models import Stage


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def names() -> list[str]:
    return list(Stage.objects.values_list("name", flat=True))


def test_the_stages_are_listed_in_order(client, adam, stages):
    # given
    client.force_login(adam)

    # when
    html = client.get("/settings/stages/").content.decode()

    # then
    positions = [html.index(f">{name}</a>") for name in names()]
    assert positions == sorted(positions)


def test_an_admin_adds_a_stage_at_the_end(client, adam, stages):
    # given
    client.force_login(adam)

    # when
    response = client.post(
        "/settings/stages/", {"name": "Legal review", "kind": "open", "probability": "90"}
    )

    # then
    assert response.status_code == 302
    stage = Stage.objects.get(name="Legal review")
    assert (stage.kind, stage.probability, names()[-1]) == ("open", 90, "Legal review")


def test_a_stage_name_is_taken_once(client, adam, stages):
    # given
    client.force_login(adam)

    # when
    response = client.post(
        "/settings/stages/", {"name": "proposal", "kind": "open", "probability": "50"}
    )

    # then
    assert response.status_code == 400
    assert "already a stage called proposal" in field_error(response.content.decode(), "name")
    assert Stage.objects.count() == len(stages)


def test_a_probability_over_100_is_refused(client, adam, stages):
    # given
    client.force_login(adam)

    # when
    response = client.post("/settings/stages/", {"name": "X", "kind": "open", "probability": "150"})

    # then
    assert field_error(response.content.decode(), "probability")
    assert not Stage.objects.filter(name="X").exists()


def test_an_admin_edits_a_stage(client, adam, stages):
    # given
    client.force_login(adam)
    stage = stages["Discovery"]

    # when
    response = client.post(
        f"/settings/stages/{stage.pk}/",
        {"name": "Needs analysis", "kind": "open", "probability": "35", "is_active": "on"},
    )

    # then
    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.name, stage.probability, stage.is_active) == ("Needs analysis", 35, True)


def test_a_stage_with_deals_keeps_its_kind(client, adam, rita, stages, make_deal):
    # given
    make_deal(rita, stage=stages["Proposal"])
    client.force_login(adam)

    # when
    response = client.post(
        f"/settings/stages/{stages['Proposal'].pk}/",
        {"name": "Proposal", "kind": "won", "probability": "60", "is_active": "on"},
    )

    # then
    assert "move them before changing" in field_error(response.content.decode(), "kind")
    assert Stage.objects.get(name="Proposal").kind == "open"


def test_an_admin_moves_a_stage_up_and_down(client, adam, stages):
    # given
    client.force_login(adam)
    before = names()

    # when
    client.post(f"/settings/stages/{stages['Discovery'].pk}/move/", {"direction": "up"})

    # then
    assert names()[1:3] == ["Discovery", "Qualification"]

    # when
    client.post(f"/settings/stages/{stages['Discovery'].pk}/move/", {"direction": "down"})

    # then
    assert names() == before


def test_moving_the_first_stage_up_changes_nothing(client, adam, stages):
    # given
    client.force_login(adam)
    before = names()

    # when
    response = client.post(
        f"/settings/stages/{stages['Prospecting'].pk}/move/", {"direction": "up"}
    )

    # then
    assert response.status_code == 302
    assert names() == before


def test_htmx_reorder_gets_the_table_back(client, adam, stages):
    # given
    client.force_login(adam)

    # when
    response = client.post(
        f"/settings/stages/{stages['Proposal'].pk}/move/",
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )

    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="stages"')
    assert html.index(">Proposal</a>") < html.index(">Discovery</a>")


def test_an_admin_retires_and_reactivates_a_stage(client, adam, stages):
    # given
    client.force_login(adam)
    stage = stages["Qualification"]

    # when
    client.post(f"/settings/stages/{stage.pk}/active/", {"is_active": "0"})

    # then
    stage.refresh_from_db()
    assert not stage.is_active
    assert "Retired" in client.get("/settings/stages/").content.decode()

    # when
    client.post(f"/settings/stages/{stage.pk}/active/", {"is_active": "1"})

    # then
    stage.refresh_from_db()
    assert stage.is_active


def test_the_last_open_stage_cannot_be_retired(client, adam, stages):
    # given: every open stage but Negotiation is retired already
    for name in ("Prospecting", "Qualification", "Discovery", "Proposal"):
        actions.update_stage(stages[name], adam, is_active=False)
    client.force_login(adam)
    last = stages["Negotiation"]

    # when: retired from the list
    from_list = client.post(f"/settings/stages/{last.pk}/active/", {"is_active": "0"})

    # then: the error sits in that stage's row, beside its Retire button
    html = from_list.content.decode()
    assert from_list.status_code == 400
    row_error = re.search(rf'id="stage-{last.pk}-error" role="alert"><li>(.*?)</li>', html)
    assert row_error and row_error.group(1) == "At least one open stage must stay."
    assert f'aria-describedby="stage-{last.pk}-error"' in html

    # when: unticked on the edit form
    from_form = client.post(
        f"/settings/stages/{last.pk}/",
        {"name": "Negotiation", "kind": "open", "probability": "80"},
    )

    # then: the error is beside the Active box, and nothing changed
    assert from_form.status_code == 400
    assert "At least one open stage must stay." in field_error(
        from_form.content.decode(), "is_active"
    )
    last.refresh_from_db()
    assert last.is_active
