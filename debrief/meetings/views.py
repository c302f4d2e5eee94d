"""The meeting pages: scheduling a meeting from its deal, the meeting and its one-page plan (as
a page, a PDF and an invite), its outcome, flagging it bad with its recovery steps, the
maybe-or-no decision, and the list of meetings. Reads go through `org.access`, writes through
`meetings.actions`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from debrief.losses.actions import LossInput
from debrief.meetings import actions, queries
from debrief.meetings.forms import (
    PLAN_LABELS,
    BadMeetingForm,
    DecisionForm,
    LossFields,
    MeetingEditForm,
    MeetingForm,
    OutcomeForm,
    PlanForm,
    plan_initial,
)
from debrief.meetings.models import (
    RECOVERY_STEPS,
    BadMeeting,
    BadMeetingConsequence,
    BadMeetingConsequenceRow,
    DecisionChoice,
    Meeting,
    MeetingPlan,
)
from debrief.meetings.panels import needs_outcome, with_plan_status
from debrief.org import access
from debrief.org.forms import add_action_errors
from debrief.org.models import Organisation
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import Deal, DealStatus
from debrief.web.htmx import AuthenticatedRequest, is_partial

PER_PAGE = 50
LIST_TABS = {
    "upcoming": "Upcoming",
    "past": "Past",
    "needs_outcome": "Outcome to record",
    "bad": "Bad meetings",
}


def _status(form: Any) -> int:
    return 400 if form is not None and form.errors else 200


def _meeting(request: AuthenticatedRequest, meeting_id: int, *, edit: bool = False) -> Meeting:
    """The meeting (404 if not visible, 403 if visible but not changeable), with what every
    meeting page shows already joined."""
    found = access.get_meeting_for_user(request.user, meeting_id, edit=edit)
    return Meeting.objects.select_related(
        "deal__customer", "deal__owner", "deal__team", "plan", "outcome", "bad", "created_by"
    ).get(pk=found.pk)


def _plan(meeting: Meeting) -> MeetingPlan:
    plan = getattr(meeting, "plan", None)
    if plan is None:  # every meeting is scheduled with its plan; a missing one is a bug
        raise Http404("This meeting has no plan.")
    return plan


def _with_loss[T](form: LossFields, run: Callable[[LossInput | None], T]) -> T | None:
    """Run an action that may close the deal as lost; on a rule broken, put its errors on the
    form and return None. When the loss lacks its outcome type or reasons, the action runs
    without a loss, which it refuses before saving anything, so that the loss's gaps and every
    other error show together."""
    missing = form.missing_loss_parts()
    try:
        return run(None if missing else form.loss_input())
    except ValidationError as error:
        errors: dict[str, list[str]] = (
            dict(error.message_dict)
            if hasattr(error, "error_dict")
            else {NON_FIELD_ERRORS: list(error.messages)}
        )
        if missing:
            errors = {k: v for k, v in errors.items() if k != "loss"} | {
                k: [v] for k, v in missing.items()
            }
        add_action_errors(form, ValidationError(errors))
        return None


# --- scheduling ---------------------------------------------------------------------------


def _next_morning() -> dt.datetime:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10, 0)))


@login_required
def meeting_new(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    user = request.user
    deal = access.get_deal_for_user(
        user,
        deal_id,
        edit=True,
        queryset=access.deals_visible_to(user).select_related("customer", "owner", "team"),
    )
    if deal.status != DealStatus.OPEN:
        messages.info(request, f"{deal.name} is closed: meetings are planned on open deals.")
        return redirect(deal)
    attendee = user if deal.owner_id == user.pk else deal.owner
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        deal=deal,
        initial={"starts_at": _next_morning(), "our_attendees": [attendee.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.schedule_meeting(deal, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, "The meeting is planned. Now its one-page plan: minutes, not hours."
            )
            return redirect("meetings-plan", meeting.pk)
    context = {"deal": deal, "form": form, "meeting": None}
    return render(request, "meetings/meeting_form.html", context, status=_status(form))


@login_required
def meeting_edit(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    user = request.user
    meeting = _meeting(request, meeting_id, edit=True)
    deal = meeting.deal
    initial = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes,
        "mode": meeting.mode,
        "location": meeting.location,
        "our_attendees": list(meeting.our_attendees.values_list("pk", flat=True)),
        "customer_contacts": list(meeting.customer_contacts.values_list("pk", flat=True)),
        "version": meeting.version,
    }
    form = MeetingEditForm(
        request.POST if request.method == "POST" else None,
        deal=deal,
        meeting=meeting,
        initial=initial,
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            actions.update_meeting(meeting, user, expected_version=expected, **data)
        except ValidationError as error:
            conflict = "version" in getattr(error, "error_dict", {})
            add_action_errors(form, error)
        else:
            messages.success(request, "The meeting is saved.")
            return redirect(meeting)
    # After a conflict, saving again is a deliberate choice to replace the other change.
    version = meeting.version if conflict else form["version"].value()
    context = {
        "deal": deal,
        "form": form,
        "meeting": meeting,
        "conflict": conflict,
        "version": version,
    }
    status = 409 if conflict else _status(form)
    return render(request, "meetings/meeting_form.html", context, status=status)


# --- the meeting page ---------------------------------------------------------------------


@login_required
@require_GET
def meeting(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    org = Organisation.current()
    plan = _plan(meeting)
    bad: BadMeeting | None = getattr(meeting, "bad", None)
    consequences: list[BadMeetingConsequenceRow] = []
    if bad is not None:
        consequences = list(bad.consequences.select_related("recovery_step__owner").order_by("pk"))
    can_edit = access.can_edit_meeting(request.user, meeting)
    context = {
        "meeting": meeting,
        "deal": meeting.deal,
        "plan": plan,
        "completeness": plan.completeness(org),
        "missing": _labels(plan.missing(org)),
        "outcome": getattr(meeting, "outcome", None),
        "bad": bad,
        "causes": list(bad.causes.order_by("pk")) if bad else [],
        "consequences": consequences,
        "attendees": list(meeting.our_attendees.all()),
        "contacts": list(meeting.customer_contacts.all()),
        "can_edit": can_edit,
        "happened": meeting.has_happened(),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/meeting.html", context)


def _labels(fields: list[str]) -> list[str]:
    return [PLAN_LABELS.get(f, f) for f in fields]


# --- the one-page plan --------------------------------------------------------------------


@login_required
def plan(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    user = request.user
    meeting = _meeting(request, meeting_id)
    can_edit = access.can_edit_meeting(user, meeting)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("You can read this plan but not change it.")
    org = Organisation.current()
    current = _plan(meeting)
    required = current.required_fields(org)
    saved_now = conflict = False
    theirs: dict[str, str] = {}
    if request.method == "POST":
        form = PlanForm(request.POST, required=required)
        if form.is_valid():
            try:
                current = actions.write_plan(
                    meeting, user, expected_version=form.cleaned_data["version"], **form.answers()
                )
            except ValidationError as error:
                add_action_errors(form, error)
                conflict = "version" in getattr(error, "error_dict", {})
                if conflict:
                    current = MeetingPlan.objects.select_related("author").get(pk=current.pk)
                    theirs = _differences(current, form.answers())
            else:
                if not is_partial(request):
                    messages.success(request, "The plan is saved.")
                    return redirect("meetings-plan", meeting.pk)
                saved_now = True
                form = PlanForm(initial=plan_initial(current), required=required)
    else:
        form = PlanForm(initial=plan_initial(current), required=required)
    # After a conflict the form carries the newer version: saving again replaces it, knowingly.
    version = current.version if (conflict or saved_now) else form["version"].value()
    context = {
        "meeting": meeting,
        "deal": meeting.deal,
        "plan": current,
        "form": form,
        "form_sections": form.sections(theirs),
        "can_edit": can_edit,
        "required": set(required),
        "short_plan": meeting.deal.amount < org.full_plan_threshold,
        "threshold": org.full_plan_threshold,
        "completeness": current.completeness(org),
        "missing": _labels(current.missing(org)),
        "sections": queries.plan_sections(current),
        "theirs": theirs,
        "conflict": conflict,
        "saved_now": saved_now,
        "version": version,
    }
    status = 409 if conflict else _status(form)
    if is_partial(request):
        # htmx swaps only successful responses: errors come back as 200 with the form.
        response = render(request, "meetings/partials/plan_form.html", context)
    else:
        response = render(request, "meetings/plan.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _differences(saved: MeetingPlan, mine: dict[str, Any]) -> dict[str, str]:
    """The parts where the saved plan differs from what this editor sent: name → saved text."""
    differ: dict[str, str] = {}
    for name, value in mine.items():
        theirs = getattr(saved, name)
        if isinstance(theirs, bool):
            if theirs != bool(value):
                differ[name] = "Ticked" if theirs else "Not ticked"
        elif str(theirs).strip() != str(value or "").strip():
            differ[name] = str(theirs)
    return differ


@login_required
@require_GET
def plan_pdf(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    response = HttpResponse(queries.plan_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-plan-{meeting.pk}.pdf"'
    return response


@login_required
@require_GET
def invite(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    response = HttpResponse(queries.plan_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- the outcome --------------------------------------------------------------------------


@login_required
def outcome(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    user = request.user
    meeting = _meeting(request, meeting_id, edit=True)
    if getattr(meeting, "outcome", None) is not None:
        messages.info(request, "This meeting's outcome is already recorded.")
        return redirect(f"{meeting.get_absolute_url()}#outcome")
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        recorded = _with_loss(
            form, lambda loss: actions.record_outcome(meeting, user, form.outcome_input(loss))
        )
        if recorded is not None:
            messages.success(request, _outcome_message(recorded.result, meeting.deal))
            return redirect(f"{meeting.get_absolute_url()}#outcome")
    context = {
        "meeting": meeting,
        "deal": meeting.deal,
        "plan": _plan(meeting),
        "form": form,
        "happened": meeting.has_happened(),
    }
    return render(request, "meetings/outcome.html", context, status=_status(form))


def _outcome_message(result: str, deal: Deal) -> str:
    deal.refresh_from_db(fields=["next_step", "next_step_date", "status"])
    if result == "advance" and deal.next_step:
        return f"The outcome is recorded. The deal's next step is now: {deal.next_step}."
    if result == "qualified_out":
        return (
            f"The outcome is recorded and {deal.name} is closed as lost. While it is fresh: "
            "what could you have done differently?"
        )
    return "The outcome is recorded."


# --- bad meetings -------------------------------------------------------------------------


def recovery_preview(deal: Deal, today: dt.date) -> list[dict[str, Any]]:
    """What each consequence will create, shown before saving: the step, when, for whom."""
    return [
        {
            "value": value,
            "label": label,
            "title": RECOVERY_STEPS[value][0],
            "detail": RECOVERY_STEPS[value][1],
            "due_on": today + dt.timedelta(days=RECOVERY_STEPS[value][2]),
            "owner": deal.owner,
        }
        for value, label in BadMeetingConsequence.choices
    ]


@login_required
def bad(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    user = request.user
    meeting = _meeting(request, meeting_id, edit=True)
    if getattr(meeting, "bad", None) is not None:
        messages.info(request, "This meeting is already flagged as bad.")
        return redirect(f"{meeting.get_absolute_url()}#bad-meeting")
    form = BadMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            flagged = actions.flag_bad_meeting(meeting, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            steps = flagged.consequences.count()
            messages.success(
                request,
                f"The bad meeting is recorded with {steps} recovery step{'s' if steps != 1 else ''}. "
                f"Decide by {flagged.decision_due_on:%-d %b}: still a maybe, or a prolonged no?",
            )
            return redirect(f"{meeting.get_absolute_url()}#bad-meeting")
    chosen = set(form["consequences"].value() or [])
    context = {
        "meeting": meeting,
        "deal": meeting.deal,
        "form": form,
        "steps": recovery_preview(meeting.deal, timezone.localdate()),
        "chosen": chosen,
        "happened": meeting.has_happened(),
    }
    return render(request, "meetings/bad.html", context, status=_status(form))


@login_required
@require_POST
def recovery_done(
    request: AuthenticatedRequest, meeting_id: int, follow_up_id: int
) -> HttpResponse:
    """Tick off a bad meeting's recovery step."""
    meeting = _meeting(request, meeting_id)
    row = (
        BadMeetingConsequenceRow.objects.select_related("recovery_step__deal")
        .filter(bad_meeting__meeting=meeting, recovery_step_id=follow_up_id)
        .first()
    )
    if row is None or row.recovery_step is None:
        raise Http404("No such recovery step.")
    if not access.can_complete_follow_up(request.user, row.recovery_step):
        raise PermissionDenied("You can read this step but not tick it off.")
    pipeline_actions.complete_follow_up(row.recovery_step, request.user)
    messages.success(request, f"Done: {row.recovery_step.title}.")
    return redirect(f"{meeting.get_absolute_url()}#bad-meeting")


