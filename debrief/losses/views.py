"""The loss loop's pages: marking a deal lost and reopening it, the own-it review, the debrief
guide, the lists of losses, debriefs and lessons, rep versus customer, and the admin's reason
list. Reads go through `org.access` and `losses.queries`, writes through `losses.actions`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url

from debrief.losses import actions, queries
from debrief.losses.forms import (
    DebriefAnswersForm,
    DebriefCloseForm,
    DebriefScheduleForm,
    LessonForm,
    LossFilterForm,
    LossForm,
    MergeForm,
    OutcomeTypeEditForm,
    OutcomeTypeForm,
    OwnItForm,
    ReasonForm,
    ReopenForm,
    lesson_initial,
    schedule_initial,
)
from debrief.losses.models import (
    DEBRIEF_OPENER,
    DEBRIEF_QUESTIONS,
    DEBRIEF_REMINDERS,
    Debrief,
    DebriefAnswer,
    DebriefConsent,
    DebriefStatus,
    Lesson,
    LossReason,
    OutcomeType,
    OwnItReview,
    ReasonEvent,
)
from debrief.org import access
from debrief.org.forms import add_action_errors
from debrief.org.models import Organisation, User
from debrief.pipeline import actions as pipeline_actions
from debrief.web.htmx import AuthenticatedRequest, is_partial

PER_PAGE = 50
REP_VS_CUSTOMER_ROWS = 100


def _writer(user: User) -> None:
    if not access.can_write(user):
        raise PermissionDenied(access.READ_ONLY)


def _status(form: Any) -> int:
    return 400 if form is not None and form.errors else 200


# --- marking a deal lost, and reopening it ------------------------------------------------


@login_required
def mark_lost(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    user = request.user
    deal = access.get_deal_for_user(
        user,
        deal_id,
        edit=True,
        queryset=access.deals_visible_to(user).select_related("customer", "stage", "owner"),
    )
    if not deal.is_open:
        messages.info(request, f"{deal.name} is already {deal.get_status_display().lower()}.")
        return redirect(f"{deal.get_absolute_url()}#losses")
    form = LossForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        loss_input = actions.LossInput(
            outcome_type=data["outcome_type"],
            reasons=data["reasons"],
            primary_reason=data["primary_reason"],
            competitors=list(data["competitors"]),
            note=data["note"],
            debrief_consent=data["debrief_consent"] or DebriefConsent.NOT_ASKED,
            relationship_damaged=data["relationship_damaged"],
        )
        try:
            loss = actions.mark_deal_lost(deal, user, loss_input)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                f"The loss of {deal.name} is recorded. While it is fresh: what could you "
                "have done differently?",
            )
            return redirect("losses-own-it", loss.pk)
    context = {"deal": deal, "form": form}
    return render(request, "losses/mark_lost.html", context, status=_status(form))


@login_required
@require_POST
def reopen(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    user = request.user
    deal = access.get_deal_for_user(user, deal_id, edit=True)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            actions.reopen_deal(deal, user, form.cleaned_data["stage"])
        except ValidationError as error:
            add_action_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
    else:
        messages.success(request, f"{deal.name} is open again; its loss stays in its history.")
    return redirect(f"{deal.get_absolute_url()}#losses")


@login_required
@require_GET
def loss(request: AuthenticatedRequest, loss_id: int) -> HttpResponse:
    """A loss lives on its deal's page, beside the deal's other history."""
    record = access.get_loss_for_user(request.user, loss_id)
    return redirect(f"{record.deal.get_absolute_url()}#loss-{record.pk}")


# --- the own-it review --------------------------------------------------------------------


def _own_it_for(user: User, loss_id: int) -> OwnItReview:
    """The review, or 404 for anyone but the rep, the rep's managers and admins (analysts
    included: the rep's own words are not for reading across teams)."""
    review = (
        access.own_it_reviews_visible_to(user)
        .select_related(
            "rep",
            "decisive_reason",
            "loss__deal__customer",
            "loss__deal__owner",
            "loss__outcome_type",
            "loss__stage_at_loss",
        )
        .filter(loss_id=loss_id)
        .first()
    )
    if review is None or not access.can_see_own_it_review(user, review):
        raise Http404("No such own-it review.")
    return review


