"""The pipeline's pages: the deal list and deal page, deal forms, customers, contacts and
competitors. Reads go through `org.access` and `pipeline.queries`, writes through
`pipeline.actions`."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from debrief.org import access
from debrief.org.forms import add_action_errors
from debrief.org.models import User
from debrief.pipeline import actions, queries
from debrief.pipeline.forms import (
    CompetitorForm,
    ContactForm,
    CustomerForm,
    DealContactForm,
    DealFilterForm,
    DealForm,
    StageMoveForm,
    customer_initial,
    deal_initial,
)
from debrief.pipeline.models import Competitor, Customer, Deal, DealStatus
from debrief.pipeline.panels import render_deal_panels

PER_PAGE = 50
TIMELINE_LIMIT = 100
CUSTOMER_DEALS_LIMIT = 50
CUSTOMER_OPTIONS = 30


class PipelineRequest(HttpRequest):
    """A signed-in request as our middleware leaves it, for the type checker."""

    user: User
    htmx: HtmxDetails


def _is_partial(request: PipelineRequest) -> bool:
    # A history restore after a cache miss wants the whole page back.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _page_or_partial(
    request: PipelineRequest, page: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The same URL answers with the whole page or, to HTMX, just the part that changes."""
    response = render(request, partial if _is_partial(request) else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class CountedPaginator(Paginator[Any]):
    """A paginator given the count the summary query already made, so that no second
    COUNT(*) runs over a large pipeline."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# --- the pipeline -----------------------------------------------------------------------------


def _parse_filters(params: QueryDict) -> tuple[queries.DealFilters, dict[str, list[str]]]:
    """The filters, and the messages for any bad ones, which are then left out: a typo in one
    field should not hide the whole pipeline."""
    try:
        return queries.DealFilters.from_params(params), {}
    except ValidationError as error:
        errors = error.message_dict
        good = {key: value for key, value in params.items() if key not in errors}
        return queries.DealFilters.from_params(good), errors


@login_required
def deals(request: PipelineRequest) -> HttpResponse:
    user = request.user
    filters, filter_errors = _parse_filters(request.GET)
    qs = filters.apply(access.deals_visible_to(user))
    totals = list(
        qs.order_by()
        .values("currency")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("currency")
    )
    count = sum(row["n"] for row in totals)
    page = CountedPaginator(queries.deal_list(qs), PER_PAGE, count).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "page_obj": page,
        "count": count,
        "totals": totals,
        "filter_errors": _labelled_errors(filter_errors),
    }
    if not _is_partial(request):
        context |= {
            "form": DealFilterForm(request.GET, user=user, errors=filter_errors),
            "can_create": access.can_create_deals(user),
        }
    response = _page_or_partial(
        request, "pipeline/deals.html", "pipeline/partials/deal_table.html", context
    )
    if _is_partial(request):
        push_url(response, _without_blanks(request))
    return response


def _without_blanks(request: PipelineRequest) -> str:
    """The URL to show after filtering: a form sends every field, most of them empty."""
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if kept := [value for value in values if value]:
            params.setlist(key, kept)
    return f"{request.path}?{params.urlencode()}" if params else request.path


FILTER_LABELS = {
    "q": "Search",
    "owner": "Owner",
    "team": "Team",
    "stage": "Stage",
    "status": "Status",
    "customer": "Customer",
    "amount_min": "Amount from",
    "amount_max": "Amount to",
    "close_from": "Closing from",
    "close_to": "Closing to",
    "sort": "Sort",
}


def _labelled_errors(errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [
        (FILTER_LABELS.get(name, name), " ".join(messages)) for name, messages in errors.items()
    ]


# --- one deal ---------------------------------------------------------------------------------


def _deal_context(request: PipelineRequest, deal: Deal, **extra: Any) -> dict[str, Any]:
    """What the deal page and its partials show. A fixed number of queries however long the
    history: the timeline is capped and fetched in one go."""
    can_edit = access.can_edit_deal(request.user, deal)
    events = queries.deal_timeline(deal, limit=TIMELINE_LIMIT + 1)
    context: dict[str, Any] = {
        "deal": deal,
        "can_edit": can_edit,
        "events": events[:TIMELINE_LIMIT],
        "timeline_capped": len(events) > TIMELINE_LIMIT,
        "timeline_limit": TIMELINE_LIMIT,
    }
    if can_edit:
        context["stage_form"] = StageMoveForm(initial={"stage": deal.stage_id}, auto_id="stage_%s")
    return context | extra


def _visible_deal(request: PipelineRequest, deal_id: int, *, edit: bool = False) -> Deal:
    user = request.user
    return access.get_deal_for_user(
        user, deal_id, edit=edit, queryset=queries.deal_detail(access.deals_visible_to(user))
    )


@login_required
def deal(request: PipelineRequest, deal_id: int) -> HttpResponse:
    deal = _visible_deal(request, deal_id)
    context = _deal_context(request, deal)
    if context["can_edit"]:
        linked = [link.contact_id for link in deal.deal_contacts.all()]
        contact_form = DealContactForm(deal=deal, auto_id="contact_%s")
        contact_form.fields["contact"].queryset = (  # type: ignore[attr-defined]
            contact_form.fields["contact"].queryset.exclude(pk__in=linked)  # type: ignore[attr-defined]
        )
        context["contact_form"] = contact_form
    context["panels"] = render_deal_panels(request, deal)
    return render(request, "pipeline/deal.html", context)


@login_required
@require_POST
def deal_stage(request: PipelineRequest, deal_id: int) -> HttpResponse:
    deal = _visible_deal(request, deal_id, edit=True)
    form = StageMoveForm(request.POST, auto_id="stage_%s")
    if form.is_valid():
        try:
            actions.move_deal_stage(deal, request.user, form.cleaned_data["stage"])
        except ValidationError as error:
            add_action_errors(form, error)
    if request.htmx:
        extra = {"stage_form": form} if form.errors else {}
        return render(
            request,
            "pipeline/partials/deal_stage_moved.html",
            _deal_context(request, deal, **extra),
        )
    if form.errors:
        messages.error(request, _error_text(form))
    else:
        messages.success(request, f"Moved to {deal.stage}.")
    return redirect(deal)


@login_required
@require_POST
def deal_contact_add(request: PipelineRequest, deal_id: int) -> HttpResponse:
    deal = _visible_deal(request, deal_id, edit=True)
    form = DealContactForm(request.POST, deal=deal)
    if form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            actions.add_deal_contact(deal, contact, form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"{contact} added to the deal.")
    if form.errors:
        messages.error(request, _error_text(form))
    return redirect(f"{deal.get_absolute_url()}#contacts")


@login_required
@require_POST
def deal_contact_remove(request: PipelineRequest, deal_id: int, contact_id: int) -> HttpResponse:
    deal = _visible_deal(request, deal_id, edit=True)
    contact = access.get_contact_for_user(request.user, contact_id)
    actions.remove_deal_contact(deal, contact, by=request.user)
    messages.success(request, f"{contact} removed from the deal.")
    return redirect(f"{deal.get_absolute_url()}#contacts")


def _error_text(form: forms.Form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


# --- creating and editing deals ---------------------------------------------------------------


def _deal_changes(form: DealForm) -> dict[str, Any]:
    """The form's values as the deal actions take them; new product names become products."""
    data = form.cleaned_data
    fields = {
        name: data[name]
        for name in (
            "name",
            "customer",
            "owner",
            "team",
            "amount",
            "currency",
            "stage",
            "expected_close_date",
            "source",
            "next_step",
            "next_step_date",
        )
    }
    if fields["team"] is None:
        fields["team"] = actions.owner_team(data["owner"])
        if fields["team"] is None:
            raise ValidationError({"team": f"{data['owner']} is in no team: choose one."})
    new_products = [actions.get_or_create_product(name) for name in form.new_product_names()]
    fields["products"] = [*data["products"], *new_products]
    fields["competitors"] = list(data["competitors"])
    return fields


@access.writer_required
def deal_new(request: PipelineRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"stage": actions.default_open_stage().pk}
    customer_id = request.GET.get("customer", "")
    if customer_id.isdigit():
        initial["customer"] = customer_id
    form = DealForm(request.POST if request.method == "POST" else None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction with the products it names, so a refused deal leaves nothing.
            with transaction.atomic():
                deal = actions.create_deal(user, **_deal_changes(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Deal {deal.name} created.")
            return redirect(deal)
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": None})


@login_required
def deal_edit(request: PipelineRequest, deal_id: int) -> HttpResponse:
    user = request.user
    deal = _visible_deal(request, deal_id, edit=True)
    form = DealForm(
        request.POST if request.method == "POST" else None,
        user=user,
        deal=deal,
        initial=deal_initial(deal),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                actions.update_deal(deal, user, **_deal_changes(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Deal saved.")
            return redirect(deal)
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": deal})


# --- customers and contacts -------------------------------------------------------------------


def _with_open_deal_counts(user: User, qs: QuerySet[Customer]) -> QuerySet[Customer]:
    """Each customer's open deals that this user may see, counted in the same query (as a
    correlated COUNT, which the database only works out for the rows of the page)."""
    open_deals = access.deals_visible_to(user).filter(
        customer=OuterRef("pk"), status=DealStatus.OPEN
    )
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return qs.annotate(open_deals=Subquery(open_deals.order_by().annotate(n=count).values("n")))


@login_required
def customers(request: PipelineRequest) -> HttpResponse:
    user = request.user
    q = request.GET.get("q", "").strip()
    qs = access.customers_visible_to(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(segment__icontains=q) | Q(region__icontains=q))
    qs = _with_open_deal_counts(user, qs.select_related("owner", "team")).order_by("name", "pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "q": q, "can_create": access.can_write(user)}
    return _page_or_partial(
        request, "pipeline/customers.html", "pipeline/partials/customer_table.html", context
    )


@login_required
def customer_options(request: PipelineRequest) -> HttpResponse:
    """The <option>s of a customer select, for the search beside it when there are too many
    customers to list them all."""
    q = request.GET.get("customer_q", "").strip()
    qs = access.customers_visible_to(request.user)
    if q:
        qs = qs.filter(name__icontains=q)
    context = {
        "customers": qs.order_by("name", "pk").values_list("pk", "name")[:CUSTOMER_OPTIONS],
        "empty_label": "Any customer" if request.GET.get("empty") == "any" else "Choose a customer",
    }
    return render(request, "pipeline/partials/customer_options.html", context)


@login_required
def customer(request: PipelineRequest, customer_id: int) -> HttpResponse:
    user = request.user
    customer = access.get_customer_for_user(user, customer_id)
    visible = access.deals_visible_to(user).filter(customer=customer)
    deals = list(
        queries.deal_list(visible).order_by("-created_at", "-pk")[: CUSTOMER_DEALS_LIMIT + 1]
    )
    summary = visible.aggregate(
        n=Count("pk"),
        open=Count("pk", filter=Q(status=DealStatus.OPEN)),
        won=Count("pk", filter=Q(status=DealStatus.WON)),
        lost=Count("pk", filter=Q(status=DealStatus.LOST)),
    )
    context = {
        "customer": customer,
        "contacts": list(customer.contacts.all()),
        "deals": deals[:CUSTOMER_DEALS_LIMIT],
        "deals_capped": len(deals) > CUSTOMER_DEALS_LIMIT,
        "summary": summary,
        "can_write": access.can_write(user),
        "can_create_deals": access.can_create_deals(user),
    }
    return render(request, "pipeline/customer.html", context)


@access.writer_required
def customer_new(request: PipelineRequest) -> HttpResponse:
    user = request.user
    initial = {"owner": user.pk, "team": getattr(actions.owner_team(user), "pk", None)}
    form = CustomerForm(
        request.POST if request.method == "POST" else None, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if fields["owner"] is None and fields["team"] is None:
            # A customer nobody owns would be invisible to the rep who just created it.
            fields["owner"] = user
        try:
            customer = actions.create_customer(user, **fields)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Customer {customer.name} created.")
            return redirect(customer)
    return render(request, "pipeline/customer_form.html", {"form": form, "customer": None})


@login_required
def customer_edit(request: PipelineRequest, customer_id: int) -> HttpResponse:
    user = request.user
    customer = access.get_customer_for_user(user, customer_id, edit=True)
    form = CustomerForm(
        request.POST if request.method == "POST" else None,
        user=user,
        customer=customer,
        initial=customer_initial(customer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_customer(customer, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Customer saved.")
            return redirect(customer)
    return render(request, "pipeline/customer_form.html", {"form": form, "customer": customer})


@login_required
def contact_new(request: PipelineRequest, customer_id: int) -> HttpResponse:
    user = request.user
    customer = access.get_customer_for_user(user, customer_id, edit=True)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = actions.create_contact(customer, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"{contact.name} added to {customer.name}.")
            return redirect(_back_to(request, customer))
    context = {"form": form, "customer": customer, "contact": None, "next": _next(request)}
    return render(request, "pipeline/contact_form.html", context)


@login_required
def contact_edit(request: PipelineRequest, contact_id: int) -> HttpResponse:
    user = request.user
    contact = access.get_contact_for_user(user, contact_id, edit=True)
    customer = contact.customer
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial={f: getattr(contact, f) for f in ("name", "title", "email", "phone")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_contact(contact, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Contact saved.")
            return redirect(_back_to(request, customer))
    context = {"form": form, "customer": customer, "contact": contact, "next": _next(request)}
    return render(request, "pipeline/contact_form.html", context)


def _next(request: PipelineRequest) -> str:
    """A deal page to return to after adding a contact from it; only our own deal URLs."""
    deal_id = request.POST.get("deal") or request.GET.get("deal") or ""
    return deal_id if deal_id.isdigit() else ""


def _back_to(request: PipelineRequest, customer: Customer) -> str:
    deal_id = _next(request)
    if deal_id:
        return reverse("pipeline-deal", args=[int(deal_id)]) + "#contacts"
    return customer.get_absolute_url() + "#contacts"


# --- competitors ------------------------------------------------------------------------------


@login_required
def competitors(request: PipelineRequest) -> HttpResponse:
    user = request.user
    can_manage = access.can_manage_competitors(user)
    form = CompetitorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Analysts read; they don't change records.")
        if form.is_valid():
            try:
                competitor = actions.create_competitor(user, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, f"{competitor.name} added to the competitors.")
                return redirect("pipeline-competitors")
    # One pass over the deal links; those who read everything need no visibility filter.
    visible = None if access.reads_everything(user) else Q(deals__in=access.deals_visible_to(user))
    rows = Competitor.objects.annotate(deal_count=Count("deals", filter=visible))
    context = {"competitors": rows, "form": form, "can_manage": can_manage}
    return render(request, "pipeline/competitors.html", context)
