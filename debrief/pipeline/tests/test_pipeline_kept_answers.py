"""The pipeline page and the deal list API are kept per user until the pipeline's data
changes (web/answers.py): a kept answer must never show anything stale, another user's deals,
a reused CSP nonce or a CSRF token that no longer works."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from debrief.imports.actions import import_files
from debrief.org import actions as org_actions
from debrief.pipeline import actions
from debrief.pipeline.signals import PIPELINE_DATA
from debrief.pipeline.tests.pages import deal_names, text
from debrief.web.answers import version

NONCE = re.compile(r'nonce="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def kept(client: Any, url: str = "/deals/") -> Any:
    """Ask twice: the second answer comes from the cache."""
    first = client.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        second = client.get(url)
    assert second.status_code == 200
    assert not any("pipeline_deal" in q["sql"] for q in captured), "the answer was not kept"
    return second


def test_a_kept_page_is_the_page(client, cast, make_deal):
    # given
    make_deal(cast.rita, name="Harbor renewal")
    client.force_login(cast.maya)

    # when
    first = client.get("/deals/")
    second = kept(client)

    # then: the same page, except what must differ on every answer
    def without_per_answer(response: Any) -> str:
        page = NONCE.sub('nonce=""', text(response))
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)

    assert without_per_answer(second) == without_per_answer(first)
    assert deal_names(second) == ["Harbor renewal"]


def test_every_kept_page_has_a_fresh_nonce_that_its_policy_allows(client, cast, make_deal):
    make_deal(cast.rita)
    client.force_login(cast.maya)
    nonces = set()
    for _ in range(3):
        response = client.get("/deals/")
        page_nonces = set(NONCE.findall(text(response)))
        assert len(page_nonces) == 1
        nonce = page_nonces.pop()
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        nonces.add(nonce)
    assert len(nonces) == 3


def test_the_csrf_token_of_a_kept_page_signs_out(client, cast, make_deal):
    # given
    make_deal(cast.rita)
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(cast.maya)
    client.get("/deals/")

    # when
    found = CSRF_INPUT.search(text(kept(client)))
    assert found is not None
    token = found.group(1)
    response = client.post("/logout/", {"csrfmiddlewaretoken": token})

    # then
    assert response.status_code == 302
    assert client.get("/deals/").status_code == 302  # signed out: to the sign-in page


def test_each_user_gets_their_own_answer(client, cast, make_deal):
    make_deal(cast.rita, name="North deal")
    make_deal(cast.sam, name="South deal")
    client.force_login(cast.maya)
    assert deal_names(kept(client)) == ["North deal"]
    client.force_login(cast.sam)
    assert deal_names(client.get("/deals/")) == ["South deal"]
    client.force_login(cast.adam)
    assert sorted(deal_names(client.get("/deals/"))) == ["North deal", "South deal"]


def test_a_change_to_a_deal_shows_at_once(client, cast, make_deal):
    deal = make_deal(cast.rita, name="Harbor renewal")
    client.force_login(cast.maya)
    kept(client)

    actions.update_deal(deal, cast.rita, name="Harbor renewal 2027")

    assert deal_names(client.get("/deals/")) == ["Harbor renewal 2027"]


def test_changes_to_what_the_list_shows_show_at_once(client, cast, make_deal, stages):
    deal = make_deal(cast.rita, products=[actions.get_or_create_product("Sensors")])
    client.force_login(cast.maya)
    kept(client)

    actions.update_customer(deal.customer, None, name="Renamed customer")
    assert "Renamed customer" in text(client.get("/deals/"))

    org_actions.update_user(cast.rita, None, full_name="Rita Renamed")
    assert "Rita Renamed" in text(client.get("/deals/"))

    actions.update_stage(stages["Prospecting"], None, name="First call")
    assert "First call" in text(client.get("/deals/"))

    actions.update_deal(deal, None, products=[actions.get_or_create_product("Gateways")])
    assert "Gateways" in text(client.get("/deals/"))


def test_managing_another_team_shows_its_deals_at_once(client, cast, make_deal, south):
    make_deal(cast.sam, name="South deal")
    client.force_login(cast.maya)
    assert deal_names(kept(client)) == []

    org_actions.update_team(south, None, managers=[cast.sam, cast.maya])

    assert deal_names(client.get("/deals/")) == ["South deal"]


def test_a_pending_message_is_shown_not_a_kept_page(client, cast, make_deal, rf):
    make_deal(cast.rita)
    client.force_login(cast.maya)
    kept(client)

    # a flash message waits (as a redirecting action leaves it)
    storage = CookieStorage(rf.get("/"))
    client.cookies["messages"] = storage._encode([Message(messages.SUCCESS, "Deal saved.")])  # type: ignore[attr-defined]

    assert "Deal saved." in text(client.get("/deals/"))
    assert "Deal saved." not in text(client.get("/deals/"))


def test_an_import_shows_at_once(client, cast, tmp_path: Path, django_capture_on_commit_callbacks):
    client.force_login(cast.adam)
    kept(client)
    file = tmp_path / "deals.csv"
    file.write_text(
        "External Id,Deal,Customer,Owner,Stage,Amount,Currency,Created\n"
        "X-1,Imported deal,Imported Co,rita@example.com,Prospecting,1000,USD,2026-01-05\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = import_files([file], "csv", mapping=MAPPING)

    assert report.ok, report.errors
    assert "Imported deal" in deal_names(client.get("/deals/"))


MAPPING = {
    "columns": {
        "external_id": "External Id",
        "name": "Deal",
        "customer": "Customer",
        "owner": "Owner",
        "stage": "Stage",
        "amount": "Amount",
        "currency": "Currency",
        "created": "Created",
    }
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_shows_at_once(client, cast, make_deal, tmp_path: Path):
    make_deal(cast.rita, name="Before the backup")
    backup = tmp_path / "backup.jsonl"
    call_command("backup", str(backup), verbosity=0)
    deal = make_deal(cast.rita, name="After the backup")
    client.force_login(cast.adam)
    assert "After the backup" in deal_names(kept(client))
    assert deal.pk

    call_command("restore", str(backup), "--yes", verbosity=0)
    client.force_login(type(cast.adam).objects.get(email=cast.adam.email))

    assert deal_names(client.get("/deals/")) == ["Before the backup"]


def test_the_api_list_is_kept_until_a_change(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita, name="Harbor renewal")
    api = api_client.as_user(cast.maya)
    first = api.get("/api/v1/deals")
    with CaptureQueriesContext(connection) as captured:
        second = api.get("/api/v1/deals")

    # then: the same JSON, without reading a deal
    assert second.json() == first.json()
    assert second.content == first.content
    assert not any("pipeline_deal" in q["sql"] for q in captured)

    # when
    actions.update_deal(deal, cast.rita, name="Harbor renewal 2027")

    # then
    assert [d["name"] for d in api.get("/api/v1/deals").json()["items"]] == ["Harbor renewal 2027"]


def test_the_api_list_is_kept_per_user_and_per_query(api_client, cast, make_deal):
    make_deal(cast.rita, name="North deal", amount=100)
    make_deal(cast.sam, name="South deal", amount=900)
    assert [
        d["name"] for d in api_client.as_user(cast.maya).get("/api/v1/deals").json()["items"]
    ] == ["North deal"]
    assert [
        d["name"] for d in api_client.as_user(cast.sam).get("/api/v1/deals").json()["items"]
    ] == ["South deal"]
    admin = api_client.as_user(cast.adam)
    assert admin.get("/api/v1/deals", amount_min=500).json()["count"] == 1
    assert admin.get("/api/v1/deals").json()["count"] == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_writer_does_not_wait_for_another_writer_s_version(cast, make_deal):
    """Two writers at once on PostgreSQL: the second finds the version row locked by the first,
    goes on without waiting (no deadlock between them), and replaces the version once it has
    committed."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer at a time)")
    deal = make_deal(cast.rita, name="Harbor renewal")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # the first writer, mid-transaction
            cursor.execute("BEGIN")
            cursor.execute("SELECT token FROM web_dataversion WHERE name = 'pipeline' FOR UPDATE")
        before = version(PIPELINE_DATA)
        with transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '2s'")
            actions.update_deal(deal, cast.rita, name="Harbor renewal 2027")  # must not wait
            assert version(PIPELINE_DATA) == before
            with other.cursor() as cursor:  # the first writer commits
                cursor.execute("COMMIT")
        # and ours, after which it replaced the version
        assert version(PIPELINE_DATA) != before
    finally:
        other.close()


def test_signing_in_keeps_everyone_s_answers(client, cast, make_deal):
    make_deal(cast.rita)
    before = version(PIPELINE_DATA)

    assert client.login(username=cast.rita.email, password=PASSWORD)

    assert version(PIPELINE_DATA) == before
