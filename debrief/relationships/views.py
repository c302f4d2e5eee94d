"""The relationship pages: one customer's relationship (status and its history, the recovery
plan, a change of rep, the re-engagement date and its reminder, time to mend), the list of
relationships that are not intact, and time to mend across them. Reads go through
`org.access` and `relationships.queries`, writes through `relationships.actions`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from debrief.org import access
from debrief.org.forms import add_action_errors
from debrief.org.models import Organisation
from debrief.pipeline.models import Customer, DealStatus
from debrief.relationships import actions, queries
from debrief.relationships.forms import (
    ReEngagementForm,
    RepForm,
    StatusFilterForm,
    StatusForm,
    TouchpointDoneForm,
    TouchpointForm,
)
from debrief.relationships.models import Relationship, RelationshipStatus, Touchpoint
from debrief.web.htmx import AuthenticatedRequest, is_partial

PER_PAGE = 50
HISTORY_LIMIT = 100


def _customer(request: AuthenticatedRequest, customer_id: int, *, change: bool = False) -> Customer:
    """The customer, or 404 if the user may not see it; 403 if they may see it but not
    change its relationship."""
    customer = access.get_customer_for_user(request.user, customer_id)
    if change and not access.can_change_relationship(request.user, customer):
        raise PermissionDenied("You can read this relationship but not change it.")
    return customer


# --- one customer's relationship ------------------------------------------------------------


def _context(
    request: AuthenticatedRequest, customer: Customer, **forms_given: Any
) -> dict[str, Any]:
    """Everything the relationship page shows, in a fixed number of queries however long its
    history and plan: the history is capped and each list is fetched in one go."""
    user = request.user
    relationship = queries.relationship_for_page(customer)
    can_change = access.can_change_relationship(user, customer)
    events = (
        list(relationship.events.select_related("actor")[: HISTORY_LIMIT + 1])
        if relationship.pk
        else []
    )
    touchpoints = list(relationship.touchpoints.select_related("owner")) if relationship.pk else []
    org = Organisation.current()
    today = timezone.localdate()
    context: dict[str, Any] = {
        "customer": customer,
        "relationship": relationship,
        "can_change": can_change,
        "history": [(event, queries.describe_event(event)) for event in events[:HISTORY_LIMIT]],
        "history_capped": len(events) > HISTORY_LIMIT,
        "history_limit": HISTORY_LIMIT,
        "touchpoints": touchpoints,
        "open_touchpoints": sum(1 for t in touchpoints if t.done_at is None),
        "spans": queries.mend_spans(relationship),
        "today": today,
        "default": queries.re_engagement_default(customer, today, org),
        "benchmark_months_to_years": queries.BENCHMARK_MONTHS_TO_YEARS,
        "benchmark_never": queries.BENCHMARK_NEVER,
    }
    if can_change:
        owners = access.assignable_owners(user).order_by("full_name", "pk")
        open_deals = access.deals_editable_by(user).filter(
            customer=customer, status=DealStatus.OPEN
        )
        # The step whose "done" form was refused keeps its answer and errors.
        refused_for, refused_form = forms_given.get("done_for"), forms_given.get("done_form")
        context |= {
            "status_form": forms_given.get("status_form")
            or StatusForm(
                current=relationship.status,
                initial={"version": relationship.version},
                auto_id="status_%s",
            ),
            "touchpoint_form": forms_given.get("touchpoint_form")
            or TouchpointForm(
                owners=owners,
                initial={"owner": customer.owner_id or user.pk, "due_on": today},
                auto_id="touchpoint_%s",
            ),
            "done_forms": {
                t.pk: refused_form
                if refused_form is not None and refused_for == t.pk
                else TouchpointDoneForm(auto_id=f"done_{t.pk}_%s")
                for t in touchpoints
                if t.done_at is None
            },
            "rep_form": forms_given.get("rep_form")
            or RepForm(reps=owners.exclude(pk=customer.owner_id or 0), auto_id="rep_%s"),
            "open_deal_count": open_deals.count(),
            "re_engagement_form": forms_given.get("re_engagement_form")
            or ReEngagementForm(
                initial={
                    "re_engage_on": relationship.re_engage_on or context["default"].on,
                    "note": relationship.re_engage_note,
                },
                auto_id="reengage_%s",
            ),
        }
    return context


def _page(
    request: AuthenticatedRequest, customer: Customer, *, status: int = 200, **forms_given: Any
) -> HttpResponse:
    context = _context(request, customer, **forms_given)
    return render(request, "relationships/relationship.html", context, status=status)


def _plan_answer(
    request: AuthenticatedRequest, customer: Customer, *, status: int = 200, **forms_given: Any
) -> HttpResponse:
    """After a change to the recovery plan: to HTMX, the plan with the status and history
    swapped in beside it (adding a step may have made the relationship 'recovering'); to a
    plain form post, the page again, or on success a redirect to it."""
    if is_partial(request):
        context = _context(request, customer, **forms_given)
        # 200 even when refused: HTMX swaps only successful answers, and the errors must show.
        response = render(request, "relationships/partials/plan_changed.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if status != 200:
        return _page(request, customer, status=status, **forms_given)
    return redirect(f"{customer_relationship_url(customer)}#recovery-plan")


def customer_relationship_url(customer: Customer) -> str:
    return Relationship(customer=customer).get_absolute_url()


@login_required
def relationship(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    return _page(request, _customer(request, customer_id))


@login_required
@require_POST
def change_status(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id, change=True)
    current = queries.relationship_for_page(customer)
    form = StatusForm(request.POST, current=current.status, auto_id="status_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = actions.change_status(
                customer,
                request.user,
                data["status"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, f"The relationship is now {updated.get_status_display().lower()}."
            )
            return redirect(customer_relationship_url(customer))
    return _page(request, customer, status=400, status_form=form)


@login_required
@require_POST
def touchpoint_add(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id, change=True)
    user = request.user
    form = TouchpointForm(
        request.POST, owners=access.assignable_owners(user), auto_id="touchpoint_%s"
    )
    if form.is_valid():
        try:
            touchpoint = actions.add_touchpoint(customer, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Added to the recovery plan: {touchpoint.description}.")
            return _plan_answer(request, customer)
    return _plan_answer(request, customer, status=400, touchpoint_form=form)


def _touchpoint(customer: Customer, touchpoint_id: int) -> Touchpoint:
    """A step of this customer's plan, or 404: the URL names the customer the user may see."""
    touchpoint = (
        Touchpoint.objects.filter(pk=touchpoint_id, relationship__customer=customer)
        .select_related("relationship")
        .first()
    )
    if touchpoint is None:
        raise Http404("No such touchpoint in this recovery plan.")
    return touchpoint


