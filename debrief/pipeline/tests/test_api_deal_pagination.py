"""Deal lists page with `limit` and `offset` and give the total `count` of what matches."""

from __future__ import annotations


def test_pages_cover_every_deal_once(api_client, cast, make_deal):
    # given
    for n in range(7):
        make_deal(cast.rita, name=f"Deal {n}")
    client = api_client.as_user(cast.rita)

    # when
    pages = [client.get("/api/v1/deals", limit=3, offset=o, sort="name").json() for o in (0, 3, 6)]

    # then
    assert [p["count"] for p in pages] == [7, 7, 7]
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    seen = [d["name"] for p in pages for d in p["items"]]
    assert seen == [f"Deal {n}" for n in range(7)]


def test_the_count_follows_the_filters_not_the_page(api_client, cast, make_deal, stages):
    # given
    for _ in range(4):
        make_deal(cast.rita, stage=stages["Proposal"])
    make_deal(cast.rita)

    # when
    body = (
        api_client.as_user(cast.rita)
        .get("/api/v1/deals", stage=stages["Proposal"].pk, limit=1)
        .json()
    )

    # then
    assert body["count"] == 4
    assert len(body["items"]) == 1


def test_an_offset_past_the_end_is_an_empty_page(api_client, cast, make_deal):
    # given
    make_deal(cast.rita)

    # when
    body = api_client.as_user(cast.rita).get("/api/v1/deals", offset=10).json()

    # then
    assert body == {"count": 1, "items": []}


def test_the_default_page_is_50_and_the_largest_500(api_client, cast, make_deal):
    # given
    for _ in range(51):
        make_deal(cast.rita)
    client = api_client.as_user(cast.rita)

    # when
    default = client.get("/api/v1/deals").json()
    largest = client.get("/api/v1/deals", limit=500).json()

    # then
    assert (default["count"], len(default["items"])) == (51, 50)
    assert len(largest["items"]) == 51
    assert client.get("/api/v1/deals", limit=501).status_code == 422


def test_the_timeline_pages_too(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)
    client = api_client.as_user(cast.rita)
    for name in ("Qualification", "Discovery", "Proposal"):
        client.post(f"/api/v1/deals/{deal.pk}/stage", {"stage": stages[name].pk})

    # when
    first = client.get(f"/api/v1/deals/{deal.pk}/events", limit=2).json()
    rest = client.get(f"/api/v1/deals/{deal.pk}/events", limit=2, offset=2).json()

    # then
    assert first["count"] == 4
    assert [e["to_value"] for e in first["items"]] == ["Proposal", "Discovery"]
    assert [e["kind"] for e in rest["items"]] == ["stage_changed", "created"]
