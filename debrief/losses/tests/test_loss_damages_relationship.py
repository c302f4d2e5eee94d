"""When a deal is lost, the rep says whether the loss damaged the relationship: if it did (the
answer unless they say otherwise) the customer's relationship is marked strained, to be
mended; if they parted on good terms it is left as it was. The page, the API and the command
line ask the same question."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from debrief.losses.models import LossRecord
from debrief.losses.tests.page_helpers import outcome, reason, text
from debrief.relationships.models import Relationship


def relationship_status(deal):
    found = Relationship.objects.filter(customer=deal.customer).first()
    return found.status if found else None


def test_the_page_asks_and_a_loss_on_good_terms_leaves_the_relationship_alone(
    client, rita, make_deal
):
    # given
    deal = make_deal(rita)
    client.force_login(rita)
    page = text(client.get(f"/deals/{deal.pk}/lose/"))
    assert "Did this loss damage the relationship with the customer?" in page

    # when
    response = client.post(
        f"/deals/{deal.pk}/lose/",
        {
            "outcome_type": outcome().pk,
            "reasons": [reason("Price").pk],
            "relationship_damaged": "no",
        },
    )

    # then
    assert response.status_code == 302, text(response)
    assert LossRecord.objects.get(deal=deal).relationship_damaged is False
    assert relationship_status(deal) is None
    assert "Relationship Parted on good terms" in text(client.get(deal.get_absolute_url()))


def test_the_page_strains_the_relationship_when_it_was_damaged_or_not_said(client, rita, make_deal):
    # given
    damaged, unsaid = make_deal(rita), make_deal(rita)
    client.force_login(rita)

    # when
    for deal, answer in ((damaged, {"relationship_damaged": "yes"}), (unsaid, {})):
        body = {"outcome_type": outcome().pk, "reasons": [reason("Price").pk], **answer}
        assert client.post(f"/deals/{deal.pk}/lose/", body).status_code == 302

    # then
    for deal in (damaged, unsaid):
        assert LossRecord.objects.get(deal=deal).relationship_damaged is True
        assert relationship_status(deal) == "strained"


def test_the_page_refuses_an_answer_it_does_not_offer(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/lose/",
        {
            "outcome_type": outcome().pk,
            "reasons": [reason("Price").pk],
            "relationship_damaged": "x",
        },
    )

    # then
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert not LossRecord.objects.filter(deal=deal).exists()


def test_the_api_takes_the_answer_and_returns_it(api_client, cast, make_deal):
    # given
    good_terms, damaged = make_deal(cast.rita), make_deal(cast.rita)
    client = api_client.as_user(cast.rita)

    # when
    answers = {}
    for deal, extra in ((good_terms, {"relationship_damaged": False}), (damaged, {})):
        response = client.post(
            "/api/v1/losses",
            {"deal": deal.pk, "outcome_type": outcome().pk, "reasons": [reason("Price").pk]}
            | extra,
        )
        assert response.status_code == 201, response.content
        answers[deal.pk] = response.json()["relationship_damaged"]

    # then
    assert answers == {good_terms.pk: False, damaged.pk: True}
    assert relationship_status(good_terms) is None
    assert relationship_status(damaged) == "strained"


def test_the_command_line_takes_the_answer_by_column(tmp_path, cast, make_deal):
    # given
    good_terms, damaged = make_deal(cast.rita), make_deal(cast.rita)
    path = tmp_path / "losses.csv"
    path.write_text(
        "deal,outcome_type,reasons,relationship_damaged\n"
        f"{good_terms.pk},No decision,Price,No\n"
        f"{damaged.pk},No decision,Price,\n",
        encoding="utf-8",
    )

    # when
    call_command("mark_lost", str(path), "--as", cast.rita.email, stdout=io.StringIO())

    # then
    assert relationship_status(good_terms) is None
    assert relationship_status(damaged) == "strained"


def test_the_command_line_names_the_row_and_column_of_a_bad_answer(tmp_path, cast, make_deal):
    # given
    deal = make_deal(cast.rita)
    path = tmp_path / "losses.csv"
    path.write_text(
        f"deal,outcome_type,reasons,relationship_damaged\n{deal.pk},No decision,Price,maybe\n",
        encoding="utf-8",
    )

    # when
    with pytest.raises(CommandError) as raised:
        call_command("mark_lost", str(path), "--as", cast.rita.email, stdout=io.StringIO())

    # then
    assert "row 2, column relationship_damaged ('maybe'): yes or no." in str(raised.value)
    assert not LossRecord.objects.filter(deal=deal).exists()
