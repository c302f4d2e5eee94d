"""The reason list through the API: everyone reads it with its flags; only admins add,
rename, flag, retire, restore and merge, each leaving an event row."""

from __future__ import annotations

from debrief.losses.models import LossReason, ReasonEvent
from debrief.losses.tests.api_helpers import errors, lose, reason


def test_everyone_reads_the_list_with_its_flags(api_client, cast):
    # when
    response = api_client.as_user(cast.ana).get("/api/v1/reasons", limit=100)

    # then
    assert response.status_code == 200
    items = {item["name"]: item for item in response.json()["items"]}
    assert len(items) == 10
    assert items["Other"]["is_other"] is True
    assert items["Price"] | {"id": 0, "order": 0, "created_at": "", "updated_at": ""} == {
        "id": 0,
        "name": "Price",
        "order": 0,
        "is_active": True,
        "is_other": False,
        "outside_rep_control": True,
        "merged_into": None,
        "created_at": "",
        "updated_at": "",
    }


def test_an_admin_adds_renames_flags_retires_and_restores_a_reason(api_client, cast):
    # given
    client = api_client.as_user(cast.adam)

    # when
    created = client.post("/api/v1/reasons", {"name": "Security review"})
    url = f"/api/v1/reasons/{created.json()['id']}"
    renamed = client.patch(url, {"name": "Security review failed", "outside_rep_control": True})
    retired = client.patch(url, {"is_active": False})
    active_only = client.get("/api/v1/reasons", is_active="true", limit=100)
    restored = client.patch(url, {"is_active": True})

    # then
    assert created.status_code == 201, created.content
    assert renamed.json()["name"] == "Security review failed"
    assert renamed.json()["outside_rep_control"] is True
    assert retired.json()["is_active"] is False
    assert "Security review failed" not in {i["name"] for i in active_only.json()["items"]}
    assert restored.json()["is_active"] is True
    kinds = ReasonEvent.objects.filter(reason_id=created.json()["id"]).values_list(
        "kind", flat=True
    )
    assert sorted(kinds) == ["added", "renamed", "restored", "retired"]


def test_a_merge_moves_past_losses_to_the_other_reason(api_client, cast, make_deal):
    # given
    loss = lose(make_deal(cast.rita), cast.rita, reasons=("Marketing and sales misalignment",))
    source, target = reason("Marketing and sales misalignment"), reason("Relationship or rep fit")

    # when
    response = api_client.as_user(cast.adam).post(
        f"/api/v1/reasons/{source.pk}/merge", {"into": target.pk}
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_active"] is False
    assert body["merged_into"] == {"id": target.pk, "name": "Relationship or rep fit"}
    assert loss.primary_reason == target
    assert ReasonEvent.objects.filter(reason=source, kind="merged").exists()


def test_a_reason_is_not_merged_into_itself_or_a_retired_one(api_client, cast, make_deal):
    # given
    loss = lose(make_deal(cast.rita), cast.rita, reasons=("Timing",))
    client = api_client.as_user(cast.adam)
    timing, price = reason("Timing"), reason("Price")
    client.patch(f"/api/v1/reasons/{price.pk}", {"is_active": False})

    # when
    into_itself = client.post(f"/api/v1/reasons/{timing.pk}/merge", {"into": timing.pk})
    into_retired = client.post(f"/api/v1/reasons/{timing.pk}/merge", {"into": price.pk})
    into_nothing = client.post(f"/api/v1/reasons/{timing.pk}/merge", {"into": 999_999})

    # then
    assert "cannot be merged into itself" in errors(into_itself)["into"]
    assert "retired" in errors(into_retired)["into"]
    assert "No reason with id 999999" in errors(into_nothing)["into"]
    timing.refresh_from_db()
    assert (timing.is_active, timing.merged_into) == (True, None)
    assert loss.primary_reason == timing
    assert not ReasonEvent.objects.filter(kind="merged").exists()


def test_a_merged_reason_is_not_restored_and_the_last_active_not_retired(api_client, cast):
    # given
    client = api_client.as_user(cast.adam)
    timing = reason("Timing")
    client.post(f"/api/v1/reasons/{timing.pk}/merge", {"into": reason("Price").pk})
    LossReason.objects.exclude(pk=reason("Price").pk).update(is_active=False)

    # when
    restore = client.patch(f"/api/v1/reasons/{timing.pk}", {"is_active": True})
    retire_last = client.patch(f"/api/v1/reasons/{reason('Price').pk}", {"is_active": False})

    # then
    assert "merged into Price" in errors(restore)["is_active"]
    assert "at least one active reason" in errors(retire_last)["is_active"]


def test_a_duplicate_or_empty_name_is_refused(api_client, cast):
    # given
    client = api_client.as_user(cast.adam)

    # when
    duplicate = client.post("/api/v1/reasons", {"name": "price"})
    rename_to_empty = client.patch(f"/api/v1/reasons/{reason('Timing').pk}", {"name": " "})
    null_flag = client.patch(f"/api/v1/reasons/{reason('Timing').pk}", {"is_other": None})

    # then
    assert "already on the list" in errors(duplicate)["name"]
    assert "needs a name" in errors(rename_to_empty)["name"]
    assert "is_other" in errors(null_flag)
    assert LossReason.objects.count() == 10


def test_only_admins_change_the_list(api_client, cast):
    # given
    timing = reason("Timing")

    # when
    codes = {
        user.email.split("@")[0]: [
            api_client.as_user(user).post("/api/v1/reasons", {"name": "New"}).status_code,
            api_client.as_user(user)
            .patch(f"/api/v1/reasons/{timing.pk}", {"is_active": False})
            .status_code,
            api_client.as_user(user)
            .post(f"/api/v1/reasons/{timing.pk}/merge", {"into": reason("Price").pk})
            .status_code,
        ]
        for user in (cast.rita, cast.maya, cast.ana)
    }

    # then
    assert codes == {"rita": [403] * 3, "maya": [403] * 3, "ana": [403] * 3}
    timing.refresh_from_db()
    assert timing.is_active
