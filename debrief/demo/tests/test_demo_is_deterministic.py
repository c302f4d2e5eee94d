"""The same seed gives the same demo organisation, its loss loop included; another seed gives
another one."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from debrief.demo.follow_through import PLAN_FIELDS
from debrief.learning.models import (
    BestPractice,
    DealWords,
    PracticeMatch,
    Proposal,
    Retro,
    RetroGroup,
)
from debrief.losses.models import (
    Debrief,
    DebriefAnswer,
    Lesson,
    LossRecord,
    LossRecordReason,
    OwnItReview,
)
from debrief.meetings.models import (
    BadMeeting,
    BadMeetingConsequenceRow,
    Meeting,
    MeetingOutcome,
    MeetingPlan,
)
from debrief.org.models import User
from debrief.pipeline.models import Contact, Customer, Deal, DealContact, DealEvent, FollowUp
from debrief.relationships.models import Relationship, RelationshipEvent, Touchpoint

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def digest() -> str:
    """Everything a user sees of the demo data, without database ids (which differ between
    databases, and on PostgreSQL even after a rollback)."""
    h = hashlib.sha256()
    rows = [
        Customer.objects.order_by("external_id").values_list(
            "name", "segment", "size", "region", "website", "owner__email", "created_at"
        ),
        Contact.objects.order_by("customer__external_id", "pk").values_list(
            "name", "title", "email", "phone"
        ),
        Deal.objects.order_by("external_id").values_list(
            "external_id",
            "name",
            "customer__name",
            "owner__email",
            "team__name",
            "amount",
            "stage__name",
            "status",
            "created_at",
            "closed_on",
            "expected_close_date",
            "source",
            "next_step",
            "next_step_date",
        ),
        Deal.objects.order_by("external_id", "products__name").values_list("products__name"),
        Deal.objects.order_by("external_id", "competitors__name").values_list("competitors__name"),
        DealContact.objects.order_by("deal__external_id", "contact_id").values_list(
            "contact__email", "role"
        ),
        DealEvent.objects.order_by("deal__external_id", "pk").values_list(
            "kind", "at", "from_value", "to_value", "actor__email", "data__summary"
        ),
        # The loss loop.
        LossRecord.objects.order_by("deal__external_id").values_list(
            "deal__external_id",
            "recorded_by__email",
            "lost_on",
            "outcome_type__name",
            "stage_at_loss__name",
            "amount_at_loss",
            "currency",
            "note",
            "debrief_consent",
            "created_at",
        ),
        LossRecordReason.objects.order_by("loss__deal__external_id", "reason__order").values_list(
            "reason__name", "is_primary"
        ),
        LossRecord.objects.filter(competitors__isnull=False)
        .order_by("deal__external_id", "competitors__name")
        .values_list("deal__external_id", "competitors__name"),
        OwnItReview.objects.order_by("loss__deal__external_id").values_list(
            "rep__email",
            "could_have_done_differently",
            "will_do_next_time",
            "decisive_reason__name",
            "submitted_at",
        ),
        Debrief.objects.order_by("loss__deal__external_id").values_list(
            "loss__deal__external_id",
            "kind",
            "leader__email",
            "customer_contact__email",
            "status",
            "proposed_for",
            "scheduled_for",
            "duration_minutes",
            "held_at",
            "contact_follow_up__title",
            "customer_decisive_reason__name",
            "notes",
            "version",
        ),
        Debrief.objects.order_by("loss__deal__external_id", "participants__email").values_list(
            "participants__email"
        ),
        DebriefAnswer.objects.order_by("debrief__loss__deal__external_id", "number").values_list(
            "number", "question", "answer", "answered_by__email", "created_at"
        ),
        FollowUp.objects.order_by("deal__external_id", "pk").values_list(
            "owner__email", "kind", "title", "detail", "due_on", "done_at", "created_by__email"
        ),
        Lesson.objects.order_by("loss__deal__external_id", "pk").values_list(
            "source",
            "debrief__loss__deal__external_id",
            "own_it__loss__deal__external_id",
            "team__name",
            "author__email",
            "statement",
            "do_differently",
            "tag_stage__name",
            "tag_competitor__name",
            "tag_segment",
            "tag_product",
            "tag_reason__name",
            "created_at",
        ),
        # Meetings.
        Meeting.objects.order_by("deal__external_id", "starts_at", "title").values_list(
            "deal__external_id",
            "title",
            "starts_at",
            "duration_minutes",
            "mode",
            "location",
            "created_by__email",
            "created_at",
        ),
        Meeting.objects.order_by(
            "deal__external_id", "starts_at", "title", "our_attendees__email"
        ).values_list("our_attendees__email"),
        Meeting.objects.order_by(
            "deal__external_id", "starts_at", "title", "customer_contacts__email"
        ).values_list("customer_contacts__email"),
        MeetingPlan.objects.order_by(
            "meeting__deal__external_id", "meeting__starts_at", "meeting__title"
        ).values_list(*PLAN_FIELDS, "contract_no_is_ok", "version"),
        MeetingOutcome.objects.order_by(
            "meeting__deal__external_id", "meeting__starts_at", "meeting__title"
        ).values_list(
            "result",
            "commitment_what",
            "commitment_who",
            "commitment_by",
            "discovery",
            "qualified_out_why",
            "note",
            "compared_with_plan",
            "valuable_for_customer",
            "valuable_for_customer_said",
            "created_at",
        ),
        BadMeeting.objects.order_by("meeting__deal__external_id", "meeting__starts_at").values_list(
            "note", "other_cause", "flagged_at", "decision", "decided_at", "decision_note"
        ),
        BadMeetingConsequenceRow.objects.order_by(
            "bad_meeting__meeting__deal__external_id",
            "bad_meeting__meeting__starts_at",
            "consequence",
        ).values_list("consequence", "recovery_step__due_on", "recovery_step__done_at"),
        # Relationships.
        Relationship.objects.order_by("customer__external_id").values_list(
            "status", "status_since", "damaged_since", "re_engage_on", "re_engage_note", "version"
        ),
        RelationshipEvent.objects.order_by(
            "relationship__customer__external_id", "at", "kind", "to_status"
        ).values_list("kind", "from_status", "to_status", "reason", "actor__email", "at"),
        Touchpoint.objects.order_by(
            "relationship__customer__external_id", "order", "due_on"
        ).values_list("kind", "description", "due_on", "owner__email", "done_at", "outcome_note"),
        # Learning.
        Retro.objects.order_by("team__name", "created_at").values_list(
            "title", "status", "created_at", "facilitator__email"
        ),
        Retro.objects.order_by("team__name", "created_at", "deals__external_id").values_list(
            "deals__external_id"
        ),
        RetroGroup.objects.order_by(
            "retro__team__name", "retro__created_at", "number", "members__email"
        ).values_list("number", "members__email"),
        Proposal.objects.order_by(
            "retro__team__name", "retro__created_at", "statement"
        ).values_list(
            "statement", "status", "author__email", "merged_into__statement", "created_at"
        ),
        BestPractice.objects.order_by("team__name", "statement").values_list(
            "statement",
            "status",
            "published_at",
            "segments",
            "min_amount",
            "max_amount",
            "keywords",
        ),
        PracticeMatch.objects.order_by("practice__statement", "deal__external_id").values_list(
            "deal__external_id",
            "status",
            "score",
            "reasons",
            "note",
            "decided_by__email",
            "decided_at",
        ),
        DealWords.objects.order_by("deal__external_id").values_list("deal__external_id", "words"),
    ]
    for query in rows:
        for row in query:
            h.update(repr(row).encode())
    # Owner changes name their users by id, as the action stores them: compare the people.
    emails = dict(User.objects.values_list("pk", "email"))
    for data in DealEvent.objects.filter(kind="owner_changed").order_by("deal__external_id"):
        h.update(f"{emails[data.data['from_id']]}>{emails[data.data['to_id']]}".encode())
    return h.hexdigest()


def load_into_an_empty_database(seed: int) -> str:
    """Load, take the digest, and roll everything back so the next load starts afresh."""
    result = ""
    try:
        with transaction.atomic():
            call_command(
                "demo",
                "--seed",
                str(seed),
                "--deals",
                "200",
                "--customers",
                "30",
                "--today",
                "2026-03-31",
                stdout=io.StringIO(),
            )
            assert Deal.objects.count() == 200
            # the digest covers the loss loop, so it has something to cover
            assert LossRecord.objects.count() > 50
            assert Debrief.objects.filter(status="held").exists()
            assert Lesson.objects.exists()
            assert Meeting.objects.exists() and PracticeMatch.objects.exists()
            assert RelationshipEvent.objects.exists()
            result = digest()
            raise Rollback
    except Rollback:
        assert not Deal.objects.exists()
    return result


def test_the_same_seed_gives_identical_data():
    assert load_into_an_empty_database(7) == load_into_an_empty_database(7)


def test_another_seed_gives_other_data():
    assert load_into_an_empty_database(7) != load_into_an_empty_database(8)
