"""Every 4xx from the API has one shape, `{"detail": ..., "errors": [{"field", "message"}]}`,
even for a route that does not exist, a wrong method or a body that is not JSON."""

from __future__ import annotations

from typing import Any


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"], "there is always at least one error"
    assert all(set(e) == {"field", "message"} for e in body["errors"])
    return body


def test_an_unknown_route_is_a_json_404(api_client, rita):
    # when
    body = error(api_client.as_user(rita).get("/api/v1/nothing-here"), 404)

    # then
    assert "/api/v1/docs" in body["detail"]


def test_a_trailing_slash_is_explained(api_client, rita):
    # when
    body = error(api_client.as_user(rita).get("/api/v1/deals/"), 404)

    # then
    assert "trailing slash" in body["detail"]


def test_a_wrong_method_is_a_json_405(api_client, rita):
    # when
    response = api_client.as_user(rita).put("/api/v1/deals", {})

    # then
    body = error(response, 405)
    assert "GET" in response["Allow"]
    assert "PUT is not allowed" in body["detail"]


def test_a_body_that_is_not_json_is_a_400(client, api_client, rita):
    # given
    api_client.as_user(rita)

    # when
    response = client.post(
        "/api/v1/competitors",
        "{not json",
        content_type="application/json",
        headers=api_client.headers,
    )

    # then
    error(response, 400)


def test_a_bad_value_names_its_field(api_client, rita):
    # when
    body = error(api_client.as_user(rita).get("/api/v1/deals", limit="many"), 422)

    # then
    assert body["errors"][0]["field"] == "limit"
    assert "limit" in body["detail"]


def test_a_missing_field_names_it(api_client, rita):
    # when
    body = error(api_client.as_user(rita).post("/api/v1/competitors", {"website": ""}), 422)

    # then
    assert [e["field"] for e in body["errors"]] == ["name"]


def test_a_rule_broken_in_an_action_names_its_field(api_client, rita):
    # given
    client = api_client.as_user(rita)
    client.post("/api/v1/competitors", {"name": "Rival"})

    # when
    body = error(client.post("/api/v1/competitors", {"name": "rival"}), 422)

    # then
    assert body["errors"] == [
        {"field": "name", "message": "rival is already in the competitor list."}
    ]
