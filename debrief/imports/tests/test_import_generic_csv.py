"""Any CSV imports with a JSON mapping file: tab- or semicolon-separated, Windows-1252, stage
and reason labels mapped, unmapped columns kept as attributes under their header."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from debrief.losses.models import LossRecord
from debrief.pipeline.models import Deal


@pytest.mark.django_db
def test_tab_separated_windows_1252_file_with_a_mapping(tmp_path: Path, rita: Any) -> None:
    # given a file owned partly by an existing user (by email), and a mapping
    path = tmp_path / "export.tsv"
    path.write_bytes(
        "Ref\tTitle\tClient\tRep\tPhase\tValue\tCur\tOpened\tLost because\tRégion\r\n"
        "A-1\tBig one\tCafé Müller\trita@example.com\tGagné\t1.234,50\tEUR\t03/02/2025\t\tSud\r\n"
        "A-2\tSmall one\tCafé Müller\tJo Doe\tPerdu\t99\tEUR\t04/02/2025\tTrop cher\tNord\r\n".encode(
            "cp1252"
        )
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "source": "tableur",
                "columns": {
                    "external_id": "Ref",
                    "name": "Title",
                    "customer": "Client",
                    "owner": "Rep",
                    "stage": "Phase",
                    "amount": "Value",
                    "currency": "Cur",
                    "created": "Opened",
                    "loss_reasons": "Lost because",
                },
                "stages": {"Gagné": "Closed Won", "Perdu": "lost"},
                "reasons": {"Trop cher": "Price"},
            }
        ),
        encoding="utf-8",
    )

    # when
    call_command("import", str(path), "--format", "csv", "--mapping", str(mapping))

    # then
    deals = {d.external_id: d for d in Deal.objects.filter(external_source="tableur")}
    big, small = deals["A-1"], deals["A-2"]
    assert (big.status, big.stage.name, big.amount) == ("won", "Closed Won", Decimal("1234.50"))
    assert big.owner == rita and big.team.name == "North"
    assert big.customer.name == "Café Müller" and small.customer == big.customer
    assert str(big.created_at.date()) == "2025-02-03"
    assert big.attributes == {"Région": "Sud"}
    assert small.status == "lost" and small.owner.full_name == "Jo Doe"
    assert [r.name for r in LossRecord.objects.get(deal=small).reasons.all()] == ["Price"]
