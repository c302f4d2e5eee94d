"""Files in the real Salesforce, HubSpot and Pipedrive export layouts import: Latin-1, mixed
currencies, quoted fields over several lines, CRLF, a byte-order mark."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from debrief.losses.models import LossRecord
from debrief.pipeline.models import Deal

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_salesforce_latin1_export_with_competitors_imports() -> None:
    # given a Latin-1 Opportunity export (CRLF, a multi-line description) and its competitors
    raw = (FIXTURES / "salesforce_opportunities.csv").read_bytes()
    assert b"\r\n" in raw and "ó".encode("latin-1") in raw

    # when
    call_command(
        "import",
        str(FIXTURES / "salesforce_opportunities.csv"),
        str(FIXTURES / "salesforce_opportunity_competitors.csv"),
        "--format",
        "salesforce",
    )

    # then
    deals = {d.external_id: d for d in Deal.objects.filter(external_source="salesforce")}
    assert len(deals) == 5
    open_deal = deals["0061U00000AbCd1QAA"]
    assert open_deal.name == "Renovación licencias Año 2023"
    assert open_deal.stage.name == "Negociación" and open_deal.status == "open"
    assert (open_deal.amount, open_deal.currency) == (Decimal("125000.50"), "MXN")
    assert open_deal.attributes["Description"].count("\n") == 2
    assert open_deal.attributes["Type"] == "Renovación"
    assert open_deal.source == "Referido"
    assert str(open_deal.expected_close_date) == "2023-10-31"
    assert {d.currency for d in deals.values()} == {"MXN", "COP", "PEN", "USD"}
    won = deals["0061U00000AbCd2QAA"]
    assert (won.status, str(won.closed_on)) == ("won", "2023-03-15")
    lost = deals["0061U00000AbCd4QAA"]
    assert lost.status == "lost"
    assert sorted(lost.competitors.values_list("name", flat=True)) == [
        "Oracle",
        "Señor Software",
    ]
    loss = LossRecord.objects.get(deal=lost)
    assert [r.name for r in loss.reasons.all()] == ["Lost to Competitor"]
    assert loss.primary_reason is not None


@pytest.mark.django_db
def test_hubspot_export_with_bom_imports() -> None:
    # when
    call_command("import", str(FIXTURES / "hubspot_deals.csv"), "--format", "hubspot")

    # then
    deals = {d.external_id: d for d in Deal.objects.filter(external_source="hubspot")}
    assert {k: d.status for k, d in deals.items()} == {
        "9001": "won",
        "9002": "lost",
        "9003": "open",
    }
    assert deals["9001"].amount == Decimal("12500.00")
    assert deals["9001"].customer.name == "Northwind Traders"
    assert deals["9001"].owner.full_name == "Rita Reyes"
    assert not deals["9001"].owner.is_active
    assert deals["9003"].stage.name == "Contract sent"
    reasons = LossRecord.objects.get(deal=deals["9002"]).reasons.values_list("name", flat=True)
    assert sorted(reasons) == ["Price", "Timing"]
    assert deals["9001"].attributes["Pipeline"] == "Sales Pipeline"


@pytest.mark.django_db
def test_pipedrive_export_keeps_stage_at_loss_apart_from_outcome() -> None:
    # when
    call_command("import", str(FIXTURES / "pipedrive_deals.csv"), "--format", "pipedrive")

    # then
    deals = {d.external_id: d for d in Deal.objects.filter(external_source="pipedrive")}
    assert deals["101"].status == "won" and deals["101"].stage.kind == "won"
    assert sorted(deals["101"].products.values_list("name", flat=True)) == ["Hosting", "Support"]
    lost = deals["102"]
    assert (lost.status, lost.amount, lost.currency) == ("lost", Decimal("7500.00"), "EUR")
    loss = LossRecord.objects.get(deal=lost)
    assert loss.stage_at_loss.name == "Proposal Made" and loss.stage_at_loss.kind == "open"
    assert [r.name for r in loss.reasons.all()] == ["Went with a competitor"]
    assert deals["103"].status == "open" and deals["103"].currency == "SEK"
    assert deals["101"].attributes["Deal - Label"] == "Hot"
