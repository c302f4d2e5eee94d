"""`debrief demo` loads a believable sales organisation: the people, customers with contacts,
products, competitors, and deals whose history reads like the actions had made it."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from debrief.org.models import Organisation, Role, Team, User
from debrief.pipeline.models import (
    Competitor,
    Customer,
    Deal,
    DealEvent,
    DealEventKind,
    DealStatus,
    Product,
)

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_default_organisation_has_its_cast_and_two_years_of_deals():
    # when
    output = load("--today", "2026-06-30")

    # then: the people
    roles = Counter(User.objects.values_list("role", flat=True))
    # 8 reps who own deals, and a solutions consultant per team who joins meetings
    assert roles == {Role.REP: 10, Role.MANAGER: 2, Role.ANALYST: 1, Role.ADMIN: 1}
    assert all(u.email.endswith("@demo.debrief.example") for u in User.objects.all())
    assert all(u.check_password("lose-gracefully") for u in User.objects.all()[:1])
    for team in Team.objects.all():
        assert team.managers.count() == 1
        assert team.members.filter(role=Role.REP, deals__isnull=False).distinct().count() == 4
        assert team.members.filter(role=Role.REP).count() == 5
    assert Organisation.current().name == "Brightline Systems"

    # then: the market
    assert Customer.objects.count() == 300
    assert len({c.name for c in Customer.objects.all()}) == 300
    assert 10 <= Competitor.objects.count() <= 12
    assert Competitor.objects.exclude(website="").count() == Competitor.objects.count()
    assert Product.objects.count() >= 8
    segments = set(Customer.objects.values_list("segment", flat=True))
    assert {"Manufacturing", "Healthcare", "Public sector", "Software"} <= segments

    # then: the deals
    deals = Deal.objects.all()
    assert deals.count() == 2_000
    statuses = Counter(deals.values_list("status", flat=True))
    closed = statuses[DealStatus.WON] + statuses[DealStatus.LOST]
    assert 0.20 <= statuses[DealStatus.WON] / closed <= 0.30
    assert 0.60 <= closed / 2_000 <= 0.65
    assert deals.filter(amount__gte=Organisation.current().major_deal_threshold).count() >= 20
    assert deals.filter(competitors__isnull=False).distinct().count() > 2_000 * 0.6
    assert set(deals.values_list("source", flat=True)) == {
        "Inbound",
        "Outbound",
        "Partner",
        "Event",
        "Referral",
    }
    oldest = deals.order_by("created_at").first()
    assert oldest is not None and oldest.created_at.date().isoformat() >= "2024-06-30"
    assert "2,000 deals" in output and "jordan.hayes@demo.debrief.example" in output


def test_every_deal_has_the_history_the_actions_would_have_written():
    # when
    load("--deals", "200", "--customers", "30", "--today", "2026-06-30")

    # then
    pipeline_kinds = set(DealEventKind.values)
    for deal in Deal.objects.select_related("stage", "team").prefetch_related("events"):
        # The loss loop's own events (loss recorded, debrief held...) follow the closing.
        events = sorted(
            (e for e in deal.events.all() if e.kind in pipeline_kinds), key=lambda e: (e.at, e.pk)
        )
        assert events[0].kind == DealEventKind.CREATED
        assert deal.status == deal.stage.kind
        stage = events[0].to_value
        for event in events:
            if event.kind == DealEventKind.STAGE_CHANGED:
                assert event.from_value == stage
                stage = event.to_value
        assert stage == deal.stage.name
        if deal.status == DealStatus.OPEN:
            assert deal.closed_on is None
            assert deal.next_step and deal.next_step_date
        else:
            assert events[-1].kind == deal.status
            assert deal.closed_on == events[-1].at.date()
        assert all(e.at.date().isoformat() < "2026-06-30" for e in events)
        assert deal.team.members.filter(pk=deal.owner_id).exists()
        assert deal.customer.team_id == deal.team_id
    kinds = set(DealEvent.objects.values_list("kind", flat=True))
    assert {"created", "stage_changed", "won", "lost"} <= kinds