@login_required
@require_POST
def touchpoint_move(
    request: AuthenticatedRequest, customer_id: str, touchpoint_id: str, direction: str
) -> HttpResponse:
    # A regex route (up|down only), so the ids arrive as text.
    customer = _customer(request, int(customer_id), change=True)
    touchpoint = _touchpoint(customer, int(touchpoint_id))
    ids = list(touchpoint.relationship.touchpoints.values_list("pk", flat=True))
    at = ids.index(touchpoint.pk)
    other = at - 1 if direction == "up" else at + 1
    if 0 <= other < len(ids):
        ids[at], ids[other] = ids[other], ids[at]
        actions.reorder_touchpoints(customer, request.user, ids)
    return _plan_answer(request, customer)


@login_required
@require_POST
def touchpoint_done(
    request: AuthenticatedRequest, customer_id: int, touchpoint_id: int
) -> HttpResponse:
    customer = _customer(request, customer_id, change=True)
    touchpoint = _touchpoint(customer, touchpoint_id)
    form = TouchpointDoneForm(request.POST, auto_id=f"done_{touchpoint.pk}_%s")
    if form.is_valid():
        try:
            actions.complete_touchpoint(
                touchpoint, request.user, outcome_note=form.cleaned_data["outcome_note"]
            )
        except ValidationError as error:
            if "touchpoint" in error.message_dict:
                # Already done (say, in another tab): the plan shows it done, which is the news.
                messages.info(request, " ".join(error.message_dict["touchpoint"]))
                return _plan_answer(request, customer)
            add_action_errors(form, error)
        else:
            messages.success(request, f"Done: {touchpoint.description}.")
            return _plan_answer(request, customer)
    return _plan_answer(request, customer, status=400, done_form=form, done_for=touchpoint.pk)


