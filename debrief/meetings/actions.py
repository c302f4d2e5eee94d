"""Every write about meetings: scheduling one, its plan, its outcome, flagging it bad with its
recovery steps, and the maybe-or-no decision. Atomic, field-named errors, event rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from debrief.losses import actions as loss_actions
from debrief.meetings.models import (
    BALANCE_OF_VALUE,
    CAUSE_OWNERS,
    DECISION_DAYS,
    PLAN_PROMPTS,
    RECOVERY_STEPS,
    UPFRONT_CONTRACT,
    BadMeeting,
    BadMeetingCause,
    BadMeetingCauseRow,
    BadMeetingConsequence,
    BadMeetingConsequenceRow,
    DecisionChoice,
    Meeting,
    MeetingMode,
    MeetingOutcome,
    MeetingPlan,
    OutcomeResult,
    PlanComparison,
    Valuable,
)
from debrief.org.models import User
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline import signals
from debrief.pipeline.models import Contact, Deal, DealEvent, DealStatus

PLAN_FIELDS = (
    *(f for f, _ in PLAN_PROMPTS),
    *(f for f, _ in UPFRONT_CONTRACT),
    "contract_no_is_ok",
    *(f for f, _ in BALANCE_OF_VALUE),
)
MEETING_FIELDS = ("title", "starts_at", "duration_minutes", "mode", "location")


def _event(deal: Deal, by: User | None, kind: str, summary: str, **data: Any) -> None:
    DealEvent.objects.create(deal=deal, kind=kind, actor=by, data={"summary": summary, **data})


def _check_people(deal: Deal, attendees: Iterable[User], contacts: Iterable[Contact]) -> None:
    errors: dict[str, str] = {}
    inactive = [str(u) for u in attendees if not u.is_active]
    if inactive:
        errors["our_attendees"] = f"No longer active: {', '.join(inactive)}."
    strangers = [str(c) for c in contacts if c.customer_id != deal.customer_id]
    if strangers:
        errors["customer_contacts"] = f"Not contacts of {deal.customer}: {', '.join(strangers)}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_meeting(
    deal: Deal,
    by: User,
    *,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int = 45,
    mode: str = MeetingMode.VIDEO,
    location: str = "",
    our_attendees: Iterable[User] = (),
    customer_contacts: Iterable[Contact] = (),
) -> Meeting:
    if deal.status != DealStatus.OPEN:
        raise ValidationError({"deal": "Meetings are planned on open deals."})
    attendees = list(our_attendees) or [by]
    contacts = list(customer_contacts)
    _check_people(deal, attendees, contacts)
    meeting = Meeting(
        deal=deal,
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        location=location.strip(),
        created_by=by,
    )
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    meeting.our_attendees.set(attendees)
    meeting.customer_contacts.set(contacts)
    MeetingPlan.objects.create(meeting=meeting, author=by)
    _event(
        deal, by, "meeting_scheduled", f"Meeting planned: {meeting.title}", meeting_id=meeting.pk
    )
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    by: User,
    *,
    our_attendees: Iterable[User] | None = None,
    customer_contacts: Iterable[Contact] | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("deal").get(pk=meeting.pk)
    _check_version(meeting.version, expected_version)
    attendees = list(our_attendees) if our_attendees is not None else None
    contacts = list(customer_contacts) if customer_contacts is not None else None
    _check_people(meeting.deal, attendees or [], contacts or [])
    for name in MEETING_FIELDS:
        if name in changes:
            setattr(meeting, name, changes[name])
    meeting.full_clean(exclude=["created_by"])
    meeting.version += 1
    meeting.save()
    if attendees is not None:
        meeting.our_attendees.set(attendees)
    if contacts is not None:
        meeting.customer_contacts.set(contacts)
    return meeting


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise ValidationError(
            {
                "version": "Someone else changed this while you were editing it; reload to see "
                "their changes."
            }
        )


@transaction.atomic
def write_plan(
    meeting: Meeting, by: User, *, expected_version: int | None = None, **answers: Any
) -> MeetingPlan:
    plan = MeetingPlan.objects.select_for_update().get(meeting=meeting)
    _check_version(plan.version, expected_version)
    unknown = set(answers) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a part of the meeting plan."})
    for name, value in answers.items():
        setattr(plan, name, value if isinstance(value, bool) else str(value or "").strip())
    plan.author = by
    plan.version += 1
    plan.save()
    # The plan's words are part of what best practices are matched against.
    transaction.on_commit(partial(signals.deal_changed.send, sender=Deal, deal_id=meeting.deal_id))
    return plan


@dataclass(frozen=True)
class OutcomeInput:
    result: str
    compared_with_plan: str
    valuable_for_customer: str
    commitment_what: str = ""
    commitment_who: str = ""
    commitment_by: dt.date | None = None
    discovery: str = ""
    qualified_out_why: str = ""
    note: str = ""
    valuable_for_customer_said: str = ""
    # When qualifying out, the loss is recorded with these (see losses.actions.LossInput).
    loss: loss_actions.LossInput | None = None


def _check_outcome(meeting: Meeting, data: OutcomeInput) -> None:
    errors: dict[str, str] = {}
    if not meeting.has_happened():
        errors["meeting"] = "Record the outcome once the meeting has taken place."
    if data.result not in OutcomeResult.values:
        errors["result"] = "Choose advance, qualified out or no outcome."
    if data.compared_with_plan not in PlanComparison.values:
        errors["compared_with_plan"] = "Compare it with the plan: best, fall-back or neither."
    if data.valuable_for_customer not in Valuable.values:
        errors["valuable_for_customer"] = "Say whether it was valuable for the customer."
    if data.valuable_for_customer_said and data.valuable_for_customer_said not in Valuable.values:
        errors["valuable_for_customer_said"] = "Yes, no or not sure."
    if data.result == OutcomeResult.ADVANCE:
        has_commitment = bool(data.commitment_what.strip())
        if not has_commitment and not data.discovery.strip():
            errors["commitment_what"] = (
                "An advance is a concrete commitment (what, who, by when) or a discovery that "
                "improves our chance. A good feeling is not an advance."
            )
        if has_commitment:
            if not data.commitment_who.strip():
                errors["commitment_who"] = "Who committed to it?"
            if data.commitment_by is None:
                errors["commitment_by"] = "By when?"
            elif data.commitment_by < timezone.localdate():
                errors["commitment_by"] = "A commitment's date cannot be in the past."
    if data.result == OutcomeResult.QUALIFIED_OUT:
        if not data.qualified_out_why.strip():
            errors["qualified_out_why"] = "Say why the opportunity is qualified out."
        if data.loss is None:
            errors["loss"] = "Qualifying out closes the deal: give the loss's outcome and reason."
    if data.result == OutcomeResult.NO_OUTCOME and not data.note.strip():
        errors["note"] = "An honest note on what happened: it is how the team learns."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_outcome(meeting: Meeting, by: User, data: OutcomeInput) -> MeetingOutcome:
    """What the meeting achieved. An advance with a commitment becomes the deal's next step;
    qualifying out closes the deal through the loss action."""
    meeting = Meeting.objects.select_for_update().select_related("deal").get(pk=meeting.pk)
    if hasattr(meeting, "outcome"):
        raise ValidationError({"meeting": "This meeting's outcome is already recorded."})
    _check_outcome(meeting, data)
    outcome = MeetingOutcome.objects.create(
        meeting=meeting,
        result=data.result,
        commitment_what=data.commitment_what.strip(),
        commitment_who=data.commitment_who.strip(),
        commitment_by=data.commitment_by,
        discovery=data.discovery.strip(),
        qualified_out_why=data.qualified_out_why.strip(),
        note=data.note.strip(),
        compared_with_plan=data.compared_with_plan,
        valuable_for_customer=data.valuable_for_customer,
        valuable_for_customer_said=data.valuable_for_customer_said,
        recorded_by=by,
    )
    deal = meeting.deal
    _event(
        deal,
        by,
        "meeting_outcome",
        f"Meeting outcome: {outcome.get_result_display()} — {meeting.title}",
        meeting_id=meeting.pk,
        result=outcome.result,
    )
    if outcome.result == OutcomeResult.ADVANCE and outcome.commitment_what:
        pipeline_actions.update_deal(
            deal,
            by,
            next_step=f"{outcome.commitment_what} ({outcome.commitment_who})"[:300],
            next_step_date=outcome.commitment_by,
        )
    transaction.on_commit(partial(signals.deal_changed.send, sender=Deal, deal_id=deal.pk))
    if outcome.result == OutcomeResult.QUALIFIED_OUT and data.loss is not None:
        note = data.loss.note or outcome.qualified_out_why
        loss_actions.mark_deal_lost(
            deal,
            by,
            loss_actions.LossInput(**{**data.loss.__dict__, "note": note}),
        )
    return outcome


@transaction.atomic
def flag_bad_meeting(
    meeting: Meeting,
    by: User,
    *,
    causes: Iterable[str],
    consequences: Iterable[str],
    note: str = "",
    other_cause: str = "",
) -> BadMeeting:
    """Flag a meeting that went badly. Each consequence gets its recovery step as a follow-up
    for the deal's owner; a damaged relationship is marked strained."""
    meeting = Meeting.objects.select_related("deal__owner", "deal__customer").get(pk=meeting.pk)
    cause_list = list(dict.fromkeys(causes))
    consequence_list = list(dict.fromkeys(consequences))
    errors: dict[str, str] = {}
    if hasattr(meeting, "bad"):
        errors["meeting"] = "This meeting is already flagged as bad."
    if not meeting.has_happened():
        errors["meeting"] = "A meeting is flagged bad once it has taken place."
    if not cause_list:
        errors["causes"] = "Say what caused it: that is what the team learns from."
    bad_causes = [c for c in cause_list if c not in BadMeetingCause.values]
    if bad_causes:
        errors["causes"] = f"Unknown cause(s): {', '.join(bad_causes)}."
    bad_consequences = [c for c in consequence_list if c not in BadMeetingConsequence.values]
    if bad_consequences:
        errors["consequences"] = f"Unknown consequence(s): {', '.join(bad_consequences)}."
    if BadMeetingCause.OTHER in cause_list and not other_cause.strip():
        errors["other_cause"] = "Say what the other cause was."
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    bad = BadMeeting.objects.create(
        meeting=meeting,
        note=note.strip(),
        other_cause=other_cause.strip(),
        flagged_by=by,
        decision_due_on=today + dt.timedelta(days=DECISION_DAYS),
    )
    BadMeetingCauseRow.objects.bulk_create(
        BadMeetingCauseRow(bad_meeting=bad, cause=c) for c in cause_list
    )
    deal = meeting.deal
    for consequence in consequence_list:
        title, detail, days = RECOVERY_STEPS[consequence]
        step = pipeline_actions.create_follow_up(
            by,
            owner=deal.owner,
            deal=deal,
            kind=f"recovery:{consequence}",
            title=title,
            detail=detail,
            due_on=today + dt.timedelta(days=days),
        )
        BadMeetingConsequenceRow.objects.create(
            bad_meeting=bad, consequence=consequence, recovery_step=step
        )
    _event(
        deal,
        by,
        "bad_meeting",
        f"Bad meeting flagged: {meeting.title}",
        meeting_id=meeting.pk,
        causes=cause_list,
        consequences=consequence_list,
    )
    if BadMeetingConsequence.RELATIONSHIP_DAMAGED in consequence_list:
        signals.relationship_damaged.send(
            sender=BadMeeting,
            customer=deal.customer,
            by=by,
            reason=f"Bad meeting: {meeting.title}",
            at=bad.flagged_at,
        )
    return bad


