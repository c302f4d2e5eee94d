"""Who may see and change what: the one place Debrief's access rules live.

Every page, API route and CLI command asks these functions. A record the user may not see
answers 404 (it does not exist for them); a record they may see but not change answers 403.

- rep: their own deals, and the customers of their team or of their deals;
- manager: everything of the teams they manage, plus their own deals;
- analyst: reads everything, changes nothing;
- admin: everything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from debrief.org.models import Role, Team, User

if TYPE_CHECKING:
    from debrief.learning.models import BestPractice, PracticeMatch, Retro
    from debrief.losses.models import Debrief, Lesson, LossRecord, OwnItReview
    from debrief.meetings.models import BadMeeting, Meeting
    from debrief.pipeline.models import Contact, Customer, Deal, FollowUp
    from debrief.relationships.models import Relationship, Touchpoint

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def reads_everything(user: User) -> bool:
    return user.is_active and user.role in (Role.ADMIN, Role.ANALYST)


def is_admin(user: User) -> bool:
    return user.is_active and user.role == Role.ADMIN


READ_ONLY = "Analysts read; they don't change records."


def can_write(user: User) -> bool:
    """Analysts read; everyone else may change what they can see."""
    return user.is_active and user.role != Role.ANALYST


def managed_team_ids(user: User) -> list[int]:
    # Cached on the user object: one query per request however often the rules ask.
    cached: list[int] | None = getattr(user, "_managed_team_ids", None)
    if cached is None:
        cached = list(Team.objects.filter(managers=user).values_list("pk", flat=True))
        user._managed_team_ids = cached  # type: ignore[attr-defined]
    return cached


def member_team_ids(user: User) -> list[int]:
    cached: list[int] | None = getattr(user, "_member_team_ids", None)
    if cached is None:
        cached = list(
            Team.objects.filter(Q(members=user) | Q(managers=user))
            .distinct()
            .values_list("pk", flat=True)
        )
        user._member_team_ids = cached  # type: ignore[attr-defined]
    return cached


# --- deals -------------------------------------------------------------------------------


def _deal_scope(user: User) -> Q | None:
    """The deals a user is responsible for; None means all of them."""
    if is_admin(user):
        return None
    if user.role == Role.MANAGER:
        return Q(owner=user) | Q(team_id__in=managed_team_ids(user))
    return Q(owner=user)


def deals_visible_to(user: User) -> QuerySet[Deal]:
    from debrief.pipeline.models import Deal

    if not user.is_active:
        return Deal.objects.none()
    if reads_everything(user):
        return Deal.objects.all()
    scope = _deal_scope(user)
    return Deal.objects.filter(scope) if scope is not None else Deal.objects.all()


def deals_editable_by(user: User) -> QuerySet[Deal]:
    from debrief.pipeline.models import Deal

    if not can_write(user):
        return Deal.objects.none()
    scope = _deal_scope(user)
    return Deal.objects.filter(scope) if scope is not None else Deal.objects.all()


def can_edit_deal(user: User, deal: Deal) -> bool:
    if not can_write(user):
        return False
    if is_admin(user):
        return True
    if deal.owner_id == user.pk:
        return True
    return user.role == Role.MANAGER and deal.team_id in managed_team_ids(user)


def get_deal_for_user(
    user: User, deal_id: int, *, edit: bool = False, queryset: QuerySet[Deal] | None = None
) -> Deal:
    """The deal, or 404 if the user may not see it; 403 if they may see but not change it."""
    qs = queryset if queryset is not None else deals_visible_to(user)
    deal = qs.filter(pk=deal_id).first()
    if deal is None:
        raise Http404("No such deal.")
    if edit and not can_edit_deal(user, deal):
        raise PermissionDenied("You can read this deal but not change it.")
    return deal


def can_create_deals(user: User) -> bool:
    return can_write(user)


def assignable_owners(user: User) -> QuerySet[User]:
    """Whom a user may make the owner of a deal."""
    active = User.objects.filter(is_active=True).exclude(role=Role.ANALYST)
    if is_admin(user):
        return active
    if user.role == Role.MANAGER:
        return active.filter(Q(pk=user.pk) | Q(teams__in=managed_team_ids(user))).distinct()
    return active.filter(pk=user.pk)


def assignable_teams(user: User) -> QuerySet[Team]:
    """Which teams a user may put a deal in."""
    if is_admin(user):
        return Team.objects.all()
    return Team.objects.filter(pk__in=member_team_ids(user))


def home_scope(user: User) -> str:
    """What a user's home page figures cover: "organisation" for those who read everything,
    "teams" for a manager (their teams' deals and their own), "own" for anyone else."""
    if reads_everything(user):
        return "organisation"
    return "teams" if user.is_active and user.role == Role.MANAGER else "own"


# --- customers and contacts ----------------------------------------------------------------


def customers_visible_to(user: User) -> QuerySet[Customer]:
    from debrief.pipeline.models import Customer, Deal

    if not user.is_active:
        return Customer.objects.none()
    if reads_everything(user):
        return Customer.objects.all()
    own_deals = Deal.objects.filter(_deal_scope(user) or Q(), customer=OuterRef("pk"))
    team_ids = managed_team_ids(user) if user.role == Role.MANAGER else member_team_ids(user)
    return Customer.objects.filter(Q(owner=user) | Q(team_id__in=team_ids) | Exists(own_deals))


def can_edit_customer(user: User, customer: Customer) -> bool:
    """An account is changed by its owner, its team (the team's manager, for a manager), and
    admins. Having a deal there lets you see a customer, not take it over — unless nobody
    owns it yet (an imported account with neither owner nor team)."""
    if not can_write(user):
        return False
    if is_admin(user) or customer.owner_id == user.pk:
        return True
    if customer.team_id is not None:
        teams = managed_team_ids(user) if user.role == Role.MANAGER else member_team_ids(user)
        return customer.team_id in teams
    if customer.owner_id is None:
        return deals_editable_by(user).filter(customer_id=customer.pk).exists()
    return False


def get_customer_for_user(user: User, customer_id: int, *, edit: bool = False) -> Customer:
    customer = customers_visible_to(user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404("No such customer.")
    if edit and not can_edit_customer(user, customer):
        raise PermissionDenied("You can read this customer but not change it.")
    return customer


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    from debrief.pipeline.models import Contact

    if reads_everything(user):
        return Contact.objects.all()
    return Contact.objects.filter(customer__in=customers_visible_to(user))


def get_contact_for_user(user: User, contact_id: int, *, edit: bool = False) -> Contact:
    contact = contacts_visible_to(user).select_related("customer").filter(pk=contact_id).first()
    if contact is None:
        raise Http404("No such contact.")
    if edit and not can_edit_customer(user, contact.customer):
        raise PermissionDenied("You can read this contact but not change it.")
    return contact


# --- follow-ups ---------------------------------------------------------------------------


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    """Your own follow-ups, and those on deals you may see."""
    from debrief.pipeline.models import FollowUp

    if reads_everything(user):
        return FollowUp.objects.all()
    return FollowUp.objects.filter(Q(owner=user) | Q(deal__in=deals_visible_to(user)))


def can_complete_follow_up(user: User, follow_up: FollowUp) -> bool:
    if not can_write(user):
        return False
    if follow_up.owner_id == user.pk or is_admin(user):
        return True
    return follow_up.deal is not None and can_edit_deal(user, follow_up.deal)


# --- the loss loop ------------------------------------------------------------------------


def losses_visible_to(user: User) -> QuerySet[LossRecord]:
    from debrief.losses.models import LossRecord

    return LossRecord.objects.filter(deal__in=deals_visible_to(user))


def get_loss_for_user(user: User, loss_id: int, *, edit: bool = False) -> LossRecord:
    loss = losses_visible_to(user).select_related("deal").filter(pk=loss_id).first()
    if loss is None:
        raise Http404("No such loss.")
    if edit and not can_edit_deal(user, loss.deal):
        raise PermissionDenied("You can read this loss but not change it.")
    return loss


def _manages_rep(user: User, rep_id: int, team_id: int) -> bool:
    if user.role != Role.MANAGER:
        return False
    if team_id in managed_team_ids(user):
        return True
    return Team.objects.filter(pk__in=managed_team_ids(user), members__pk=rep_id).exists()


def can_see_own_it_review(user: User, review: OwnItReview) -> bool:
    """The rep's own words: for the rep, the rep's managers and admins. Not for analysts or
    other reps, whatever else they may read."""
    if not user.is_active:
        return False
    if review.rep_id == user.pk or is_admin(user):
        return True
    return _manages_rep(user, review.rep_id, review.loss.deal.team_id)


def own_it_reviews_visible_to(user: User) -> QuerySet[OwnItReview]:
    from debrief.losses.models import OwnItReview

    if not user.is_active or user.role == Role.ANALYST:
        return OwnItReview.objects.none()
    if is_admin(user):
        return OwnItReview.objects.all()
    if user.role == Role.MANAGER:
        teams = managed_team_ids(user)
        return OwnItReview.objects.filter(
            Q(rep=user) | Q(loss__deal__team_id__in=teams) | Q(rep__teams__in=teams)
        ).distinct()
    return OwnItReview.objects.filter(rep=user)


def debriefs_visible_to(user: User) -> QuerySet[Debrief]:
    """Debriefs of the losses you may see, and any you lead or join."""
    from debrief.losses.models import Debrief

    if reads_everything(user):
        return Debrief.objects.all()
    return Debrief.objects.filter(
        Q(loss__deal__in=deals_visible_to(user)) | Q(leader=user) | Q(participants=user)
    ).distinct()


def get_debrief_for_user(user: User, debrief_id: int) -> Debrief:
    debrief = debriefs_visible_to(user).filter(pk=debrief_id).first()
    if debrief is None:
        raise Http404("No such debrief.")
    return debrief


def can_run_debrief(user: User, debrief: Debrief) -> bool:
    """Record answers, schedule, mark held: the leader, the participants, and admins."""
    if not can_write(user):
        return False
    if is_admin(user) or debrief.leader_id == user.pk:
        return True
    return debrief.participants.filter(pk=user.pk).exists()


def lessons_visible_to(user: User) -> QuerySet[Lesson]:
    """A lesson belongs to the whole team it came from."""
    from debrief.losses.models import Lesson

    if reads_everything(user):
        return Lesson.objects.all()
    return Lesson.objects.filter(
        Q(team_id__in=member_team_ids(user)) | Q(author=user) | Q(loss__deal__owner=user)
    ).distinct()


def get_lesson_for_user(user: User, lesson_id: int) -> Lesson:
    lesson = lessons_visible_to(user).filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


def sees_reason_list_warnings(user: User) -> bool:
    """The "too many losses filed under Other" warning is for who can fix the list or coach
    the reps: managers and admins."""
    return user.is_active and user.role in (Role.MANAGER, Role.ADMIN)


def can_manage_loss_reasons(user: User) -> bool:
    """The reason and outcome-type lists are organisation settings."""
    return is_admin(user)


# --- meetings -----------------------------------------------------------------------------


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings on the deals you may see, and any you attend."""
    from debrief.meetings.models import Meeting

    if reads_everything(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(
        Q(deal__in=deals_visible_to(user)) | Q(our_attendees=user)
    ).distinct()


def can_edit_meeting(user: User, meeting: Meeting) -> bool:
    """Plan it, record its outcome, flag it bad: whoever may change its deal."""
    return can_edit_deal(user, meeting.deal)


def get_meeting_for_user(user: User, meeting_id: int, *, edit: bool = False) -> Meeting:
    meeting = meetings_visible_to(user).select_related("deal").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting.")
    if edit and not can_edit_meeting(user, meeting):
        raise PermissionDenied("You can read this meeting but not change it.")
    return meeting


def bad_meetings_visible_to(user: User) -> QuerySet[BadMeeting]:
    from debrief.meetings.models import BadMeeting

    return BadMeeting.objects.filter(meeting__in=meetings_visible_to(user))


# --- relationships ------------------------------------------------------------------------


def relationships_visible_to(user: User) -> QuerySet[Relationship]:
    from debrief.relationships.models import Relationship

    if reads_everything(user):
        return Relationship.objects.all()
    return Relationship.objects.filter(customer__in=customers_visible_to(user))


def can_change_relationship(user: User, customer: Customer) -> bool:
    """The rep or manager who may change the customer changes its relationship too."""
    return can_edit_customer(user, customer)


def touchpoints_visible_to(user: User) -> QuerySet[Touchpoint]:
    from debrief.relationships.models import Touchpoint

    if reads_everything(user):
        return Touchpoint.objects.all()
    return Touchpoint.objects.filter(
        Q(owner=user) | Q(relationship__customer__in=customers_visible_to(user))
    )


# --- learning -----------------------------------------------------------------------------


def retros_visible_to(user: User) -> QuerySet[Retro]:
    """A retro belongs to its team: its members and managers see it, and anyone invited."""
    from debrief.learning.models import Retro

    if not user.is_active:
        return Retro.objects.none()
    if reads_everything(user):
        return Retro.objects.all()
    return Retro.objects.filter(
        Q(team_id__in=member_team_ids(user)) | Q(attendees=user) | Q(facilitator=user)
    ).distinct()


def get_retro_for_user(user: User, retro_id: int, *, run: bool = False) -> Retro:
    retro = retros_visible_to(user).select_related("team").filter(pk=retro_id).first()
    if retro is None:
        raise Http404("No such retro.")
    if run and not can_run_retro(user, retro):
        raise PermissionDenied("Only the team's manager runs this retro.")
    return retro


def can_open_retro(user: User, team: Team) -> bool:
    """Managers run their teams' retros; admins any."""
    return can_write(user) and (is_admin(user) or team.pk in managed_team_ids(user))


def can_run_retro(user: User, retro: Retro) -> bool:
    """Reshuffle, merge, start the vote, accept, close: the facilitator, the team's
    managers and admins."""
    if not can_write(user):
        return False
    return (
        is_admin(user) or retro.facilitator_id == user.pk or retro.team_id in managed_team_ids(user)
    )


def can_take_part_in_retro(user: User, retro: Retro) -> bool:
    """Propose and vote: the attendees, and whoever runs it."""
    if not can_write(user):
        return False
    return can_run_retro(user, retro) or retro.attendees.filter(pk=user.pk).exists()


def practices_visible_to(user: User) -> QuerySet[BestPractice]:
    """A team's playbook is the team's: its members and managers read it, drafts included."""
    from debrief.learning.models import BestPractice

    if not user.is_active:
        return BestPractice.objects.none()
    if reads_everything(user):
        return BestPractice.objects.all()
    return BestPractice.objects.filter(Q(team_id__in=member_team_ids(user)) | Q(owner=user))


def can_write_practices(user: User, team: Team) -> bool:
    """Write, publish and retire a team's practices: its managers and admins."""
    return can_open_retro(user, team)


def can_edit_practice(user: User, practice: BestPractice) -> bool:
    if not can_write(user):
        return False
    return (
        is_admin(user) or practice.owner_id == user.pk or practice.team_id in managed_team_ids(user)
    )


def get_practice_for_user(user: User, practice_id: int, *, edit: bool = False) -> BestPractice:
    practice = practices_visible_to(user).select_related("team").filter(pk=practice_id).first()
    if practice is None:
        raise Http404("No such practice.")
    if edit and not can_edit_practice(user, practice):
        raise PermissionDenied("You can read this practice but not change it.")
    return practice


def matches_visible_to(user: User) -> QuerySet[PracticeMatch]:
    """A match is part of its deal: whoever sees the deal sees what applies to it."""
    from debrief.learning.models import PracticeMatch

    if reads_everything(user):
        return PracticeMatch.objects.all()
    return PracticeMatch.objects.filter(deal__in=deals_visible_to(user))


def get_match_for_user(user: User, match_id: int, *, edit: bool = False) -> PracticeMatch:
    match = matches_visible_to(user).select_related("deal", "practice").filter(pk=match_id).first()
    if match is None:
        raise Http404("No such match.")
    if edit and not can_edit_deal(user, match.deal):
        raise PermissionDenied("You can read this match but not act on it.")
    return match


# --- organisation-wide lists --------------------------------------------------------------


def can_manage_settings(user: User) -> bool:
    """Stages, thresholds, users and teams belong to admins."""
    return is_admin(user)


def can_manage_competitors(user: User) -> bool:
    """Anyone who works deals may add a competitor they meet; analysts only read."""
    return can_write(user)


def can_read_audit_trail(user: User) -> bool:
    """Who changed what is for admins only; to anyone else the trail does not exist."""
    return is_admin(user)


def teams_visible_to(user: User) -> QuerySet[Team]:
    return Team.objects.all()


def users_visible_to(user: User) -> QuerySet[User]:
    return User.objects.all()


# --- view decorators ----------------------------------------------------------------------


def admin_required[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """For the settings pages: anyone else gets 404, as if the page were not there."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_admin(request.user):  # type: ignore[arg-type]
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def writer_required[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """For pages that only change things: analysts get 403."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_write(request.user):  # type: ignore[arg-type]
            raise PermissionDenied(READ_ONLY)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


# --- insights --------------------------------------------------------------------------------


def insight_rows_visible_to(user: User, by: str | None = None) -> Q:
    """The rollup rows a user reads, by the same rule as their deals: admins and analysts
    everything (the rows of owner and team ANY), managers their teams' rows plus their own
    deals in other teams, reps their own rows. Grouping by owner or team reads the rows of
    that level. The levels never overlap, so nothing is counted twice."""
    from debrief.insights.rollups import ANY

    if not user.is_active:
        return Q(pk__in=[])
    if reads_everything(user):
        if by == "owner":
            return Q(owner_id__gt=ANY)
        if by == "team":
            return Q(owner_id=ANY, team_id__gt=ANY)
        return Q(owner_id=ANY, team_id=ANY)
    if user.role == Role.MANAGER:
        teams = managed_team_ids(user)
        if by == "owner":
            return Q(owner_id__gt=ANY, team_id__in=teams) | Q(owner_id=user.pk)
        return Q(owner_id=ANY, team_id__in=teams) | (Q(owner_id=user.pk) & ~Q(team_id__in=teams))
    return Q(owner_id=user.pk)