# --- still a maybe, or a prolonged no? ----------------------------------------------------


@login_required
def decide(request: AuthenticatedRequest, bad_id: int) -> HttpResponse:
    user = request.user
    found = (
        access.bad_meetings_visible_to(user)
        .select_related("meeting__deal__customer", "meeting__deal__owner")
        .filter(pk=bad_id)
        .first()
    )
    if found is None:
        raise Http404("No such bad meeting.")
    if not access.can_edit_meeting(user, found.meeting):
        raise PermissionDenied("You can read this bad meeting but not decide on it.")
    meeting = found.meeting
    if found.decision != DecisionChoice.PENDING:
        messages.info(request, f"Already decided: {found.get_decision_display()}.")
        return redirect(f"{meeting.get_absolute_url()}#bad-meeting")
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decided = _with_loss(
            form,
            lambda loss: actions.decide_after_bad_meeting(
                found,
                user,
                data["decision"],
                note=data["note"],
                next_step=data["next_step"],
                next_step_date=data["next_step_date"],
                loss=loss,
            ),
        )
        if decided is not None:
            messages.success(request, f"Decided: {decided.get_decision_display()}.")
            return redirect(f"{meeting.get_absolute_url()}#bad-meeting")
    context = {
        "bad": found,
        "meeting": meeting,
        "deal": meeting.deal,
        "form": form,
        "causes": list(found.causes.order_by("pk")),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/decide.html", context, status=_status(form))


# --- the list -----------------------------------------------------------------------------


@login_required
@require_GET
def meetings(request: AuthenticatedRequest) -> HttpResponse:
    """Upcoming, past, awaiting an outcome, or bad: the meetings in the user's scope."""
    tab = request.GET.get("show", "upcoming")
    if tab not in LIST_TABS:
        tab = "upcoming"
    now = timezone.now()
    qs = access.meetings_visible_to(request.user).select_related(
        "deal__customer", "deal__owner", "plan", "outcome", "bad"
    )
    if tab == "upcoming":
        qs = qs.filter(starts_at__gte=now).order_by("starts_at", "pk")
    elif tab == "past":
        qs = qs.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    elif tab == "needs_outcome":
        qs = needs_outcome(qs, now).order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(bad__isnull=False).order_by("-bad__flagged_at", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = with_plan_status(page.object_list, Organisation.current())
    context = {"page_obj": page, "tab": tab, "tabs": LIST_TABS, "now": now}
    template = (
        "meetings/partials/meeting_table.html" if is_partial(request) else "meetings/meetings.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