@transaction.atomic
def decide_after_bad_meeting(
    bad: BadMeeting,
    by: User,
    decision: str,
    *,
    note: str = "",
    next_step: str = "",
    next_step_date: dt.date | None = None,
    loss: loss_actions.LossInput | None = None,
) -> BadMeeting:
    """Still a real maybe (stay in, with the next step), or a prolonged no (qualify out)."""
    bad = BadMeeting.objects.select_for_update().select_related("meeting__deal").get(pk=bad.pk)
    deal = bad.meeting.deal
    errors: dict[str, str] = {}
    if bad.decision != DecisionChoice.PENDING:
        errors["decision"] = f"Already decided: {bad.get_decision_display()}."
    elif decision == DecisionChoice.STAY_IN:
        if not next_step.strip():
            errors["next_step"] = "Staying in needs a concrete next step."
        if next_step_date is None or next_step_date < timezone.localdate():
            errors["next_step_date"] = "Give the next step a date from today on."
    elif decision == DecisionChoice.QUALIFY_OUT:
        if loss is None:
            errors["loss"] = "Qualifying out closes the deal: give the loss's outcome and reason."
    else:
        errors["decision"] = "Decide: stay in, or qualify out."
    if deal.status != DealStatus.OPEN and "decision" not in errors:
        errors["decision"] = "The deal is already closed."
    if errors:
        raise ValidationError(errors)
    bad.decision = decision
    bad.decided_at = timezone.now()
    bad.decision_note = note.strip()
    bad.save(update_fields=["decision", "decided_at", "decision_note", "updated_at"])
    if decision == DecisionChoice.STAY_IN:
        pipeline_actions.update_deal(
            deal, by, next_step=next_step.strip()[:300], next_step_date=next_step_date
        )
    else:
        assert loss is not None
        loss_actions.mark_deal_lost(deal, by, loss)
    _event(deal, by, "bad_meeting_decision", f"After the bad meeting: {bad.get_decision_display()}")
    return bad


def owners_of_causes(bad: BadMeeting) -> set[str]:
    """Which owners outside sales ('marketing', 'product') this bad meeting concerns."""
    return {CAUSE_OWNERS[c.cause] for c in bad.causes.all() if c.cause in CAUSE_OWNERS}