@login_required
@require_POST
def change_rep(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id, change=True)
    user = request.user
    form = RepForm(request.POST, reps=access.assignable_owners(user), auto_id="rep_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.assign_different_rep(
                customer,
                user,
                data["new_rep"],
                reason=data["reason"],
                move_open_deals=data["move_open_deals"],
                allowed_deals=access.deals_editable_by(user).filter(customer=customer),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"{data['new_rep']} now looks after {customer.name}.")
            return redirect(customer_relationship_url(customer))
    return _page(request, customer, status=400, rep_form=form)


@login_required
@require_POST
def re_engagement(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id, change=True)
    form = ReEngagementForm(request.POST, auto_id="reengage_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = actions.set_re_engagement(
                customer, request.user, on=data["re_engage_on"], note=data["note"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            day = updated.re_engage_on
            assert day is not None
            messages.success(
                request,
                f"Re-engagement set for {day.day} {day:%b %Y}, with a follow-up for "
                f"{updated.re_engage_follow_up.owner if updated.re_engage_follow_up else 'the owner'}.",
            )
            return redirect(f"{customer_relationship_url(customer)}#re-engagement")
    return _page(request, customer, status=400, re_engagement_form=form)


@login_required
def re_engagement_ics(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    """The re-engagement date as an all-day calendar reminder."""
    customer = _customer(request, customer_id)
    return reminder_response(queries.relationship_for_page(customer))


def reminder_response(relationship: Relationship) -> HttpResponse:
    """The .ics reminder of a relationship's re-engagement date, as a download; 404 when
    none is set. The API answers with the same file."""
    body = queries.re_engagement_ics(relationship)
    if body is None:
        raise Http404("No re-engagement date is set for this customer.")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"re-engage-{relationship.customer_id}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- across customers -----------------------------------------------------------------------


@login_required
def relationship_list(request: AuthenticatedRequest) -> HttpResponse:
    """The relationships that are not intact, worst and oldest damage first."""
    user = request.user
    visible = access.relationships_visible_to(user)
    form = StatusFilterForm(request.GET)
    # A bad status is shown beside the filter, and the default list below it.
    status = form.cleaned_data["status"] if form.is_valid() else queries.NOT_INTACT
    qs = queries.relationship_list(queries.filter_status(visible, status))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page_obj": page,
        "status": status,
        "today": timezone.localdate(),
    }
    if not is_partial(request):
        counts = queries.status_counts(visible)
        context |= {
            "form": form,
            "counts": [
                (value, label, counts[value])
                for value, label in RelationshipStatus.choices
                if value != RelationshipStatus.INTACT
            ],
        }
    template = (
        "relationships/partials/relationship_table.html"
        if is_partial(request)
        else "relationships/relationships.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def time_to_mend(request: AuthenticatedRequest) -> HttpResponse:
    """How long mending took across the relationships the user may see, against the
    research's 64% (months to years) and 6% (never)."""
    figures = queries.time_to_mend(access.relationships_visible_to(request.user))
    context = {
        "figures": figures,
        "benchmark_months_to_years": queries.BENCHMARK_MONTHS_TO_YEARS,
        "benchmark_never": queries.BENCHMARK_NEVER,
        "never_after_days": queries.NEVER_AFTER_DAYS,
    }
    return render(request, "relationships/time_to_mend.html", context)