def _own_it_page(
    request: AuthenticatedRequest,
    review: OwnItReview,
    *,
    form: OwnItForm | None = None,
    lesson_form: LessonForm | None = None,
) -> HttpResponse:
    user = request.user
    loss = review.loss
    is_rep = review.rep_id == user.pk and access.can_write(user)
    if form is None and is_rep:
        form = OwnItForm(
            loss=loss,
            initial={
                "could_have_done_differently": review.could_have_done_differently,
                "will_do_next_time": review.will_do_next_time,
                "decisive_reason": review.decisive_reason_id,
            },
        )
    submitted = review.submitted_at is not None
    if lesson_form is None and submitted and access.can_write(user):
        lesson_form = LessonForm(loss=loss, initial=lesson_initial(loss), prefix="lesson")
    answers = [review.could_have_done_differently, review.will_do_next_time]
    context = {
        "review": review,
        "loss": loss,
        "deal": loss.deal,
        "reason_links": list(loss.reason_links.select_related("reason")),
        "is_rep": is_rep,
        "form": form,
        "lesson_form": lesson_form,
        "lessons": list(review.lessons.select_related("author")),
        "nudge": is_rep
        and submitted
        and queries.blames_only_outside(review.decisive_reason, answers),
    }
    status = max(_status(form), _status(lesson_form))
    return render(request, "losses/own_it.html", context, status=status)


