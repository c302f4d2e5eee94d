"""Truth: the public data sets import, and Debrief holds, count for count, what plain Python
reads from the CSV files (csv module only, none of Debrief's code)."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from conftest import SHARED_DATA
from debrief.losses.models import LossRecord
from debrief.pipeline.models import Deal

DATA = SHARED_DATA
IBM = DATA / "ibm-sales-win-loss" / "WA_Fn-UseC_-Sales-Win-Loss.csv"
MAVEN = DATA / "maven-crm-sales-opportunities"
SALVIRT = DATA / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"


def read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def held(source: str, by: str) -> dict[tuple[Any, str], int]:
    rows = Deal.objects.filter(external_source=source).values(by, "status").annotate(n=Count("id"))
    return {(r[by], r["status"]): r["n"] for r in rows}


@pytest.mark.django_db
def test_ibm_sales_win_loss_imports_every_opportunity_once() -> None:
    # given the file, read plainly; a repeated Opportunity Number keeps its first row
    first: dict[str, dict[str, str]] = {}
    rows = read(IBM)
    for row in rows:
        first.setdefault(row["Opportunity Number"], row)
    status = {"Won": "won", "Loss": "lost"}
    expected_status = Counter(status[r["Opportunity Result"]] for r in first.values())
    by_region = Counter((r["Region"], status[r["Opportunity Result"]]) for r in first.values())
    by_route = Counter(
        (r["Route To Market"], status[r["Opportunity Result"]]) for r in first.values()
    )
    by_product = Counter(
        (r["Supplies Subgroup"], status[r["Opportunity Result"]]) for r in first.values()
    )
    competitor_none = sum(1 for r in first.values() if r["Competitor Type"] == "None")
    won_amount = sum(
        Decimal(r["Opportunity Amount USD"])
        for r in first.values()
        if r["Opportunity Result"] == "Won"
    )

    # when (the insights rollups rebuilt after an import are checked by insights' own tests)
    call_command("import", str(IBM), "--format", "ibm", "--no-after-import")

    # then
    deals = Deal.objects.filter(external_source="ibm")
    assert len(rows) == 78_025
    assert deals.count() == len(first) == 77_829
    assert dict(Counter(deals.values_list("status", flat=True))) == dict(expected_status)
    assert held("ibm", "customer__region") == dict(by_region)
    assert held("ibm", "source") == dict(by_route)
    assert held("ibm", "products__name") == dict(by_product)
    assert deals.filter(**{"attributes__Competitor Type": "None"}).count() == competitor_none
    assert deals.filter(status="won").aggregate(s=Sum("amount"))["s"] == won_amount
    assert (
        LossRecord.objects.filter(deal__external_source="ibm").count() == (expected_status["lost"])
    )


@pytest.mark.django_db
def test_maven_files_join_and_match_the_pipeline() -> None:
    # given
    pipeline = read(MAVEN / "sales_pipeline.csv")
    accounts = {a["account"]: a for a in read(MAVEN / "accounts.csv")}
    teams = {t["sales_agent"]: t for t in read(MAVEN / "sales_teams.csv")}
    kind = {"Won": "won", "Lost": "lost", "Prospecting": "open", "Engaging": "open"}
    by_stage = Counter(r["deal_stage"] for r in pipeline)
    by_agent = Counter((r["sales_agent"], kind[r["deal_stage"]]) for r in pipeline)
    by_sector = Counter(
        (accounts[r["account"]]["sector"] if r["account"] else "", kind[r["deal_stage"]])
        for r in pipeline
    )
    by_office = Counter(
        (teams[r["sales_agent"]]["regional_office"], kind[r["deal_stage"]]) for r in pipeline
    )
    by_product = Counter(
        ("GTX Pro" if r["product"] == "GTXPro" else r["product"]) for r in pipeline
    )
    won_value = sum(Decimal(r["close_value"]) for r in pipeline if r["deal_stage"] == "Won")

    # when
    call_command("import", *sorted(str(p) for p in MAVEN.glob("*.csv")), "--format", "maven")

    # then
    deals = Deal.objects.filter(external_source="maven")
    assert deals.count() == len(pipeline) == 8_800
    assert Counter(deals.values_list("status", flat=True)) == Counter(
        kind[r["deal_stage"]] for r in pipeline
    )
    assert deals.filter(stage__name="Prospecting").count() == by_stage["Prospecting"] == 500
    assert deals.filter(stage__name="Engaging").count() == by_stage["Engaging"] == 1_589
    assert deals.filter(status="won").count() == by_stage["Won"] == 4_238
    assert deals.filter(status="lost").count() == by_stage["Lost"] == 2_473
    assert held("maven", "owner__full_name") == dict(by_agent)
    assert held("maven", "customer__segment") == dict(by_sector)
    assert held("maven", "team__name") == dict(by_office)
    products = Counter(dict(deals.values_list("products__name").annotate(n=Count("id"))))
    assert products == by_product
    assert "GTXPro" not in products
    assert deals.filter(status="won").aggregate(s=Sum("amount"))["s"] == won_value


@pytest.mark.django_db
def test_salvirt_semicolon_file_imports_all_its_deals() -> None:
    # given
    rows = read(SALVIRT, delimiter=";")
    status = {"Won": "won", "Lost": "lost"}
    by_seller = Counter((r["Seller"], status[r["Status"]]) for r in rows)
    by_product = Counter((r["Product"], status[r["Status"]]) for r in rows)
    by_source = Counter((r["Source"], status[r["Status"]]) for r in rows)

    # when
    call_command("import", str(SALVIRT), "--format", "salvirt")

    # then
    deals = Deal.objects.filter(external_source="salvirt")
    assert deals.count() == len(rows) == 448
    assert deals.filter(status="won").count() == 227
    assert held("salvirt", "owner__full_name") == dict(by_seller)
    assert held("salvirt", "products__name") == dict(by_product)
    assert held("salvirt", "source") == dict(by_source)
    up_sale = Counter(
        (d.attributes["Up_sale"], d.status) for d in deals.only("attributes", "status")
    )
    assert up_sale == Counter((r["Up_sale"], status[r["Status"]]) for r in rows)
