"""Every write of the loss loop: marking a deal lost and reopening it, the reason list, the
own-it review, the customer debrief and its answers, and lessons. Each action is atomic,
names the field of any broken rule, leaves event rows, and queues its follow-ups on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from debrief.losses import tasks
from debrief.losses.models import (
    DEBRIEF_QUESTIONS,
    Debrief,
    DebriefAnswer,
    DebriefConsent,
    DebriefKind,
    DebriefStatus,
    Lesson,
    LessonSource,
    LossReason,
    LossRecord,
    LossRecordReason,
    OutcomeType,
    OwnItReview,
    ReasonEvent,
    ReasonEventKind,
)
from debrief.org import access
from debrief.org.models import Organisation, User
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline import signals
from debrief.pipeline.models import (
    Competitor,
    Contact,
    ContactRole,
    Deal,
    DealEvent,
    DealStatus,
    FollowUp,
    Stage,
    StageKind,
)

DEBRIEF_HOUR = 10  # Proposed debrief calls start at 10:00 in the leader's time zone.


# --- dates --------------------------------------------------------------------------------


def add_business_days(day: dt.date, days: int) -> dt.date:
    """`days` working days (Monday to Friday) after `day`. Public holidays are not known to
    Debrief; the leader moves the call when one falls in the way."""
    current = day
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def next_business_day_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _at_hour(day: dt.date, user: User) -> dt.datetime:
    import zoneinfo

    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return dt.datetime.combine(day, dt.time(DEBRIEF_HOUR), tzinfo=zone)


# --- marking a deal lost ------------------------------------------------------------------


@dataclass(frozen=True)
class LossInput:
    """What the rep says when the customer says no."""

    outcome_type: OutcomeType | None
    reasons: Sequence[LossReason]
    primary_reason: LossReason | None = None
    competitors: Sequence[Competitor] = ()
    note: str = ""
    debrief_consent: str = DebriefConsent.NOT_ASKED
    # Unless the customer parted on good terms, a loss damages the relationship.
    relationship_damaged: bool = True
    lost_on: dt.date | None = None
    stage: Stage | None = None


def _check_loss_input(deal: Deal, data: LossInput) -> LossReason:
    errors: dict[str, str] = {}
    if deal.status != DealStatus.OPEN:
        errors["deal"] = (
            f"This deal is already {deal.get_status_display().lower()}; reopen it before "
            "recording a loss."
        )
    if data.outcome_type is None:
        errors["outcome_type"] = "Choose how the deal was lost."
    elif not data.outcome_type.is_active:
        errors["outcome_type"] = f"The outcome type {data.outcome_type} is retired."
    reasons = list(data.reasons)
    if not reasons:
        errors["reasons"] = "Give at least one reason: it is the lesson the team keeps."
    retired = [r.name for r in reasons if not r.is_active]
    if retired:
        errors["reasons"] = f"Retired reasons cannot be used: {', '.join(retired)}."
    primary = data.primary_reason or (reasons[0] if len(reasons) == 1 else None)
    if reasons and "reasons" not in errors:
        if primary is None:
            errors["primary_reason"] = "Mark which reason was the main one."
        elif primary not in reasons:
            errors["primary_reason"] = "The main reason must be one of the reasons given."
    if data.debrief_consent not in DebriefConsent.values:
        errors["debrief_consent"] = "Say whether the customer agreed to a debrief call."
    if data.stage is not None and (data.stage.kind != StageKind.LOST or not data.stage.is_active):
        errors["stage"] = f"{data.stage} is not an active lost stage."
    today = timezone.localdate()
    if data.lost_on is not None and data.lost_on > today:
        errors["lost_on"] = "A loss cannot be recorded in the future."
    if errors:
        raise ValidationError(errors)
    assert primary is not None
    return primary


@transaction.atomic
def mark_deal_lost(deal: Deal, by: User, data: LossInput) -> LossRecord:
    """Close a deal as lost with its loss record, ask the rep for their own-it review, and
    schedule the customer debrief when the customer agreed or was not asked yet."""
    deal = Deal.objects.select_for_update().select_related("stage", "owner", "team").get(pk=deal.pk)
    primary = _check_loss_input(deal, data)
    assert data.outcome_type is not None  # checked above
    lost_stage = data.stage or Stage.objects.filter(kind=StageKind.LOST, is_active=True).first()
    if lost_stage is None:
        raise ValidationError({"stage": "The pipeline has no lost stage: an admin must add one."})
    lost_on = data.lost_on or timezone.localdate()
    loss = LossRecord.objects.create(
        deal=deal,
        recorded_by=by,
        lost_on=lost_on,
        outcome_type=data.outcome_type,
        stage_at_loss=deal.stage,
        amount_at_loss=deal.amount,
        currency=deal.currency,
        note=data.note.strip(),
        debrief_consent=data.debrief_consent,
        relationship_damaged=data.relationship_damaged,
    )
    for reason in dict.fromkeys(data.reasons):  # one save each, so each is in the audit trail
        LossRecordReason.objects.create(loss=loss, reason=reason, is_primary=reason == primary)
    competitors = list(data.competitors)
    loss.competitors.set(competitors)
    if competitors:
        deal.competitors.add(*competitors)
    pipeline_actions.move_deal_stage(deal, by, lost_stage, as_loss=True)
    DealEvent.objects.create(
        deal=deal,
        kind="loss_recorded",
        actor=by,
        data={
            "loss_id": loss.pk,
            "summary": f"Loss recorded: {data.outcome_type} — {primary}",
        },
    )
    # A loss that damaged the relationship strains it until someone works to restore it.
    if data.relationship_damaged:
        signals.relationship_damaged.send(
            sender=LossRecord, customer=deal.customer, by=by, reason=f"Lost {deal.name}"
        )
    review = OwnItReview.objects.create(loss=loss, rep=deal.owner)
    transaction.on_commit(
        partial(
            tasks.remind_own_it_review.using(
                run_after=timezone.now() + dt.timedelta(days=1)
            ).enqueue,
            review.pk,
        )
    )
    if data.debrief_consent in (DebriefConsent.YES, DebriefConsent.NOT_ASKED):
        schedule_debrief(loss, by)
    return loss


@transaction.atomic
def reopen_deal(deal: Deal, by: User, stage: Stage) -> Deal:
    """Reopen a lost deal. Its loss records stay in history, marked as no longer standing;
    a debrief not yet held is cancelled."""
    deal = Deal.objects.select_for_update().select_related("stage").get(pk=deal.pk)
    if deal.status != DealStatus.LOST:
        raise ValidationError({"deal": "Only a lost deal can be reopened."})
    if stage.kind != StageKind.OPEN:
        raise ValidationError({"stage": "Reopen the deal into an open stage."})
    now = timezone.now()
    standing = LossRecord.objects.filter(deal=deal, reopened_at__isnull=True)
    open_debriefs = Debrief.objects.filter(
        loss__in=standing, status__in=[DebriefStatus.PROPOSED, DebriefStatus.SCHEDULED]
    )
    for debrief_id in open_debriefs.values_list("pk", flat=True):
        transaction.on_commit(partial(tasks.send_debrief_cancellation.enqueue, debrief_id))
    open_debriefs.update(status=DebriefStatus.CANCELLED, version=F("version") + 1, updated_at=now)
    standing.update(reopened_at=now, updated_at=now)
    return pipeline_actions.move_deal_stage(deal, by, stage, as_reopening=True)


# --- the reason list and outcome types ----------------------------------------------------


@transaction.atomic
def add_reason(
    by: User, name: str, *, is_other: bool = False, outside_rep_control: bool = False
) -> LossReason:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A reason needs a name."})
    if LossReason.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"{name} is already on the list."})
    last = LossReason.objects.order_by("-order").values_list("order", flat=True).first() or 0
    reason = LossReason.objects.create(
        name=name, order=last + 1, is_other=is_other, outside_rep_control=outside_rep_control
    )
    ReasonEvent.objects.create(reason=reason, kind=ReasonEventKind.ADDED, actor=by)
    return reason


@transaction.atomic
def rename_reason(reason: LossReason, by: User, name: str) -> LossReason:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A reason needs a name."})
    if LossReason.objects.filter(name__iexact=name).exclude(pk=reason.pk).exists():
        raise ValidationError({"name": f"{name} is already on the list."})
    old = reason.name
    if old != name:
        reason.name = name
        reason.save(update_fields=["name", "updated_at"])
        ReasonEvent.objects.create(
            reason=reason, kind=ReasonEventKind.RENAMED, actor=by, data={"from": old, "to": name}
        )
    return reason


@transaction.atomic
def update_reason_flags(
    reason: LossReason, by: User, *, is_other: bool, outside_rep_control: bool
) -> LossReason:
    reason.is_other = is_other
    reason.outside_rep_control = outside_rep_control
    reason.save(update_fields=["is_other", "outside_rep_control", "updated_at"])
    return reason


@transaction.atomic
def retire_reason(reason: LossReason, by: User) -> LossReason:
    """Hide a reason for new losses; past losses keep it."""
    if reason.is_active:
        if not LossReason.objects.filter(is_active=True).exclude(pk=reason.pk).exists():
            raise ValidationError({"reason": "The list needs at least one active reason."})
        reason.is_active = False
        reason.save(update_fields=["is_active", "updated_at"])
        ReasonEvent.objects.create(reason=reason, kind=ReasonEventKind.RETIRED, actor=by)
    return reason


@transaction.atomic
def restore_reason(reason: LossReason, by: User) -> LossReason:
    if reason.merged_into_id is not None:
        raise ValidationError({"reason": f"{reason} was merged into {reason.merged_into}."})
    if not reason.is_active:
        reason.is_active = True
        reason.save(update_fields=["is_active", "updated_at"])
        ReasonEvent.objects.create(reason=reason, kind=ReasonEventKind.RESTORED, actor=by)
    return reason


@transaction.atomic
def merge_reasons(source: LossReason, target: LossReason, by: User) -> LossReason:
    """Fold `source` into `target`: past losses, reviews, debriefs and lessons that named the
    source now name the target, and the source is retired with a pointer to it."""
    if source.pk == target.pk:
        raise ValidationError({"target": "A reason cannot be merged into itself."})
    if not target.is_active:
        raise ValidationError({"target": f"{target} is retired; merge into an active reason."})
    moved = 0
    for link in LossRecordReason.objects.select_for_update().filter(reason=source):
        existing = LossRecordReason.objects.filter(loss_id=link.loss_id, reason=target).first()
        if existing is None:
            link.reason = target
            link.save(update_fields=["reason"])
        else:
            if link.is_primary and not existing.is_primary:
                link.delete()
                existing.is_primary = True
                existing.save(update_fields=["is_primary"])
            else:
                link.delete()
        moved += 1
    OwnItReview.objects.filter(decisive_reason=source).update(decisive_reason=target)
    Debrief.objects.filter(customer_decisive_reason=source).update(customer_decisive_reason=target)
    Lesson.objects.filter(tag_reason=source).update(tag_reason=target)
    source.is_active = False
    source.merged_into = target
    source.save(update_fields=["is_active", "merged_into", "updated_at"])
    ReasonEvent.objects.create(
        reason=source,
        kind=ReasonEventKind.MERGED,
        actor=by,
        data={"into_id": target.pk, "into": target.name, "losses_moved": moved},
    )
    return target


@transaction.atomic
def add_outcome_type(by: User, name: str) -> OutcomeType:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An outcome type needs a name."})
    if OutcomeType.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"{name} is already on the list."})
    last = OutcomeType.objects.order_by("-order").values_list("order", flat=True).first() or 0
    return OutcomeType.objects.create(name=name, order=last + 1)


@transaction.atomic
def update_outcome_type(
    outcome: OutcomeType, by: User, *, name: str | None = None, is_active: bool | None = None
) -> OutcomeType:
    if name is not None:
        name = name.strip()
        if not name or OutcomeType.objects.filter(name__iexact=name).exclude(pk=outcome.pk):
            raise ValidationError({"name": f"{name or 'An empty name'} is not available."})
        outcome.name = name
    if is_active is False and not OutcomeType.objects.filter(is_active=True).exclude(pk=outcome.pk):
        raise ValidationError({"is_active": "The list needs at least one active outcome type."})
    if is_active is not None:
        outcome.is_active = is_active
    outcome.save(update_fields=["name", "is_active", "updated_at"])
    return outcome


# --- own-it review ------------------------------------------------------------------------


@transaction.atomic
def write_own_it_review(
    review: OwnItReview,
    by: User,
    *,
    could_have_done_differently: str,
    will_do_next_time: str,
    decisive_reason: LossReason | None,
) -> OwnItReview:
    if by.pk != review.rep_id:
        raise ValidationError({"rep": "Only the rep who lost the deal writes its own-it review."})
    errors: dict[str, str] = {}
    if not could_have_done_differently.strip():
        errors["could_have_done_differently"] = "Say what you could have done differently."
    if not will_do_next_time.strip():
        errors["will_do_next_time"] = "Say what you will do next time."
    # A reason retired since the loss may still be named: it is the one the loss was given.
    given = set(review.loss.reason_links.values_list("reason_id", flat=True))
    if (
        decisive_reason is not None
        and not decisive_reason.is_active
        and decisive_reason.pk not in given
    ):
        errors["decisive_reason"] = f"{decisive_reason} is retired."
    if errors:
        raise ValidationError(errors)
    first_time = review.submitted_at is None
    review.could_have_done_differently = could_have_done_differently.strip()
    review.will_do_next_time = will_do_next_time.strip()
    review.decisive_reason = decisive_reason
    review.submitted_at = review.submitted_at or timezone.now()
    review.save(
        update_fields=[
            "could_have_done_differently",
            "will_do_next_time",
            "decisive_reason",
            "submitted_at",
            "updated_at",
        ]
    )
    if first_time:
        DealEvent.objects.create(
            deal=review.loss.deal,
            kind="own_it_submitted",
            actor=by,
            data={"loss_id": review.loss_id, "summary": "Own-it review written"},
        )
    return review


# --- the customer debrief -----------------------------------------------------------------


def _decision_maker(deal: Deal) -> Contact | None:
    link = (
        deal.deal_contacts.filter(role=ContactRole.DECISION_MAKER).select_related("contact").first()
    )
    return link.contact if link else None


def _debrief_leader(deal: Deal, major: bool) -> User:
    if not major:
        return deal.owner
    manager = deal.team.managers.filter(is_active=True).order_by("pk").first()
    return manager or deal.owner


@transaction.atomic
def schedule_debrief(loss: LossRecord, by: User | None) -> Debrief:
    """Propose the debrief call. An ordinary loss: the rep leads, after the cool-off days. A
    major loss: the rep's manager leads a post-mortem with the rep, is asked to contact the
    customer at once, and the call is proposed for the next business day or later. Never on
    the day the loss was recorded."""
    if hasattr(loss, "debrief"):
        raise ValidationError({"loss": "This loss already has a debrief."})
    deal = loss.deal
    if deal.status != DealStatus.LOST or loss.reopened_at is not None:
        raise ValidationError({"deal": "Only a lost deal gets a customer debrief."})
    org = Organisation.current()
    major = loss.is_major(org)
    leader = _debrief_leader(deal, major)
    today = timezone.localdate()
    base = max(loss.lost_on, today)
    if major:
        contact_due = (
            add_business_days(base, org.post_mortem_contact_days)
            if (org.post_mortem_contact_days)
            else base
        )
        call_day = add_business_days(base, max(1, org.post_mortem_contact_days))
    else:
        call_day = next_business_day_on_or_after(
            loss.lost_on + dt.timedelta(days=org.debrief_cool_off_days)
        )
        if call_day <= today:
            call_day = add_business_days(today, 1)
    debrief = Debrief.objects.create(
        loss=loss,
        kind=DebriefKind.POST_MORTEM if major else DebriefKind.ORDINARY,
        leader=leader,
        proposed_for=_at_hour(call_day, leader),
        customer_contact=_decision_maker(deal),
    )
    participants = {leader.pk, deal.owner_id}
    debrief.participants.set(participants)
    if major:
        follow_up = pipeline_actions.create_follow_up(
            by,
            owner=leader,
            deal=deal,
            kind="post_mortem_request",
            title=f"Ask {deal.customer} for a post-mortem call about {deal.name}",
            detail=(
                "Contact the customer now: say we will not try to change their mind and ask "
                "for 30 minutes to learn why we lost."
            ),
            due_on=contact_due,
        )
        debrief.contact_follow_up = follow_up
        debrief.save(update_fields=["contact_follow_up"])
    DealEvent.objects.create(
        deal=deal,
        kind="debrief_proposed",
        actor=by,
        data={
            "debrief_id": debrief.pk,
            "summary": f"{debrief.get_kind_display()} proposed for {call_day:%d %b %Y}, "
            f"led by {leader}",
        },
    )
    transaction.on_commit(partial(tasks.send_debrief_invite.enqueue, debrief.pk))
    return debrief


def _check_debrief_writer(debrief: Debrief, by: User) -> None:
    is_participant = debrief.leader_id == by.pk or debrief.participants.filter(pk=by.pk).exists()
    if not (is_participant or access.is_admin(by)):
        raise ValidationError(
            {"answered_by": "Only the debrief's leader and participants record its answers."}
        )


def _bump(debrief: Debrief, expected_version: int | None) -> None:
    """Optimistic locking: a second editor working from an old copy gets a clear conflict."""
    if expected_version is not None and expected_version != debrief.version:
        raise ValidationError(
            {
                "version": "Someone else changed this debrief while you were editing it; reload "
                "to see their changes."
            }
        )
    debrief.version += 1


@transaction.atomic
def reschedule_debrief(
    debrief: Debrief,
    by: User,
    *,
    scheduled_for: dt.datetime,
    duration_minutes: int = 30,
    customer_contact: Contact | None = None,
    expected_version: int | None = None,
) -> Debrief:
    debrief = Debrief.objects.select_for_update().get(pk=debrief.pk)
    _check_debrief_writer(debrief, by)
    if not debrief.is_open:
        raise ValidationError({"status": f"This debrief is {debrief.get_status_display()}."})
    if timezone.localdate(scheduled_for) <= debrief.loss.lost_on:
        raise ValidationError(
            {"scheduled_for": "Not on the day the loss was learnt: give both sides perspective."}
        )
    if (
        customer_contact is not None
        and customer_contact.customer_id != debrief.loss.deal.customer_id
    ):
        raise ValidationError({"customer_contact": "That contact works for another customer."})
    _bump(debrief, expected_version)
    # The reminders already queued stay right while the time does: queue new ones only when
    # the call moves, so a new contact or length does not remind the leader twice.
    moved = debrief.when != scheduled_for
    debrief.scheduled_for = scheduled_for
    debrief.duration_minutes = duration_minutes
    debrief.status = DebriefStatus.SCHEDULED
    if customer_contact is not None:
        debrief.customer_contact = customer_contact
    debrief.save()
    if debrief.contact_follow_up_id:
        FollowUp.objects.filter(pk=debrief.contact_follow_up_id, done_at__isnull=True).update(
            done_at=timezone.now()
        )
    transaction.on_commit(partial(tasks.send_debrief_invite.enqueue, debrief.pk, moved))
    return debrief


@dataclass(frozen=True)
class AnswerInput:
    number: int
    answer: str
    question: str = ""


@transaction.atomic
def record_debrief_answers(
    debrief: Debrief,
    by: User,
    answers: Iterable[AnswerInput],
    *,
    customer_decisive_reason: LossReason | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> Debrief:
    """Save the customer's answers, one per question (1–5, or 0 for a question the leader
    added with its own text)."""
    debrief = Debrief.objects.select_for_update().get(pk=debrief.pk)
    _check_debrief_writer(debrief, by)
    if debrief.status in (DebriefStatus.DECLINED, DebriefStatus.CANCELLED):
        raise ValidationError({"status": f"This debrief was {debrief.get_status_display()}."})
    answer_list = list(answers)
    for item in answer_list:
        if item.number < 0 or item.number > len(DEBRIEF_QUESTIONS):
            raise ValidationError({"number": f"There is no question {item.number}."})
        if item.number == 0 and not item.question.strip():
            raise ValidationError({"question": "An added question needs its text."})
    if customer_decisive_reason is not None and not customer_decisive_reason.is_active:
        raise ValidationError(
            {"customer_decisive_reason": f"{customer_decisive_reason} is retired."}
        )
    _bump(debrief, expected_version)
    for item in answer_list:
        text = item.answer.strip()
        if item.number:
            DebriefAnswer.objects.update_or_create(
                debrief=debrief,
                number=item.number,
                defaults={
                    "question": DEBRIEF_QUESTIONS[item.number - 1],
                    "answer": text,
                    "answered_by": by,
                },
            )
        elif text or item.question.strip():
            DebriefAnswer.objects.update_or_create(
                debrief=debrief,
                number=0,
                question=item.question.strip()[:300],
                defaults={"answer": text, "answered_by": by},
            )
    if customer_decisive_reason is not None:
        debrief.customer_decisive_reason = customer_decisive_reason
    if notes is not None:
        debrief.notes = notes.strip()
    debrief.save()
    return debrief


@transaction.atomic
def mark_debrief_held(debrief: Debrief, by: User, *, held_at: dt.datetime | None = None) -> Debrief:
    debrief = Debrief.objects.select_for_update().get(pk=debrief.pk)
    _check_debrief_writer(debrief, by)
    if not debrief.is_open:
        raise ValidationError(
            {"status": f"This debrief is already {debrief.get_status_display()}."}
        )
    held_at = held_at or timezone.now()
    if timezone.localdate(held_at) <= debrief.loss.lost_on:
        raise ValidationError({"held_at": "A debrief is never held the day the loss is learnt."})
    debrief.status = DebriefStatus.HELD
    debrief.held_at = held_at
    debrief.version += 1
    debrief.save()
    DealEvent.objects.create(
        deal=debrief.loss.deal,
        kind="debrief_held",
        actor=by,
        at=held_at,
        data={"debrief_id": debrief.pk, "summary": f"{debrief.get_kind_display()} held"},
    )
    return debrief


@transaction.atomic
def close_debrief(debrief: Debrief, by: User, status: str, note: str = "") -> Debrief:
    """The customer declined, or we cancelled: the debrief ends without answers."""
    if status not in (DebriefStatus.DECLINED, DebriefStatus.CANCELLED):
        raise ValidationError({"status": "Close a debrief as declined or cancelled."})
    debrief = Debrief.objects.select_for_update().get(pk=debrief.pk)
    _check_debrief_writer(debrief, by)
    if not debrief.is_open:
        raise ValidationError(
            {"status": f"This debrief is already {debrief.get_status_display()}."}
        )
    debrief.status = status
    if note.strip():
        debrief.notes = (debrief.notes + "\n\n" + note.strip()).strip()
    debrief.version += 1
    debrief.save()
    transaction.on_commit(partial(tasks.send_debrief_cancellation.enqueue, debrief.pk))
    DealEvent.objects.create(
        deal=debrief.loss.deal,
        kind=f"debrief_{status}",
        actor=by,
        data={
            "debrief_id": debrief.pk,
            "summary": f"Debrief {debrief.get_status_display().lower()}",
        },
    )
    return debrief


# --- lessons ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonInput:
    statement: str
    do_differently: str = ""
    tag_stage: Stage | None = None
    tag_competitor: Competitor | None = None
    tag_segment: str = ""
    tag_product: str = ""
    tag_reason: LossReason | None = None


@transaction.atomic
def record_lesson(
    by: User,
    data: LessonInput,
    *,
    debrief: Debrief | None = None,
    own_it: OwnItReview | None = None,
) -> Lesson:
    """A lesson from a held debrief (its leader or participants) or a written own-it review
    (its rep, or the rep's managers)."""
    errors: dict[str, str] = {}
    if (debrief is None) == (own_it is None):
        raise ValidationError({"source": "A lesson comes from one debrief or one own-it review."})
    if debrief is not None:
        if debrief.status != DebriefStatus.HELD:
            errors["debrief"] = "Lessons come from a debrief once it has been held."
        elif not (
            debrief.leader_id == by.pk
            or debrief.participants.filter(pk=by.pk).exists()
            or access.is_admin(by)
        ):
            errors["author"] = "Only the people in the debrief record its lessons."
        loss = debrief.loss
    else:
        assert own_it is not None
        if own_it.submitted_at is None:
            errors["own_it"] = "Write the own-it review before drawing lessons from it."
        elif not access.can_see_own_it_review(by, own_it):
            errors["author"] = "Only the rep and their managers draw lessons from this review."
        loss = own_it.loss
    if not data.statement.strip():
        errors["statement"] = "Say the lesson in one sentence."
    if errors:
        raise ValidationError(errors)
    lesson = Lesson.objects.create(
        loss=loss,
        source=LessonSource.DEBRIEF if debrief is not None else LessonSource.OWN_IT,
        debrief=debrief,
        own_it=own_it,
        team=loss.deal.team,
        author=by,
        statement=data.statement.strip()[:300],
        do_differently=data.do_differently.strip(),
        tag_stage=data.tag_stage or loss.stage_at_loss,
        tag_competitor=data.tag_competitor,
        tag_segment=data.tag_segment or loss.deal.customer.segment,
        tag_product=data.tag_product,
        tag_reason=data.tag_reason or loss.primary_reason,
    )
    DealEvent.objects.create(
        deal=loss.deal,
        kind="lesson_recorded",
        actor=by,
        data={"lesson_id": lesson.pk, "summary": f"Lesson: {lesson.statement}"},
    )
    return lesson