@login_required
def own_it(request: AuthenticatedRequest, loss_id: int) -> HttpResponse:
    user = request.user
    review = _own_it_for(user, loss_id)
    if request.method != "POST":
        return _own_it_page(request, review)
    if review.rep_id != user.pk or not access.can_write(user):
        raise PermissionDenied("Only the rep who lost the deal writes its own-it review.")
    form = OwnItForm(request.POST, loss=review.loss)
    if form.is_valid():
        try:
            actions.write_own_it_review(review, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Your own-it review is saved. Thank you for owning it.")
            return redirect("losses-own-it", loss_id)
    return _own_it_page(request, review, form=form)


def _lesson_input(form: LessonForm) -> actions.LessonInput:
    data = form.cleaned_data
    return actions.LessonInput(
        statement=data["statement"],
        do_differently=data["do_differently"],
        tag_stage=data["tag_stage"],
        tag_competitor=data["tag_competitor"],
        tag_segment=data["tag_segment"],
        tag_product=data["tag_product"],
        tag_reason=data["tag_reason"],
    )


@login_required
@require_POST
def own_it_lesson(request: AuthenticatedRequest, loss_id: int) -> HttpResponse:
    user = request.user
    review = _own_it_for(user, loss_id)
    _writer(user)
    form = LessonForm(request.POST, loss=review.loss, prefix="lesson")
    if form.is_valid():
        try:
            lesson = actions.record_lesson(user, _lesson_input(form), own_it=review)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Lesson recorded: {lesson.statement}")
            return redirect(f"{reverse('losses-own-it', args=[loss_id])}#lessons")
    return _own_it_page(request, review, lesson_form=form)


# --- the customer debrief -----------------------------------------------------------------


def _debrief_for(user: User, debrief_id: int) -> Debrief:
    access.get_debrief_for_user(user, debrief_id)  # 404 for anyone who may not see it
    return (
        Debrief.objects.select_related(
            "leader",
            "customer_contact",
            "customer_decisive_reason",
            "contact_follow_up",
            "loss__deal__customer",
            "loss__deal__owner",
            "loss__outcome_type",
            "loss__stage_at_loss",
        )
        .prefetch_related("participants")
        .get(pk=debrief_id)
    )


def _added_questions(answers: list[DebriefAnswer]) -> list[tuple[str, str]]:
    return [(a.question, a.answer) for a in answers if a.number == 0]


def _answers_form(
    debrief: Debrief, answers: list[DebriefAnswer], data: QueryDict | None = None
) -> DebriefAnswersForm:
    by_number = {a.number: a.answer for a in answers if a.number}
    initial: dict[str, Any] = {
        "version": debrief.version,
        "customer_decisive_reason": debrief.customer_decisive_reason_id,
        "notes": debrief.notes,
        **{f"answer_{n}": text for n, text in by_number.items()},
    }
    added = _added_questions(answers)
    initial |= {f"extra_answer_{i}": answer for i, (_, answer) in enumerate(added)}
    return DebriefAnswersForm(data, loss=debrief.loss, added=added, initial=initial)


def _schedule_form(debrief: Debrief, data: QueryDict | None = None) -> DebriefScheduleForm:
    return DebriefScheduleForm(
        data,
        customer_id=debrief.loss.deal.customer_id,
        initial={
            "version": debrief.version,
            **schedule_initial(debrief.when, debrief.duration_minutes, debrief.customer_contact_id),
        },
        prefix="schedule",
    )


def _debrief_page(
    request: AuthenticatedRequest, debrief: Debrief, status: int | None = None, **forms: Any
) -> HttpResponse:
    user = request.user
    can_run = access.can_run_debrief(user, debrief)
    answers = list(debrief.answers.all())
    loss = debrief.loss
    context: dict[str, Any] = {
        "debrief": debrief,
        "loss": loss,
        "deal": loss.deal,
        "opener": DEBRIEF_OPENER,
        "reminders": DEBRIEF_REMINDERS,
        "answers": answers,
        "numbered": _numbered(answers),
        "added": [a for a in answers if a.number == 0],
        "participants": list(debrief.participants.all()),
        "reason_links": list(loss.reason_links.select_related("reason")),
        "lessons": list(debrief.lessons.select_related("author")),
        "can_run": can_run,
        "follow_up": debrief.contact_follow_up,
        "can_tick_follow_up": debrief.contact_follow_up is not None
        and debrief.contact_follow_up.done_at is None
        and access.can_complete_follow_up(user, debrief.contact_follow_up),
        "answers_form": forms.get("answers_form"),
        "schedule_form": forms.get("schedule_form"),
        "close_form": forms.get("close_form"),
        "lesson_form": forms.get("lesson_form"),
    }
    writable = debrief.status not in (DebriefStatus.DECLINED, DebriefStatus.CANCELLED)
    if can_run:
        if context["answers_form"] is None and writable:
            context["answers_form"] = _answers_form(debrief, answers)
        if debrief.is_open:
            context["schedule_form"] = context["schedule_form"] or _schedule_form(debrief)
            context["close_form"] = context["close_form"] or DebriefCloseForm(prefix="close")
        if debrief.status == DebriefStatus.HELD:
            context["lesson_form"] = context["lesson_form"] or LessonForm(
                loss=loss, initial=lesson_initial(loss), prefix="lesson"
            )
    if status is None:
        status = max(_status(f) for f in forms.values()) if forms else 200
    return render(request, "losses/debrief.html", context, status=status)


def _numbered(answers: list[DebriefAnswer]) -> list[tuple[int, str, str]]:
    by_number = {a.number: a.answer for a in answers if a.number}
    return [(n, q, by_number.get(n, "")) for n, q in enumerate(DEBRIEF_QUESTIONS, start=1)]


def _is_conflict(error: ValidationError) -> bool:
    """The action refused a save made from an old copy (optimistic locking)."""
    return hasattr(error, "error_dict") and "version" in error.error_dict


def _refusal(user: User, debrief: Debrief) -> int | None:
    """The status of a write by someone who may read the debrief but not run it: the action
    gives the clear message, the status says it was refused."""
    _writer(user)
    return None if access.can_run_debrief(user, debrief) else 403


@login_required
def debrief(request: AuthenticatedRequest, debrief_id: int) -> HttpResponse:
    user = request.user
    record = _debrief_for(user, debrief_id)
    if request.method != "POST":
        return _debrief_page(request, record)
    refused = _refusal(user, record)
    answers = list(record.answers.all())
    form = _answers_form(record, answers, request.POST)
    conflict = False
    if form.is_valid():
        data = form.cleaned_data
        entries = [
            actions.AnswerInput(number=n, answer=data[f"answer_{n}"])
            for n in range(1, len(form.question_fields()) + 1)
        ]
        entries += [
            actions.AnswerInput(number=0, question=question, answer=data[f"extra_answer_{i}"])
            for i, (question, _) in enumerate(form.added)
        ]
        if data["new_question"].strip():
            entries.append(
                actions.AnswerInput(
                    number=0, question=data["new_question"], answer=data["new_answer"]
                )
            )
        try:
            actions.record_debrief_answers(
                record,
                user,
                entries,
                customer_decisive_reason=data["customer_decisive_reason"],
                notes=data["notes"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            conflict = _is_conflict(error)
            add_action_errors(form, error)
        else:
            messages.success(request, "The customer's answers are saved.")
            return redirect(record)
    status = refused or (409 if conflict else 400)
    return _debrief_page(request, record, status=status, answers_form=form)


@login_required
@require_POST
def debrief_schedule(request: AuthenticatedRequest, debrief_id: int) -> HttpResponse:
    user = request.user
    record = _debrief_for(user, debrief_id)
    refused = _refusal(user, record)
    form = _schedule_form(record, request.POST)
    conflict = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.reschedule_debrief(
                record,
                user,
                scheduled_for=data["scheduled_for"],
                duration_minutes=data["duration_minutes"],
                customer_contact=data["customer_contact"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            conflict = _is_conflict(error)
            add_action_errors(form, error)
        else:
            when = timezone.localtime(data["scheduled_for"])
            messages.success(
                request, f"Debrief scheduled for {when:%a %d %b %Y, %H:%M}; the invite is sent."
            )
            return redirect(record)
    status = refused or (409 if conflict else 400)
    return _debrief_page(request, record, status=status, schedule_form=form)


@login_required
@require_POST
def debrief_held(request: AuthenticatedRequest, debrief_id: int) -> HttpResponse:
    user = request.user
    record = _debrief_for(user, debrief_id)
    refused = _refusal(user, record)
    try:
        actions.mark_debrief_held(record, user)
    except ValidationError as error:
        if refused:
            raise PermissionDenied(" ".join(error.messages)) from error
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Marked as held. Now: what will the team learn from it?")
    return redirect(record)


@login_required
@require_POST
def debrief_close(request: AuthenticatedRequest, debrief_id: int) -> HttpResponse:
    user = request.user
    record = _debrief_for(user, debrief_id)
    refused = _refusal(user, record)
    form = DebriefCloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            actions.close_debrief(
                record, user, form.cleaned_data["status"], form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            record.refresh_from_db(fields=["status"])
            messages.success(request, f"Debrief closed: {record.get_status_display().lower()}.")
            return redirect(record)
    return _debrief_page(request, record, status=refused or 400, close_form=form)


@login_required
@require_POST
def debrief_lesson(request: AuthenticatedRequest, debrief_id: int) -> HttpResponse:
    user = request.user
    record = _debrief_for(user, debrief_id)
    refused = _refusal(user, record)
    form = LessonForm(request.POST, loss=record.loss, prefix="lesson")
    if form.is_valid():
        try:
            lesson = actions.record_lesson(user, _lesson_input(form), debrief=record)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Lesson recorded: {lesson.statement}")
            return redirect(f"{record.get_absolute_url()}#lessons")
    return _debrief_page(request, record, status=refused or 400, lesson_form=form)


@login_required
@require_POST
def debrief_follow_up(request: AuthenticatedRequest, debrief_id: int) -> HttpResponse:
    """Tick off the manager's task to ask the customer for the post-mortem call."""
    user = request.user
    record = _debrief_for(user, debrief_id)
    follow_up = record.contact_follow_up
    if follow_up is None:
        raise Http404("This debrief has no follow-up.")
    if not access.can_complete_follow_up(user, follow_up):
        raise PermissionDenied("This follow-up is not yours to tick off.")
    pipeline_actions.complete_follow_up(follow_up, user)
    messages.success(request, f"Done: {follow_up.title}.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect(record)


@login_required
@require_GET
def debrief_ics(request: AuthenticatedRequest, debrief_id: int) -> HttpResponse:
    record = _debrief_for(request.user, debrief_id)
    response = HttpResponse(
        queries.debrief_invite_ics(record), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="debrief-{record.pk}.ics"'
    return response


# --- lists --------------------------------------------------------------------------------


def _parse_filters(params: QueryDict) -> tuple[queries.LossFilters, dict[str, list[str]]]:
    """The filters, and the messages for any bad ones, which are then left out: a typo in one
    field should not hide every loss."""
    try:
        return queries.LossFilters.from_params(params), {}
    except ValidationError as error:
        errors = error.message_dict
        good = {key: value for key, value in params.items() if key not in errors}
        return queries.LossFilters.from_params(good), errors


def _without_blanks(request: AuthenticatedRequest) -> str:
    """The URL to show after filtering: a form sends every field, most of them empty."""
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if kept := [value for value in values if value]:
            params.setlist(key, kept)
    return f"{request.path}?{params.urlencode()}" if params else request.path


@login_required
@require_GET
def losses(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    filters, filter_errors = _parse_filters(request.GET)
    qs = filters.apply(access.losses_visible_to(user))
    page = Paginator(queries.loss_list(qs), PER_PAGE).get_page(request.GET.get("page"))
    org = Organisation.current()
    context: dict[str, Any] = {
        "page_obj": page,
        "threshold": org.major_deal_threshold,
        "filter_errors": [(k, " ".join(v)) for k, v in filter_errors.items()],
    }
    partial = is_partial(request)
    if not partial:
        context |= {
            "form": LossFilterForm(request.GET, user=user, errors=filter_errors),
            "other_warning": queries.other_warning()
            if access.sees_reason_list_warnings(user)
            else "",
            "can_manage_reasons": access.can_manage_loss_reasons(user),
        }
    template = "losses/partials/loss_table.html" if partial else "losses/losses.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    if partial:
        push_url(response, _without_blanks(request))
    return response


@login_required
@require_GET
def debriefs(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    qs = queries.debriefs_due(access.debriefs_visible_to(user))
    mine = request.GET.get("mine") == "1"
    if mine:
        qs = qs.filter(Q(leader=user) | Q(participants=user))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "mine": mine, "today": timezone.localdate()}
    return render(request, "losses/debriefs.html", context)


@login_required
@require_GET
def lessons(request: AuthenticatedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = access.lessons_visible_to(request.user)
    if q:
        qs = qs.filter(Q(statement__icontains=q) | Q(do_differently__icontains=q))
    qs = qs.select_related(
        "loss__deal__customer", "author", "team", "tag_reason", "tag_competitor", "tag_stage"
    ).order_by("-created_at", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "losses/lessons.html", {"page_obj": page, "q": q})


@login_required
@require_GET
def lesson(request: AuthenticatedRequest, lesson_id: int) -> HttpResponse:
    user = request.user
    access.get_lesson_for_user(user, lesson_id)  # 404 for anyone outside its team
    record = Lesson.objects.select_related(
        "loss__deal__customer",
        "author",
        "team",
        "debrief",
        "own_it__loss__deal",
        "tag_reason",
        "tag_competitor",
        "tag_stage",
    ).get(pk=lesson_id)
    # A lesson is the team's; where it came from may be more private: link only what opens.
    context = {
        "lesson": record,
        "deal_link": access.deals_visible_to(user).filter(pk=record.loss.deal_id).exists(),
        "debrief_link": record.debrief_id is not None
        and access.debriefs_visible_to(user).filter(pk=record.debrief_id).exists(),
        "own_it_link": record.own_it is not None
        and access.can_see_own_it_review(user, record.own_it),
    }
    return render(request, "losses/lesson.html", context)


@login_required
@require_GET
def rep_vs_customer(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    debriefs = access.debriefs_visible_to(user)
    visible: set[int] | None = None
    if not access.is_admin(user):
        visible = set(
            access.own_it_reviews_visible_to(user)
            .filter(loss__debrief__status=DebriefStatus.HELD)
            .values_list("pk", flat=True)
        )
    pairs = queries.rep_versus_customer(debriefs, own_it_visible=visible)
    gap = queries.reason_gap(pairs)
    context = {
        "pairs": pairs[:REP_VS_CUSTOMER_ROWS],
        "pair_count": len(pairs),
        "gap": gap,
        "differ_share": round(100 * gap["differ"] / gap["compared"]) if gap["compared"] else None,
    }
    return render(request, "losses/rep_vs_customer.html", context)


# --- the reason list and outcome types ----------------------------------------------------


def _settings_admin(user: User) -> None:
    """Settings pages answer 404 to anyone but admins, as if they were not there."""
    if not access.can_manage_loss_reasons(user):
        raise Http404("No such page.")


def _reasons_page(
    request: AuthenticatedRequest,
    form: ReasonForm | None = None,
    row_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    reasons = LossReason.objects.select_related("merged_into").annotate(uses=Count("loss_links"))
    errors = row_errors or {}
    context = {
        "rows": [(reason, errors.get(reason.pk, [])) for reason in reasons],
        "form": form or ReasonForm(),
        "other_warning": queries.other_warning(),
        "section": "reasons",
    }
    return render(request, "losses/reasons.html", context, status=status)


@login_required
def reasons(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    _settings_admin(user)
    if request.method != "POST":
        return _reasons_page(request)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            reason = actions.add_reason(user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"“{reason.name}” added to the reason list.")
            return redirect("losses-reasons")
    return _reasons_page(request, form=form, status=400)


def _reason_page(
    request: AuthenticatedRequest,
    reason: LossReason,
    form: ReasonForm | None = None,
    merge_form: MergeForm | None = None,
) -> HttpResponse:
    context = {
        "reason": reason,
        "form": form
        or ReasonForm(
            initial={
                "name": reason.name,
                "is_other": reason.is_other,
                "outside_rep_control": reason.outside_rep_control,
            }
        ),
        "merge_form": merge_form or MergeForm(reason=reason),
        "events": list(ReasonEvent.objects.filter(reason=reason).select_related("actor")[:20]),
        "uses": reason.loss_links.count(),
        "section": "reasons",
    }
    status = max(_status(form), _status(merge_form))
    return render(request, "losses/reason_edit.html", context, status=status)


@login_required
def reason_edit(request: AuthenticatedRequest, reason_id: int) -> HttpResponse:
    user = request.user
    _settings_admin(user)
    reason = get_object_or_404(LossReason.objects.select_related("merged_into"), pk=reason_id)
    if request.method != "POST":
        return _reason_page(request, reason)
    form = ReasonForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                actions.rename_reason(reason, user, data["name"])
                actions.update_reason_flags(
                    reason,
                    user,
                    is_other=data["is_other"],
                    outside_rep_control=data["outside_rep_control"],
                )
        except ValidationError as error:
            add_action_errors(form, error)
            reason.refresh_from_db()
        else:
            messages.success(request, f"“{reason.name}” is saved.")
            return redirect("losses-reasons")
    return _reason_page(request, reason, form=form)


@login_required
@require_POST
def reason_merge(request: AuthenticatedRequest, reason_id: int) -> HttpResponse:
    user = request.user
    _settings_admin(user)
    reason = get_object_or_404(LossReason, pk=reason_id)
    form = MergeForm(request.POST, reason=reason)
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            actions.merge_reasons(reason, target, user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, f"“{reason.name}” is merged into “{target.name}”; past losses follow."
            )
            return redirect("losses-reasons")
    return _reason_page(request, reason, merge_form=form)


@login_required
@require_POST
def reason_retire(request: AuthenticatedRequest, reason_id: int) -> HttpResponse:
    return _set_reason_active(request, reason_id, active=False)


@login_required
@require_POST
def reason_restore(request: AuthenticatedRequest, reason_id: int) -> HttpResponse:
    return _set_reason_active(request, reason_id, active=True)


def _set_reason_active(
    request: AuthenticatedRequest, reason_id: int, *, active: bool
) -> HttpResponse:
    user = request.user
    _settings_admin(user)
    reason = get_object_or_404(LossReason, pk=reason_id)
    try:
        if active:
            actions.restore_reason(reason, user)
        else:
            actions.retire_reason(reason, user)
    except ValidationError as error:
        return _reasons_page(request, row_errors={reason.pk: error.messages}, status=400)
    verb = "is offered again" if active else "is retired: past losses keep it"
    messages.success(request, f"“{reason.name}” {verb}.")
    return redirect("losses-reasons")


def _outcome_types_page(
    request: AuthenticatedRequest, form: OutcomeTypeForm | None = None, status: int = 200
) -> HttpResponse:
    rows = OutcomeType.objects.annotate(uses=Count("losses"))
    context = {"rows": rows, "form": form or OutcomeTypeForm(), "section": "outcome_types"}
    return render(request, "losses/outcome_types.html", context, status=status)


@login_required
def outcome_types(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    _settings_admin(user)
    if request.method != "POST":
        return _outcome_types_page(request)
    form = OutcomeTypeForm(request.POST)
    if form.is_valid():
        try:
            outcome = actions.add_outcome_type(user, form.cleaned_data["name"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"“{outcome.name}” added to the outcome types.")
            return redirect("losses-outcome-types")
    return _outcome_types_page(request, form=form, status=400)


@login_required
def outcome_type_edit(request: AuthenticatedRequest, outcome_id: int) -> HttpResponse:
    user = request.user
    _settings_admin(user)
    outcome = get_object_or_404(OutcomeType, pk=outcome_id)
    form = OutcomeTypeEditForm(
        request.POST if request.method == "POST" else None,
        initial={"name": outcome.name, "is_active": outcome.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_outcome_type(outcome, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
            outcome.refresh_from_db()
        else:
            messages.success(request, f"“{outcome.name}” is saved.")
            return redirect("losses-outcome-types")
    context = {"outcome": outcome, "form": form, "section": "outcome_types"}
    return render(request, "losses/outcome_type_edit.html", context, status=_status(form))
