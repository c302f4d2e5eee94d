"""The demo organisation's meetings, relationships and learning, generated after its deals and
loss loop from the same seed, and written the same way: rows in memory, bulk INSERTs (COPY on
PostgreSQL), never an action per row.

Meetings: the team plans its significant meetings in Debrief since MEETINGS_SINCE_DAYS ago,
so the deals active since then have one to four (call, video, on site; the rep, sometimes a
solutions consultant or the manager; the deal's contacts), and a quarter of the open deals
one in the next two weeks; every rep has one tomorrow with a sufficient plan and one without.
Plans are filled unevenly, large deals' more fully. Past meetings mostly have their outcome,
and most of those are "no outcome": fewer than one in five advanced the deal or qualified it
out. An advance's commitment becomes the deal's next step, as `record_outcome` does; a
qualified-out meeting is the last one of a lost deal. About one meeting in sixteen is flagged
bad, with causes, consequences, their recovery steps (follow-ups) and the "maybe or prolonged
no" decision.

Relationships: every customer has one. Most stay intact; a damaging loss or a bad meeting that
damaged it makes it strained, and each such episode then mends in weeks, months or over a
year (recovering with a plan of touchpoints, then restored, with the days it took), breaks,
is lost for good, or is still being worked on; every change is an event row, some accounts
change rep, and some have a re-engagement date with its follow-up.

Learning: each team ran three retros on lost deals (two closed, one under way) in groups of
three, proposed, merged and voted; the accepted proposals became practices, most published,
one a draft, and one older practice retired. Each practice was matched, with the real
`matching.explain`, to the deals open since it was published; the matches are suggested,
applied, not relevant or expired, and applied more often on the deals that went on to be won,
so the "did it work?" view has something to show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection

from debrief.demo import words
from debrief.learning import matching
from debrief.learning.models import (
    BestPractice,
    DealWords,
    PracticeEvent,
    PracticeMatch,
    Proposal,
    ProposalStatus,
    Retro,
    RetroGroup,
    RetroStatus,
    Vote,
)
from debrief.learning.queries import PLAN_TEXT_FIELDS
from debrief.losses.models import Debrief, Lesson, LossReason, LossRecord
from debrief.meetings.models import (
    BALANCE_OF_VALUE,
    DECISION_DAYS,
    PLAN_PROMPTS,
    RECOVERY_STEPS,
    SHORT_PLAN,
    UPFRONT_CONTRACT,
    BadMeeting,
    BadMeetingCauseRow,
    BadMeetingConsequenceRow,
    Meeting,
    MeetingOutcome,
    MeetingPlan,
    OutcomeResult,
)
from debrief.org import actions as org_actions
from debrief.org.models import Organisation, Team, User
from debrief.pipeline.models import Competitor, DealEvent, DealStatus, FollowUp, Product, Stage
from debrief.relationships.models import Relationship, RelationshipEvent, Touchpoint

if TYPE_CHECKING:
    from debrief.demo.generate import _Builder, _CustomerPlan, _DealPlan

UTC = dt.UTC
# How matching splits a text into words (matching.stems then lower-cases and stems each).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

MEETING_COLUMNS = [
    "id",
    "deal",
    "title",
    "starts_at",
    "duration_minutes",
    "mode",
    "location",
    "created_by",
    "version",
    "created_at",
]
PLAN_FIELDS = [
    *(f for f, _ in PLAN_PROMPTS),
    *(f for f, _ in UPFRONT_CONTRACT),
    *(f for f, _ in BALANCE_OF_VALUE),
]
FULL_PLAN = (*PLAN_FIELDS, "contract_no_is_ok")
PLAN_COLUMNS = ["meeting", *PLAN_FIELDS, "contract_no_is_ok", "author", "version", "created_at"]
OUTCOME_COLUMNS = [
    "meeting",
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
    "recorded_by",
    "created_at",
]
BAD_COLUMNS = [
    "id",
    "meeting",
    "note",
    "other_cause",
    "flagged_by",
    "flagged_at",
    "decision",
    "decision_due_on",
    "decided_at",
    "decision_note",
    "digest_sent_at",
    "created_at",
]
RELATIONSHIP_COLUMNS = [
    "id",
    "customer",
    "status",
    "status_since",
    "damaged_since",
    "re_engage_on",
    "re_engage_note",
    "re_engage_follow_up",
    "version",
    "created_at",
]
REL_EVENT_COLUMNS = [
    "relationship",
    "kind",
    "from_status",
    "to_status",
    "reason",
    "actor",
    "at",
    "data",
]
TOUCHPOINT_COLUMNS = [
    "relationship",
    "order",
    "kind",
    "description",
    "due_on",
    "owner",
    "done_at",
    "outcome_note",
    "created_at",
]
MATCH_COLUMNS = [
    "practice",
    "deal",
    "status",
    "score",
    "reasons",
    "note",
    "decided_by",
    "decided_at",
    "created_at",
    "updated_at",
]
PRACTICE_EVENT_COLUMNS = ["practice", "kind", "actor", "at", "data"]
EVENT_COLUMNS = ["deal", "kind", "actor", "at", "from_value", "to_value", "data"]
# The tables filled here, for fresh planner statistics after the load.
FOLLOW_THROUGH_MODELS: tuple[type[Any], ...] = (
    Meeting,
    Meeting.our_attendees.through,
    Meeting.customer_contacts.through,
    MeetingPlan,
    MeetingOutcome,
    BadMeeting,
    BadMeetingCauseRow,
    BadMeetingConsequenceRow,
    Relationship,
    RelationshipEvent,
    Touchpoint,
    PracticeMatch,
    PracticeEvent,
    DealWords,
)


@dataclass
class FollowThroughSummary:
    meetings: int = 0
    upcoming: int = 0
    soon: int = 0
    soon_without_plan: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    bad_meetings: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    recovery_steps: int = 0
    relationships: Counter[str] = field(default_factory=Counter)
    relationship_events: int = 0
    touchpoints: int = 0
    touchpoints_open: int = 0
    rep_changes: int = 0
    re_engagements: int = 0
    retros: int = 0
    proposals: int = 0
    votes: int = 0
    practices: Counter[str] = field(default_factory=Counter)
    matches: Counter[str] = field(default_factory=Counter)


@dataclass
class _Damage:
    at: dt.datetime
    by: int
    reason: str


@dataclass
class _Rows:
    meetings: list[tuple[Any, ...]] = field(default_factory=list)
    attendees: list[tuple[int, int]] = field(default_factory=list)
    contacts: list[tuple[int, int]] = field(default_factory=list)
    plans: list[tuple[Any, ...]] = field(default_factory=list)
    outcomes: list[tuple[Any, ...]] = field(default_factory=list)
    bad: list[tuple[Any, ...]] = field(default_factory=list)
    causes: list[tuple[Any, ...]] = field(default_factory=list)
    consequences: list[tuple[Any, ...]] = field(default_factory=list)
    follow_ups: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)

    def event(self, deal: int, kind: str, actor: int, at: dt.datetime, **data: Any) -> None:
        self.events.append((deal, kind, actor, at, "", "", data))


class FollowThrough:
    """Builds on a `_Builder` that has loaded the people, deals and losses."""

    def __init__(self, builder: _Builder) -> None:
        from debrief.demo import generate

        self.g = generate
        self.b = builder
        # A stream of its own: the deals and loss loop of a seed stay what they were.
        self.rng = random.Random(f"{builder.summary.seed}:follow-through")
        self.summary = FollowThroughSummary()
        self.org = Organisation.current()
        self.end = builder.end
        self.today = builder.today
        self.open_index = {s.pk: i for i, s in enumerate(builder.open_stages)}
        self.consultants: dict[str, int] = {}
        self.words_cache: dict[str, frozenset[str]] = {}
        self.stem_cache: dict[str, str] = {}
        # deal id -> the texts matching reads (plans and outcomes), and its final next step
        self.deal_texts: dict[int, list[str]] = {}
        self.next_steps: dict[int, tuple[str, dt.date | None]] = {}
        self.damage: dict[int, list[_Damage]] = {}

    def build(self) -> FollowThroughSummary:
        """Everything, in the order the rows need each other (`load_demo` times the steps)."""
        self.people()
        self.meetings()
        self.relationships()
        self.learning()
        return self.summary

    # --- people ----------------------------------------------------------------------------

    def people(self) -> None:
        """The solutions consultants, through the action like the other users, with the
        demo password's hash copied from a colleague (hashing again takes most of a second)."""
        from debrief.demo.generate import email_for

        teams = {t.name: t for t in Team.objects.filter(name__in=words.TEAMS)}
        password = User.objects.filter(pk__in=self.b.names).values_list("password", flat=True)[0]
        for full_name, role, team, zone in words.CONSULTANTS:
            user = org_actions.create_user(
                None,
                email=email_for(full_name),
                full_name=full_name,
                role=role,
                teams=[teams[team]],
                time_zone=zone,
            )
            User.objects.filter(pk=user.pk).update(password=password)
            self.consultants[team] = user.pk
            self.b.names[user.pk] = full_name
            self.b.zones[user.pk] = zone
        self.b.summary.users += len(words.CONSULTANTS)

    # --- meetings --------------------------------------------------------------------------

    def _at(self, day: dt.date, team: str) -> dt.datetime:
        """A half-hour slot of the team's working day."""
        start = words.WORKDAY_START_UTC[team]
        slot = self.rng.randrange(0, 16)
        return dt.datetime.combine(day, dt.time(), tzinfo=UTC) + dt.timedelta(
            hours=start + slot / 2
        )

    def _fill(self, plan: _DealPlan) -> dict[str, str]:
        contact = self.b.contact_names.get(plan.contact or 0, "")
        competitor = (
            self.b.competitor_names[plan.competitors[0]] if plan.competitors else "the incumbent"
        )
        return {
            "contact": contact.split()[0] if contact else "the sponsor",
            "customer": plan.customer.short_name,
            "product": plan.headline,
            "competitor": competitor,
        }

    def meetings(self) -> None:
        b = self.b
        since = self.end - dt.timedelta(days=words.MEETINGS_SINCE_DAYS)
        ids = {m: self.g._next_id(m) for m in (Meeting, BadMeeting, FollowUp)}
        # Every rep has a meeting tomorrow with a sufficient plan and one without: their home
        # page shows both. The first open deals of each rep carry them.
        soon: dict[int, bool] = {}
        wanted: dict[int, list[bool]] = {r: [True, False] for rs in b.reps.values() for r in rs}
        for plan in b.deal_plans:
            if plan.outcome == DealStatus.OPEN and wanted.get(plan.owner):
                soon[plan.deal_id] = wanted[plan.owner].pop()
        rows = _Rows()
        for start in range(0, len(b.deal_plans), self.g.BATCH):
            for plan in b.deal_plans[start : start + self.g.BATCH]:
                self._deal_meetings(plan, since, ids, rows, soon.get(plan.deal_id))
            self._write_meetings(rows)
            rows = _Rows()
        self._update_next_steps()
        self.g._reset_sequences(Meeting, BadMeeting, FollowUp)

    def _deal_meetings(
        self,
        plan: _DealPlan,
        since: dt.datetime,
        ids: dict[type[Any], int],
        rows: _Rows,
        soon: bool | None,
    ) -> None:
        rng = self.rng
        active_from = max(plan.created, since)
        active_to = plan.closed_at or self.end
        final = self.open_index.get(
            plan.stage if plan.outcome == DealStatus.OPEN else plan.stage_before_close, 0
        )
        times: list[dt.datetime] = []
        if active_to - active_from > 2 * DAY:
            base = [0, 1, 1, 2, 2][min(final, 4)] + (plan.outcome == DealStatus.WON)
            base += rng.random() < 0.35
            life = (active_to - plan.created).total_seconds()
            share = (active_to - active_from).total_seconds() / life if life > 0 else 1.0
            count = sum(rng.random() < share for _ in range(base))
            span = (active_to - active_from).total_seconds() - 3 * 3600
            for _ in range(count):
                day = (active_from + dt.timedelta(seconds=span * rng.random())).date()
                at = self._at(day, plan.customer.team)
                if active_from < at < active_to - HOUR:
                    times.append(at)
        times.sort()
        qualified_out = False
        if (
            plan.outcome == DealStatus.LOST
            and plan.closed_at is not None
            and plan.closed_at - active_from > DAY
            and rng.random() < words.QUALIFY_OUT_SHARE
        ):
            qualified_out = True
            times.append(plan.closed_at - dt.timedelta(hours=rng.uniform(1, 3)))
        for index, at in enumerate(times):
            created = self._lives(plan, at)
            stage = round(final * (at - plan.created) / max(active_to - plan.created, HOUR))
            last_qo = qualified_out and index == len(times) - 1
            self._meeting(plan, at, created, stage, rows, ids, sufficient=None, qo=last_qo)
        if plan.outcome == DealStatus.OPEN:
            if soon is not None:
                at = self._at(self.today + DAY, plan.customer.team)
                self._meeting(plan, at, self._lives(plan, at), final, rows, ids, sufficient=soon)
            elif rng.random() < words.UPCOMING_SHARE:
                at = self._at(
                    self.today + dt.timedelta(days=rng.randint(1, 13)), plan.customer.team
                )
                self._meeting(plan, at, self._lives(plan, at), final, rows, ids, sufficient=None)

    def _lives(self, plan: _DealPlan, at: dt.datetime) -> dt.datetime:
        """When a meeting at `at` was put in the calendar: a few days before, after the deal
        was created and before the history ends."""
        created = at - dt.timedelta(hours=self.rng.uniform(20, 240))
        created = max(created, plan.created + dt.timedelta(minutes=10))
        return min(created, at - dt.timedelta(minutes=30), self.end - dt.timedelta(minutes=5))

    def _meeting(
        self,
        plan: _DealPlan,
        at: dt.datetime,
        created: dt.datetime,
        stage: int,
        rows: _Rows,
        ids: dict[type[Any], int],
        *,
        sufficient: bool | None,
        qo: bool = False,
    ) -> None:
        rng = self.rng
        b = self.b
        customer = plan.customer
        large = plan.amount >= self.org.full_plan_threshold
        meeting_id = ids[Meeting]
        ids[Meeting] += 1
        self.summary.meetings += 1
        fill = self._fill(plan)
        modes = dict(words.MODES)
        if large:
            modes["on_site"] *= 2.5
        mode = self.g._weighted(rng, modes)
        duration = {"call": rng.choice([30, 30, 45]), "video": rng.choice([45, 60])}.get(
            mode, rng.choice([90, 120])
        )
        token = rng.randrange(16**6)
        location = {
            "video": f"https://meet.brightline.example/{self.g._slug(customer.short_name)}-{token:06x}",
            "on_site": f"{customer.name}, {customer.region}",
        }.get(mode, "")
        kind = rng.choice(words.MEETING_TITLES[min(stage, len(words.MEETING_TITLES) - 1)])
        title = f"{kind} – {customer.short_name}"[:200]
        owner = plan.owner
        rows.meetings.append(
            (meeting_id, plan.deal_id, title, at, duration, mode, location, owner, 1, created)
        )
        attendees = [owner]
        if rng.random() < (0.45 if large else 0.15):
            attendees.append(self.consultants[customer.team])
        if large and rng.random() < 0.3:
            attendees.append(b.managers[customer.team])
        rows.attendees += [(meeting_id, u) for u in attendees]
        people = plan.contacts or customer.contacts
        for contact in rng.sample(people, min(len(people), rng.choice([1, 1, 2]))):
            rows.contacts.append((meeting_id, contact))
        rows.event(
            plan.deal_id,
            "meeting_scheduled",
            owner,
            created,
            meeting_id=meeting_id,
            summary=f"Meeting planned: {title}",
        )
        upcoming = at >= self.end
        if upcoming:
            self.summary.upcoming += 1
            if sufficient is not None:
                self.summary.soon += 1
                self.summary.soon_without_plan += not sufficient
        answers = self._plan(large, sufficient, fill, upcoming)
        texts = self.deal_texts.setdefault(plan.deal_id, [])
        texts += [answers[f] for f in PLAN_TEXT_FIELDS if answers.get(f)]
        filled = any(answers.values())
        rows.plans.append(
            (
                meeting_id,
                *(answers.get(f, "") for f in PLAN_FIELDS),
                bool(answers.get("contract_no_is_ok")),
                owner,
                1 + filled + (rng.random() < 0.4),
                created,
            )
        )
        if upcoming:
            return
        self._outcome(plan, meeting_id, title, at, duration, fill, rows, qo)
        if not qo and rng.random() < words.BAD_SHARE:
            self._bad(plan, meeting_id, title, at + dt.timedelta(minutes=duration), fill, rows, ids)

    def _plan(
        self, large: bool, sufficient: bool | None, fill: dict[str, str], upcoming: bool
    ) -> dict[str, Any]:
        """The plan's answers. Large deals need all of it and get fuller plans; small ones
        need the purpose, best outcome and fall-back."""
        rng = self.rng
        if sufficient is None:
            chance = 0.45 if large else 0.7
            sufficient = rng.random() < (chance * 0.8 if upcoming else chance)
        required: Sequence[str] = FULL_PLAN if large else SHORT_PLAN
        if sufficient:
            chosen = set(required)
            for f in FULL_PLAN:
                if f not in chosen and rng.random() < 0.3:
                    chosen.add(f)
        elif rng.random() < 0.2:
            chosen = set()  # never opened
        else:
            chosen = {f for f in FULL_PLAN if rng.random() < (0.6 if large else 0.35)}
            chosen.discard(rng.choice(list(required)))
        answers: dict[str, Any] = {}
        for f in FULL_PLAN:  # in a fixed order: a set's order changes between processes
            if f not in chosen:
                continue
            if f == "contract_no_is_ok":
                answers[f] = True
            else:
                answers[f] = rng.choice(words.PLAN_TEXT[f]).format(**fill)
        return answers

    def _outcome(
        self,
        plan: _DealPlan,
        meeting_id: int,
        title: str,
        at: dt.datetime,
        duration: int,
        fill: dict[str, str],
        rows: _Rows,
        qo: bool,
    ) -> None:
        rng = self.rng
        ended = at + dt.timedelta(minutes=duration)
        if qo:
            assert plan.closed_at is not None
            recorded = plan.closed_at
        else:
            recent = self.end - ended < dt.timedelta(days=7)
            chance = words.OUTCOME_RECORDED_LAST_WEEK if recent else words.OUTCOME_RECORDED
            recorded = ended + dt.timedelta(hours=rng.uniform(0.3, 30))
            if plan.closed_at is not None:
                recorded = min(recorded, plan.closed_at - dt.timedelta(minutes=1))
            if rng.random() >= chance or recorded >= self.end or recorded <= ended:
                return
        advance: float = {
            str(DealStatus.WON): words.ADVANCE_SHARE_WON,
            str(DealStatus.LOST): words.ADVANCE_SHARE_LOST,
        }.get(plan.outcome, words.ADVANCE_SHARE)
        what = who = discovery = why = note = said = ""
        by: dt.date | None = None
        if qo:
            result = OutcomeResult.QUALIFIED_OUT
            why = rng.choice(words.QUALIFIED_OUT_WHY).format(**fill)
            compared = self.g._weighted(rng, {"best": 0.5, "fallback": 0.4, "neither": 0.1})
            valuable = self.g._weighted(rng, {"yes": 0.5, "unsure": 0.35, "no": 0.15})
        elif rng.random() < advance:
            result = OutcomeResult.ADVANCE
            if rng.random() < 0.7:
                what = rng.choice(words.COMMITMENTS)
                contact = self.b.contact_names.get(plan.contact or 0, "")
                who = contact or self.b.names[plan.owner]
                by = recorded.date() + dt.timedelta(days=rng.randint(3, 21))
                if plan.outcome == DealStatus.OPEN:
                    self.next_steps[plan.deal_id] = (f"{what} ({who})"[:300], by)
            else:
                discovery = rng.choice(words.DISCOVERIES).format(**fill)
            compared = self.g._weighted(rng, {"best": 0.6, "fallback": 0.4})
            valuable = self.g._weighted(rng, {"yes": 0.7, "unsure": 0.25, "no": 0.05})
        else:
            result = OutcomeResult.NO_OUTCOME
            note = rng.choice(words.NO_OUTCOME_NOTES).format(**fill)
            compared = self.g._weighted(rng, {"neither": 0.7, "fallback": 0.3})
            valuable = self.g._weighted(rng, {"yes": 0.2, "unsure": 0.4, "no": 0.4})
        if rng.random() < 0.3:
            said = (
                valuable
                if rng.random() < 0.7
                else self.g._weighted(rng, {"yes": 0.3, "unsure": 0.4, "no": 0.3})
            )
        rows.outcomes.append(
            (
                meeting_id,
                result,
                what,
                who[:150],
                by,
                discovery,
                why,
                note,
                compared,
                valuable,
                said,
                plan.owner,
                recorded,
            )
        )
        self.summary.outcomes[result] += 1
        self.deal_texts.setdefault(plan.deal_id, []).extend(
            t for t in (what, discovery, why, note) if t
        )
        label = OutcomeResult(result).label
        rows.event(
            plan.deal_id,
            "meeting_outcome",
            plan.owner,
            recorded,
            meeting_id=meeting_id,
            result=result,
            summary=f"Meeting outcome: {label} — {title}",
        )

    def _bad(
        self,
        plan: _DealPlan,
        meeting_id: int,
        title: str,
        ended: dt.datetime,
        fill: dict[str, str],
        rows: _Rows,
        ids: dict[type[Any], int],
    ) -> None:
        rng = self.rng
        flagged = ended + dt.timedelta(hours=rng.uniform(1, 48))
        if plan.closed_at is not None:
            flagged = min(flagged, plan.closed_at - dt.timedelta(minutes=5))
        if flagged >= self.end or flagged <= ended:
            return
        bad_id = ids[BadMeeting]
        ids[BadMeeting] += 1
        self.summary.bad_meetings += 1
        owner = plan.owner
        causes = list(
            dict.fromkeys(
                self.g._weighted(rng, words.BAD_CAUSES) for _ in range(rng.choice([1, 1, 2]))
            )
        )
        consequences = list(
            dict.fromkeys(
                self.g._weighted(rng, words.BAD_CONSEQUENCES) for _ in range(rng.choice([1, 1, 2]))
            )
        )
        note = rng.choice(words.BAD_NOTES[causes[0]]).format(**fill)
        other = rng.choice(words.OTHER_CAUSES) if "other" in causes else ""
        flagged_on = flagged.date()
        due = flagged_on + dt.timedelta(days=DECISION_DAYS)
        # The decision: a lost deal closed soon after was a prolonged no; otherwise, once the
        # fortnight has passed, most stayed in; the latest wait.
        decision, decided_at, decision_note = "pending", None, ""
        closed_soon = (
            plan.outcome == DealStatus.LOST
            and plan.closed_at is not None
            and plan.closed_at - flagged < dt.timedelta(days=45)
        )
        if closed_soon and rng.random() < 0.7:
            assert plan.closed_at is not None
            decision, decided_at = "qualify_out", plan.closed_at
            decision_note = rng.choice(words.QUALIFY_OUT_NOTES).format(**fill)
        else:
            limit = min(plan.closed_at or self.end, self.end)
            decided = flagged + dt.timedelta(days=rng.uniform(1, DECISION_DAYS))
            if decided < limit and rng.random() < (0.88 if due < self.today else 0.4):
                decision, decided_at = "stay_in", decided
                decision_note = rng.choice(words.STAY_IN_NOTES).format(**fill)
        self.summary.decisions[decision] += 1
        digest = None
        if {"misalignment", "quality"} & set(causes):
            monday = flagged_on + dt.timedelta(days=7 - flagged_on.weekday())
            sent = dt.datetime.combine(monday, dt.time(8), tzinfo=UTC)
            digest = sent if sent < self.end else None
        rows.bad.append(
            (
                bad_id,
                meeting_id,
                note,
                other,
                owner,
                flagged,
                decision,
                due,
                decided_at,
                decision_note,
                digest,
                flagged,
            )
        )
        rows.causes += [(bad_id, c) for c in causes]
        for consequence in consequences:
            step_title, detail, days = RECOVERY_STEPS[consequence]
            step_due = flagged_on + dt.timedelta(days=days)
            done = None
            finish = flagged + dt.timedelta(days=days * rng.uniform(0.3, 1.3))
            if finish < self.end and rng.random() < 0.8:
                done = finish
            follow_up = ids[FollowUp]
            ids[FollowUp] += 1
            rows.follow_ups.append(
                (
                    follow_up,
                    owner,
                    plan.deal_id,
                    plan.customer.pk,
                    f"recovery:{consequence}",
                    step_title,
                    detail,
                    step_due,
                    done,
                    owner,
                    flagged,
                )
            )
            rows.consequences.append((bad_id, consequence, follow_up))
            self.summary.recovery_steps += 1
            if consequence == "relationship_damaged":
                self.damage.setdefault(plan.customer.pk, []).append(
                    _Damage(flagged, owner, f"Bad meeting: {title}"[:300])
                )
        rows.event(
            plan.deal_id,
            "bad_meeting",
            owner,
            flagged,
            meeting_id=meeting_id,
            causes=causes,
            consequences=consequences,
            summary=f"Bad meeting flagged: {title}",
        )
        if decided_at is not None:
            label = {
                "stay_in": "Still a real maybe: stay in",
                "qualify_out": "A prolonged no: qualify out",
            }[decision]
            rows.event(
                plan.deal_id,
                "bad_meeting_decision",
                owner,
                decided_at,
                summary=f"After the bad meeting: {label}",
            )

    def _write_meetings(self, rows: _Rows) -> None:
        insert = self.g._insert
        insert(Meeting, MEETING_COLUMNS, rows.meetings)
        insert(Meeting.our_attendees.through, ["meeting", "user"], rows.attendees)
        insert(Meeting.customer_contacts.through, ["meeting", "contact"], rows.contacts)
        insert(MeetingPlan, PLAN_COLUMNS, rows.plans)
        insert(MeetingOutcome, OUTCOME_COLUMNS, rows.outcomes)
        insert(FollowUp, self.g.FOLLOW_UP_COLUMNS, rows.follow_ups)
        insert(BadMeeting, BAD_COLUMNS, rows.bad)
        insert(BadMeetingCauseRow, ["bad_meeting", "cause"], rows.causes)
        insert(
            BadMeetingConsequenceRow,
            ["bad_meeting", "consequence", "recovery_step"],
            rows.consequences,
        )
        insert(DealEvent, EVENT_COLUMNS, rows.events)
        self.b.summary.events += len(rows.events)

    def _update_next_steps(self) -> None:
        """An advance's commitment is the open deal's next step, as `record_outcome` leaves it."""
        if not self.next_steps:
            return
        from debrief.pipeline.models import Deal

        table = connection.ops.quote_name(Deal._meta.db_table)
        params = [
            (text, connection.ops.adapt_datefield_value(day), pk)
            for pk, (text, day) in sorted(self.next_steps.items())
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET next_step = %s, next_step_date = %s WHERE id = %s", params
            )
        by_id = {p.deal_id: p for p in self.b.deal_plans}
        for pk, (text, _) in self.next_steps.items():
            by_id[pk].next_step = text

    # --- relationships -----------------------------------------------------------------------

    def relationships(self) -> None:
        rng = self.rng
        b = self.b
        parted_well: list[int] = []
        for plan in b.deal_plans:
            if plan.outcome == DealStatus.LOST and plan.closed_at is not None:
                major = plan.amount >= self.org.major_deal_threshold
                chance = words.DAMAGING_MAJOR_LOSS if major else words.DAMAGING_LOSS
                if rng.random() < chance:
                    self.damage.setdefault(plan.customer.pk, []).append(
                        _Damage(plan.closed_at, plan.owner, f"Lost {plan.name}"[:300])
                    )
                else:
                    parted_well.append(plan.deal_id)
        # The rep's answer on each loss matches: only the damaging ones strained a relationship.
        for start in range(0, len(parted_well), 5_000):
            LossRecord.objects.filter(deal_id__in=parted_well[start : start + 5_000]).update(
                relationship_damaged=False
            )
        contacts_of = {}
        for plan in b.deal_plans:
            if plan.contact and plan.customer.pk not in contacts_of:
                contacts_of[plan.customer.pk] = plan.contact
        first = self.g._next_id(Relationship)
        follow_up_id = self.g._next_id(FollowUp)
        relationships: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        touchpoints: list[tuple[Any, ...]] = []
        follow_ups: list[tuple[Any, ...]] = []
        for index, customer in enumerate(b.plans):
            rel_id = first + index
            contact = b.contact_names.get(
                contacts_of.get(customer.pk) or (customer.contacts or [0])[0], ""
            )
            fill = {"contact": contact.split()[0] if contact else "the sponsor"}
            state = _RelState(customer.created or self.end - dt.timedelta(days=1000))
            damages = sorted(self.damage.get(customer.pk, []), key=lambda d: d.at)
            for i, damage in enumerate(damages):
                until = damages[i + 1].at if i + 1 < len(damages) else self.end
                self._episode(customer, rel_id, state, damage, until, fill, events, touchpoints)
            re_engage: tuple[dt.date, str, int] | None = None
            want = state.status == "lost_for_good" or (
                state.status in ("strained", "broken") and rng.random() < 0.4
            )
            if want:
                soon = rng.random() < 0.35
                day = (
                    self.today + dt.timedelta(days=rng.randint(3, 28))
                    if soon
                    else self._next_fiscal_year()
                )
                note = rng.choice(words.RE_ENGAGE_NOTES)
                set_at = max(state.since, self.end - dt.timedelta(days=rng.randint(2, 60)))
                set_at = min(set_at + HOUR, self.end - dt.timedelta(minutes=1))
                owner = customer.owner
                follow_ups.append(
                    (
                        follow_up_id,
                        owner,
                        None,
                        customer.pk,
                        "re_engagement",
                        f"Re-engage {customer.name}"[:200],
                        note,
                        day,
                        None,
                        owner,
                        set_at,
                    )
                )
                events.append(
                    (
                        rel_id,
                        "re_engagement_set",
                        "",
                        "",
                        note,
                        owner,
                        set_at,
                        {"on": day.isoformat()},
                    )
                )
                re_engage = (day, note, follow_up_id)
                follow_up_id += 1
                state.version += 1
                self.summary.re_engagements += 1
            self.summary.relationships[state.status] += 1
            relationships.append(
                (
                    rel_id,
                    customer.pk,
                    state.status,
                    state.since,
                    state.damaged_since,
                    re_engage[0] if re_engage else None,
                    re_engage[1] if re_engage else "",
                    re_engage[2] if re_engage else None,
                    state.version,
                    state.created,
                )
            )
        insert = self.g._insert
        insert(FollowUp, self.g.FOLLOW_UP_COLUMNS, follow_ups)
        insert(Relationship, RELATIONSHIP_COLUMNS, relationships)
        insert(RelationshipEvent, REL_EVENT_COLUMNS, events)
        insert(Touchpoint, TOUCHPOINT_COLUMNS, touchpoints)
        self.summary.relationship_events = len(events)
        self.summary.touchpoints = len(touchpoints)
        self.summary.touchpoints_open = sum(1 for t in touchpoints if t[6] is None)
        self.g._reset_sequences(Relationship, FollowUp)

    def _next_fiscal_year(self) -> dt.date:
        month = self.org.fiscal_year_start_month
        candidate = dt.date(self.today.year, month, 1)
        return candidate if candidate > self.today else dt.date(self.today.year + 1, month, 1)

    def _episode(
        self,
        customer: _CustomerPlan,
        rel_id: int,
        state: _RelState,
        damage: _Damage,
        until: dt.datetime,
        fill: dict[str, str],
        events: list[tuple[Any, ...]],
        touchpoints: list[tuple[Any, ...]],
    ) -> None:
        """One episode of damage: strained at once, then what the draw says, as far as it got
        before the next damage or the end of the history."""
        rng = self.rng
        if state.status in ("strained", "broken", "lost_for_good"):
            return  # already as bad as it gets: the damage changes nothing
        state.change("strained", damage.at, damage.by, damage.reason, rel_id, events)
        fates = words.MEND_FATES
        fate, _, low, high = rng.choices(fates, [f[1] for f in fates])[0]
        start = damage.at
        steps: list[tuple[dt.datetime, str, str]] = []
        recovering_at: dt.datetime | None = None
        restored_at: dt.datetime | None = None
        if fate in ("weeks", "months", "over_a_year"):
            mend = dt.timedelta(days=rng.uniform(low, high))
            if rng.random() < 0.2:
                steps.append(
                    (
                        start + dt.timedelta(days=rng.uniform(2, 10)),
                        "broken",
                        "No reply to three calls",
                    )
                )
            recovering_at = start + mend * rng.uniform(0.1, 0.35)
            restored_at = start + mend
            steps.append((recovering_at, "recovering", "Recovery plan started"))
            steps.append((restored_at, "restored", "They are talking to us again"))
        elif fate == "lost_for_good":
            broken_at = start + dt.timedelta(days=rng.uniform(5, 20))
            steps.append((broken_at, "broken", "They asked us not to call"))
            steps.append(
                (
                    broken_at + dt.timedelta(days=rng.uniform(60, 200)),
                    "lost_for_good",
                    "Signed a three-year contract elsewhere",
                )
            )
        else:
            if rng.random() < 0.3:
                steps.append(
                    (
                        start + dt.timedelta(days=rng.uniform(3, 15)),
                        "broken",
                        "The sponsor stopped answering",
                    )
                )
            if rng.random() < 0.55:
                recovering_at = start + dt.timedelta(days=rng.uniform(5, 40))
                steps.append((recovering_at, "recovering", "Recovery plan started"))
        steps.sort(key=lambda s: s[0])
        limit = min(until, self.end)
        owner = customer.owner
        for at, status, reason in steps:
            if at >= limit:
                break
            if status == "recovering":
                self._recovery_plan(
                    customer, rel_id, state, at, restored_at, limit, fill, events, touchpoints
                )
            state.change(status, at, owner, reason, rel_id, events)

    def _recovery_plan(
        self,
        customer: _CustomerPlan,
        rel_id: int,
        state: _RelState,
        at: dt.datetime,
        restored_at: dt.datetime | None,
        limit: dt.datetime,
        fill: dict[str, str],
        events: list[tuple[Any, ...]],
        touchpoints: list[tuple[Any, ...]],
    ) -> None:
        """Two to four touchpoints from the day the plan started: the ones before the mend
        or the end of the history done, the rest due."""
        rng = self.rng
        b = self.b
        team = customer.team
        if rng.random() < 0.15:
            # A change of rep, as part of the recovery.
            others = [r for r in b.reps[team] if r != customer.owner]
            if others:
                before = rng.choice(others)
                reason = rng.choice(words.REP_CHANGE_REASONS).format(**fill)
                events.append(
                    (
                        rel_id,
                        "rep_changed",
                        "",
                        "",
                        reason,
                        b.managers[team],
                        at,
                        {
                            "from": b.names[before],
                            "to": b.names[customer.owner],
                            "moved_deal_ids": [],
                        },
                    )
                )
                state.version += 1
                self.summary.rep_changes += 1
        chosen = rng.sample(words.TOUCHPOINTS, rng.randint(2, 4))
        due = at.date()
        end = restored_at or limit
        for order, (kind, text) in enumerate(chosen, start=1):
            due += dt.timedelta(days=rng.randint(3, 21))
            owner = customer.owner if rng.random() < 0.8 else b.managers[team]
            done_at = None
            note = ""
            when = dt.datetime.combine(due, dt.time(), tzinfo=UTC) + dt.timedelta(
                hours=words.WORKDAY_START_UTC[team] + rng.uniform(0, 8) + 24 * rng.randint(-2, 2)
            )
            when = max(when, at + HOUR)
            if restored_at is not None and when >= restored_at and order > 1:
                break  # mended before the rest was needed
            if when < min(end, limit) and (restored_at is not None or rng.random() < 0.85):
                done_at = when
                note = rng.choice(words.TOUCHPOINT_NOTES).format(**fill)
                events.append(
                    (
                        rel_id,
                        "touchpoint_done",
                        "",
                        "",
                        f"{kind}: {text.format(**fill)}"[:300],
                        owner,
                        when,
                        {},
                    )
                )
            touchpoints.append(
                (rel_id, order, kind, text.format(**fill)[:300], due, owner, done_at, note, at)
            )

    # --- learning ----------------------------------------------------------------------------

    def learning(self) -> None:
        from debrief.learning.actions import group_sizes

        rng = self.rng
        b = self.b
        stages = {s.name: s for s in Stage.objects.filter(is_active=True)}
        competitors = {c.name: c for c in Competitor.objects.filter(pk__in=b.strength)}
        products = {p.name: p for p in Product.objects.filter(pk__in=b.products.values())}
        reasons = {r.name: r for r in LossReason.objects.filter(is_active=True)}
        users = User.objects.in_bulk(list(b.names))
        lost = sorted(
            (p for p in b.deal_plans if p.outcome == DealStatus.LOST and p.closed_at),
            key=lambda p: (p.closed_at, p.deal_id),
        )
        practices: list[tuple[BestPractice, dt.datetime, dt.datetime]] = []
        for team_name, definitions in words.PRACTICES.items():
            team = Team.objects.get(name=team_name)
            manager = users[b.managers[team_name]]
            people = [manager, *(users[r] for r in b.reps[team_name])]
            people.append(users[self.consultants[team_name]])
            team_lost = [p for p in lost if p.customer.team == team_name]
            retros: list[tuple[Retro, list[RetroGroup], list[int]] | None] = []
            for number, days_ago in enumerate((200, 110, 6)):
                at = (
                    self.end
                    - dt.timedelta(days=days_ago)
                    + dt.timedelta(hours=words.WORKDAY_START_UTC[team_name] + 3)
                )
                chosen = [
                    p
                    for p in team_lost
                    if p.closed_at and at - dt.timedelta(days=75) < p.closed_at < at - DAY
                ]
                chosen = sorted(chosen, key=lambda p: (-p.amount, p.deal_id))[: rng.choice([2, 3])]
                if not chosen:
                    retros.append(None)
                    continue
                status = (
                    RetroStatus.CLOSED
                    if number < 2
                    else (RetroStatus.VOTING if team_name == "Americas" else RetroStatus.PROPOSING)
                )
                month = f"{chosen[0].closed_on:%B}"
                title = words.RETRO_TITLES[number].format(
                    month=month, customer=chosen[0].customer.short_name
                )
                retro = Retro.objects.create(
                    team=team, title=title[:200], facilitator=manager, status=status, created_at=at
                )
                retro.deals.set([p.deal_id for p in chosen])
                retro.attendees.set(people)
                order = list(people)
                rng.shuffle(order)
                groups: list[RetroGroup] = []
                offset = 0
                for index, size in enumerate(group_sizes(len(order)), start=1):
                    group = RetroGroup.objects.create(retro=retro, number=index)
                    group.members.set(order[offset : offset + size])
                    groups.append(group)
                    offset += size
                retros.append((retro, groups, [p.deal_id for p in chosen]))
                self.summary.retros += 1
            for definition in definitions:
                practice, published, until = self._practice(
                    team,
                    manager,
                    definition,
                    retros,
                    people,
                    stages,
                    competitors,
                    products,
                    reasons,
                )
                if published is not None and until is not None:
                    practices.append((practice, published, until))
            # The retros' other proposals: merged, not taken up, or still open.
            for number, entry in enumerate(retros):
                if entry is None:
                    continue
                retro, groups, _ = entry
                self._other_proposals(retro, groups, people, number)
        self._matches(practices)

    def _practice(
        self,
        team: Any,
        manager: User,
        d: dict[str, Any],
        retros: list[tuple[Retro, list[RetroGroup], list[int]] | None],
        people: list[User],
        stages: dict[str, Stage],
        competitors: dict[str, Competitor],
        products: dict[str, Product],
        reasons: dict[str, LossReason],
    ) -> tuple[BestPractice, dt.datetime | None, dt.datetime | None]:
        rng = self.rng
        entry = retros[d["retro"]] if "retro" in d and d["retro"] < len(retros) else None
        retro = entry[0] if entry else None
        proposal: Proposal | None = None
        created = self.end - dt.timedelta(days=int(d.get("published_days_ago", 30)) + 3)
        if entry is not None:
            retro, groups, deal_ids = entry
            group = groups[rng.randrange(len(groups))]
            author = rng.choice(sorted(group.members.all(), key=lambda u: u.email))
            proposal = Proposal.objects.create(
                retro=retro,
                group=group,
                author=author,
                statement=str(d["statement"]),
                why=str(d.get("why", "")),
                status=ProposalStatus.ACCEPTED,
                created_at=retro.created_at + dt.timedelta(minutes=rng.randint(20, 50)),
            )
            voters = rng.sample(people, rng.randint(4, len(people)))
            for voter in voters:
                Vote.objects.create(
                    proposal=proposal,
                    voter=voter,
                    created_at=retro.created_at + dt.timedelta(minutes=rng.randint(60, 90)),
                )
            self.summary.proposals += 1
            self.summary.votes += len(voters)
            created = retro.created_at + dt.timedelta(hours=2)
        status = str(d["status"])
        published = (
            self.end - dt.timedelta(days=int(d["published_days_ago"]), hours=-10)
            if "published_days_ago" in d
            else None
        )
        retired = (
            self.end - dt.timedelta(days=int(d["retired_days_ago"]), hours=-11)
            if "retired_days_ago" in d
            else None
        )
        practice = BestPractice.objects.create(
            team=team,
            statement=str(d["statement"]),
            why=str(d.get("why", "")),
            owner=manager,
            status=status,
            retro=retro,
            proposal=proposal,
            segments=list(d.get("segments", [])),
            min_amount=Decimal(d["min_amount"]) if "min_amount" in d else None,
            max_amount=Decimal(d["max_amount"]) if "max_amount" in d else None,
            keywords=str(d.get("keywords", "")),
            published_at=published,
            version=2 + (published is not None),
            created_at=min(created, published or created),
        )
        practice.stages.set([stages[n] for n in d.get("stages", []) if n in stages])
        practice.competitors.set(
            [competitors[n] for n in d.get("competitors", []) if n in competitors]
        )
        practice.products.set([products[n] for n in d.get("products", []) if n in products])
        practice.reasons.set([reasons[n] for n in d.get("reasons", []) if n in reasons])
        if entry is not None:
            deal_ids = entry[2]
            practice.source_deals.set(deal_ids)
            practice.source_debriefs.set(Debrief.objects.filter(loss__deal_id__in=deal_ids))
            practice.source_lessons.set(Lesson.objects.filter(loss__deal_id__in=deal_ids))
        else:
            names = list(d.get("reasons", []))
            lessons = list(
                Lesson.objects.filter(
                    team=team, tag_reason__name__in=names, created_at__lt=practice.created_at
                )
                .order_by("-created_at", "pk")
                .values_list("pk", flat=True)[:3]
            )
            practice.source_lessons.set(lessons)
        events: list[tuple[Any, ...]] = []
        if proposal is not None:
            events.append(
                (
                    practice.pk,
                    "accepted",
                    manager.pk,
                    practice.created_at,
                    {"proposal_id": proposal.pk},
                )
            )
        if published is not None:
            events.append((practice.pk, "published", manager.pk, published, {}))
        if retired is not None:
            why = "Replaced by what the retros taught us since."
            events.append((practice.pk, "retired", manager.pk, retired, {"why": why}))
        self.g._insert(PracticeEvent, PRACTICE_EVENT_COLUMNS, events)
        self.summary.practices[status] += 1
        if published is None:
            return practice, None, None
        return practice, published, retired or self.end

    def _other_proposals(
        self, retro: Retro, groups: list[RetroGroup], people: list[User], number: int
    ) -> None:
        rng = self.rng
        accepted = list(retro.proposals.filter(status=ProposalStatus.ACCEPTED))
        statements = rng.sample(words.OTHER_PROPOSALS, 3)
        for index, statement in enumerate(statements):
            group = groups[index % len(groups)]
            author = rng.choice(sorted(group.members.all(), key=lambda u: u.email))
            if retro.status == RetroStatus.CLOSED:
                status = (
                    ProposalStatus.MERGED if index == 0 and accepted else ProposalStatus.REJECTED
                )
            else:
                status = ProposalStatus.PROPOSED
            proposal = Proposal.objects.create(
                retro=retro,
                group=group,
                author=author,
                statement=statement,
                status=status,
                merged_into=accepted[0] if status == ProposalStatus.MERGED else None,
                created_at=retro.created_at + dt.timedelta(minutes=rng.randint(15, 55)),
            )
            self.summary.proposals += 1
            if (
                status in (ProposalStatus.REJECTED, ProposalStatus.PROPOSED)
                and retro.status != RetroStatus.PROPOSING
            ):
                voters = rng.sample(people, rng.randint(0, 3))
                for voter in voters:
                    Vote.objects.create(
                        proposal=proposal,
                        voter=voter,
                        created_at=retro.created_at + dt.timedelta(minutes=rng.randint(60, 90)),
                    )
                self.summary.votes += len(voters)

    def _words(self, text: str) -> frozenset[str]:
        """`matching.stems(text)`, a word at a time through a cache: the texts are few
        sentences with names filled in, so most words come back many times."""
        found = self.words_cache.get(text)
        if found is None:
            stems = self.stem_cache
            out = set()
            for word in _WORD.findall(text):
                stem = stems.get(word)
                if stem is None:
                    stem = stems[word] = next(iter(matching.stems(word)), "")
                if stem:
                    out.add(stem)
            found = self.words_cache[text] = frozenset(out)
        return found

    def _matches(self, practices: list[tuple[BestPractice, dt.datetime, dt.datetime]]) -> None:
        """Each practice against the deals open while it was published, with the real
        `matching.explain`, and what the reps did about each match."""
        from debrief.learning.queries import conditions_of

        rng = self.rng
        b = self.b
        facts: dict[int, matching.DealFacts] = {}
        events: list[tuple[Any, ...]] = []
        deal_events: list[tuple[Any, ...]] = []
        for practice, published, until in practices:
            conditions = conditions_of(practice)
            retired = until < self.end
            rows: list[tuple[Any, ...]] = []
            for plan in b.deal_plans:
                if plan.created >= until or (
                    plan.closed_at is not None and plan.closed_at <= published
                ):
                    continue
                fact = facts.get(plan.deal_id)
                if fact is None:
                    fact = facts[plan.deal_id] = self._facts(plan)
                if plan.closed_at is not None and conditions.stage_ids:
                    # A closed deal was matched while open: in the stage it was in then.
                    stage = self._stage_at(plan, max(published, plan.created))
                    if stage not in conditions.stage_ids:
                        continue
                    fact = dataclasses.replace(fact, stage_id=stage)
                reasons = matching.explain(conditions, fact)
                if reasons is None:
                    continue
                created = max(published, plan.created) + dt.timedelta(minutes=rng.uniform(1, 90))
                closes = plan.closed_at
                window_end = min(until, closes) if closes else until
                if created >= window_end:
                    continue
                note, decided_by, decided_at = "", None, None
                updated = created
                if closes is not None:
                    applied = (
                        words.APPLIED_WON if plan.outcome == DealStatus.WON else words.APPLIED_LOST
                    )
                    draw = rng.random()
                    status = (
                        "applied"
                        if draw < applied
                        else "not_relevant"
                        if draw < applied + words.NOT_RELEVANT
                        else "expired"
                    )
                    if status == "expired":
                        if retired and closes > until:
                            continue  # retired first: its suggestion was removed
                        updated = closes
                else:
                    status = self.g._weighted(rng, words.OPEN_MATCH_STATES)
                    if status == "suggested" and retired:
                        continue
                if status in ("applied", "not_relevant"):
                    decided_at = created + (window_end - created) * rng.uniform(0.05, 0.9)
                    decided_by = plan.owner
                    updated = decided_at
                    fill = self._fill(plan)
                    pool = words.APPLIED_NOTES if status == "applied" else words.NOT_RELEVANT_NOTES
                    note = rng.choice(pool).format(**fill)
                    events.append(
                        (practice.pk, status, plan.owner, decided_at, {"deal_id": plan.deal_id})
                    )
                    if status == "applied":
                        deal_events.append(
                            (
                                plan.deal_id,
                                "practice_applied",
                                plan.owner,
                                decided_at,
                                "",
                                "",
                                {
                                    "practice_id": practice.pk,
                                    "summary": f"Practice applied: {practice.statement}",
                                },
                            )
                        )
                rows.append(
                    (
                        practice.pk,
                        plan.deal_id,
                        status,
                        reasons["score"],
                        reasons,
                        note,
                        decided_by,
                        decided_at,
                        created,
                        updated,
                    )
                )
                self.summary.matches[status] += 1
            self.g._insert(PracticeMatch, MATCH_COLUMNS, rows)
        self.g._insert(PracticeEvent, PRACTICE_EVENT_COLUMNS, events)
        self.g._insert(DealEvent, EVENT_COLUMNS, deal_events)
        self.b.summary.events += len(deal_events)

    def _stage_at(self, plan: _DealPlan, at: dt.datetime) -> int:
        """The open stage a closed deal was in at `at`, its walk spread evenly over its
        life (as its meetings' titles have it)."""
        assert plan.closed_at is not None
        final = self.open_index.get(plan.stage_before_close, 0)
        life = max((plan.closed_at - plan.created).total_seconds(), 1.0)
        index = min(final, round(final * (at - plan.created).total_seconds() / life))
        return self.b.open_stages[max(index, 0)].pk

    def _facts(self, plan: _DealPlan) -> matching.DealFacts:
        found: set[str] = set()
        for text in (plan.name, plan.next_step, *self.deal_texts.get(plan.deal_id, ())):
            if text:
                found |= self._words(text)
        open_now = plan.outcome == DealStatus.OPEN
        return matching.DealFacts(
            deal_id=plan.deal_id,
            stage_id=plan.stage if open_now else plan.stage_before_close,
            amount=plan.amount,
            segment=plan.customer.segment,
            competitor_ids=frozenset(plan.competitors),
            product_ids=frozenset(plan.products),
            words=frozenset(found),
        )


@dataclass
class _RelState:
    created: dt.datetime
    status: str = "intact"
    since: dt.datetime = field(init=False)
    damaged_since: dt.datetime | None = None
    version: int = 1

    def __post_init__(self) -> None:
        self.since = self.created

    def change(
        self,
        status: str,
        at: dt.datetime,
        by: int,
        reason: str,
        rel_id: int,
        events: list[tuple[Any, ...]],
    ) -> None:
        """As `change_status` does it: damaged_since when it goes from fine to damaged, the
        days to mend when it is restored."""
        if status == self.status:
            return
        data: dict[str, Any] = {}
        old = self.status
        if status in ("strained", "broken") and old not in ("strained", "broken", "recovering"):
            self.damaged_since = at
        if status == "restored" and self.damaged_since is not None:
            data["days_to_mend"] = (at - self.damaged_since).days
            self.damaged_since = None
        self.status, self.since = status, at
        self.version += 1
        events.append((rel_id, "status_changed", old, status, reason, by, at, data))
