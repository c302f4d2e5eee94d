"""GET /api/v1/insights lists the metrics; GET /api/v1/insights/{metric} answers the same
JSON as the command line, for what the caller may see."""

from __future__ import annotations

from typing import Any


def test_list_metrics_and_dimensions(api_client: Any, rita: Any) -> None:
    response = api_client.as_user(rita).get("/api/v1/insights")
    assert response.status_code == 200
    names = [m["name"] for m in response.json()["metrics"]]
    assert names[0] == "win-rate" and "loop-health" in names
    assert "segment" in response.json()["dimensions"]


def test_win_rate_by_owner_scoped_to_the_caller(
    api_client: Any, close_deal: Any, rita: Any, nico: Any, oscar: Any, maya: Any
) -> None:
    # given
    close_deal(rita, "won")
    close_deal(nico, "lost")
    close_deal(oscar, "won")
    # when
    response = api_client.as_user(maya).get("/api/v1/insights/win-rate", by="owner")
    # then: North's deals only
    assert response.status_code == 200
    body = response.json()
    assert body["rows"] == [
        {"group": "Nico Nowak", "won": 0, "lost": 1, "win_rate": 0.0},
        {"group": "Rita Reyes", "won": 1, "lost": 0, "win_rate": 1.0},
    ]
    assert body["overall"]["won"] == 1
    assert body["benchmark"]["high"] == 0.3


def test_period_parameters(api_client: Any, close_deal: Any, rita: Any, ana: Any) -> None:
    close_deal(rita, "won")
    body = (
        api_client.as_user(ana)
        .get("/api/v1/insights/win-rate", **{"from": "1999-01-01", "to": "1999-12-31"})
        .json()
    )
    assert body["overall"]["won"] == 0
    assert body["from"] == "1999-01-01" and body["to"] == "1999-12-31"


def test_bad_input(api_client: Any, rita: Any) -> None:
    client = api_client.as_user(rita)
    assert client.get("/api/v1/insights/profit").status_code == 404
    response = client.get("/api/v1/insights/win-rate", by="colour")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "by"
    response = client.get("/api/v1/insights/win-rate", **{"from": "31/02/2025"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"


def test_anonymous_is_refused(client: Any) -> None:
    assert client.get("/api/v1/insights/win-rate").status_code == 401
