"""The pipeline's pages: the deal list and deal page, deal forms, customers, contacts,
competitors, and the admins' settings page of the pipeline's stages. Reads go through `org.access` and `pipeline.queries`, writes through
`pipeline.actions`."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.forms.models import model_to_dict
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

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
    StageEditForm,
    StageForm,
    StageMoveForm,
)
from debrief.pipeline.models import Competitor, Customer, Deal, DealStatus, Stage
from debrief.pipeline.panels import render_deal_panels
from debrief.pipeline.signals import PIPELINE_DATA
from debrief.web.answers import cached_page
from debrief.web.htmx import AuthenticatedRequest as Request
from debrief.web.htmx import is_partial, render_page_or_partial

PER_PAGE = 50
TIMELINE_LIMIT = 100
CUSTOMER_DEALS_LIMIT = 50
CUSTOMER_OPTIONS = 30


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
def deals(request: Request) -> HttpResponse:
    """The pipeline. Its totals and filter choices scan every visible deal, so the answer is
    kept until the pipeline's data changes (web/answers.py)."""
    user = request.user
    depends_on = (user.pk, user.time_zone, timezone.localdate(), is_partial(request))
    return cached_page(request, PIPELINE_DATA, depends_on, lambda: _deals(request))


def _deals(request: Request) -> HttpResponse:
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
    if not is_partial(request):
        context |= {
            "form": DealFilterForm(request.GET, user=user, errors=filter_errors),
            "can_create": access.can_create_deals(user),
        }
    response = render_page_or_partial(
        request, "pipeline/deals.html", "pipeline/partials/deal_table.html", context
    )
    if is_partial(request):
        push_url(response, _without_blanks(request))
    return response


def _without_blanks(request: Request) -> str:
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


def _stage_form(request: Request, deal: Deal, bound: StageMoveForm | None) -> StageMoveForm | None:
    """The stage move, for those who may change the deal. Not on a lost deal: it is reopened
    from its loss section, which keeps the loss in the deal's history."""
    if not access.can_edit_deal(request.user, deal) or deal.status == DealStatus.LOST:
        return None
    return bound or StageMoveForm(deal=deal)


def _deal_context(
    request: Request, deal: Deal, stage_form: StageMoveForm | None = None
) -> dict[str, Any]:
    """What the deal page and its partials show. A fixed number of queries however long the
    history: the timeline is capped and fetched in one go."""
    events = queries.deal_timeline(deal, limit=TIMELINE_LIMIT + 1)
    return {
        "deal": deal,
        "can_edit": access.can_edit_deal(request.user, deal),
        "stage_form": _stage_form(request, deal, stage_form),
        "events": events[:TIMELINE_LIMIT],
        "timeline_capped": len(events) > TIMELINE_LIMIT,
        "timeline_limit": TIMELINE_LIMIT,
    }


def _visible_deal(request: Request, deal_id: int, *, edit: bool = False) -> Deal:
    user = request.user
    return access.get_deal_for_user(
        user, deal_id, edit=edit, queryset=queries.deal_detail(access.deals_visible_to(user))
    )


def _deal_page(
    request: Request,
    deal: Deal,
    *,
    stage_form: StageMoveForm | None = None,
    contact_form: DealContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The deal page; a form sent back with errors shows them beside its fields."""
    context = _deal_context(request, deal, stage_form)
    if context["can_edit"]:
        context["contact_form"] = contact_form or DealContactForm(deal=deal)
    context["panels"] = render_deal_panels(request, deal)
    return render(request, "pipeline/deal.html", context, status=status)


@login_required
def deal(request: Request, deal_id: int) -> HttpResponse:
    return _deal_page(request, _visible_deal(request, deal_id))


@login_required
@require_POST
def deal_stage(request: Request, deal_id: int) -> HttpResponse:
    deal = _visible_deal(request, deal_id, edit=True)
    form = StageMoveForm(request.POST, deal=deal)
    if deal.status == DealStatus.LOST:
        form.add_error(None, "Reopen a lost deal from its loss section: it keeps the loss.")
    elif form.is_valid():
        try:
            actions.move_deal_stage(deal, request.user, form.cleaned_data["stage"])
        except ValidationError as error:
            add_action_errors(form, error)
    if is_partial(request):
        # htmx swaps only 2xx answers; the errors are beside the field and announced.
        context = _deal_context(request, deal, form if form.errors else None)
        context["refused"] = _error_text(form)
        return render(request, "pipeline/partials/deal_stage_moved.html", context)
    if not form.errors:
        messages.success(request, f"Moved to {deal.stage}.")
        return redirect(deal)
    if _stage_form(request, deal, form) is None:
        messages.error(request, _error_text(form))  # no field to show it beside
    return _deal_page(request, deal, stage_form=form, status=400)


def _error_text(form: StageMoveForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@login_required
@require_POST
def deal_contact_add(request: Request, deal_id: int) -> HttpResponse:
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
            return redirect(f"{deal.get_absolute_url()}#contacts")
    return _deal_page(request, deal, contact_form=form, status=400)


@login_required
@require_POST
def deal_contact_remove(request: Request, deal_id: int, contact_id: int) -> HttpResponse:
    deal = _visible_deal(request, deal_id, edit=True)
    contact = access.get_contact_for_user(request.user, contact_id)
    actions.remove_deal_contact(deal, contact, by=request.user)
    messages.success(request, f"{contact} removed from the deal.")
    return redirect(f"{deal.get_absolute_url()}#contacts")


# --- creating and editing deals ---------------------------------------------------------------


def _deal_changes(form: DealForm) -> dict[str, Any]:
    """The form's values as the deal actions take them; new product names become products.
    A team left empty is the owner's team (`actions.create_deal`)."""
    data = form.cleaned_data
    fields = {name: data[name] for name in actions.DEAL_FIELDS if name in data}
    new_products = [actions.get_or_create_product(name) for name in form.new_product_names()]
    fields["products"] = [*data["products"], *new_products]
    fields["competitors"] = list(data["competitors"])
    return fields


@access.writer_required
def deal_new(request: Request) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {}
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
def deal_edit(request: Request, deal_id: int) -> HttpResponse:
    user = request.user
    deal = _visible_deal(request, deal_id, edit=True)
    form = DealForm(
        request.POST if request.method == "POST" else None,
        user=user,
        deal=deal,
        initial={**model_to_dict(deal, fields=DealForm.base_fields), "version": deal.version},
    )
    conflict: actions.DealConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                actions.update_deal(
                    deal, user, read_version=form.cleaned_data["version"], **_deal_changes(form)
                )
        except actions.DealConflict as error:
            conflict = error
            # Saving again now keeps what is on the form, over the changes shown.
            data = request.POST.copy()
            data["version"] = str(deal.version)
            form.data = data
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Deal saved.")
            return redirect(deal)
    context = {"form": form, "deal": deal, "conflict": conflict}
    return render(request, "pipeline/deal_form.html", context, status=409 if conflict else 200)


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
def customers(request: Request) -> HttpResponse:
    user = request.user
    q = request.GET.get("q", "").strip()
    qs = access.customers_visible_to(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(segment__icontains=q) | Q(region__icontains=q))
    qs = _with_open_deal_counts(user, qs.select_related("owner", "team")).order_by("name", "pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "q": q, "can_create": access.can_write(user)}
    return render_page_or_partial(
        request, "pipeline/customers.html", "pipeline/partials/customer_table.html", context
    )


@login_required
def customer_options(request: Request) -> HttpResponse:
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
def customer(request: Request, customer_id: int) -> HttpResponse:
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
def customer_new(request: Request) -> HttpResponse:
    user = request.user
    form = CustomerForm(
        request.POST if request.method == "POST" else None, user=user, initial={"owner": user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            customer = actions.create_customer(user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Customer {customer.name} created.")
            return redirect(customer)
    return render(request, "pipeline/customer_form.html", {"form": form, "customer": None})


@login_required
def customer_edit(request: Request, customer_id: int) -> HttpResponse:
    user = request.user
    customer = access.get_customer_for_user(user, customer_id, edit=True)
    form = CustomerForm(
        request.POST if request.method == "POST" else None,
        user=user,
        customer=customer,
        initial=model_to_dict(customer, fields=CustomerForm.base_fields),
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
def contact_new(request: Request, customer_id: int) -> HttpResponse:
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
def contact_edit(request: Request, contact_id: int) -> HttpResponse:
    user = request.user
    contact = access.get_contact_for_user(user, contact_id, edit=True)
    customer = contact.customer
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(contact, fields=actions.CONTACT_FIELDS),
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


def _next(request: Request) -> str:
    """A deal page to return to after adding a contact from it; only our own deal URLs."""
    deal_id = request.POST.get("deal") or request.GET.get("deal") or ""
    return deal_id if deal_id.isdigit() else ""


def _back_to(request: Request, customer: Customer) -> str:
    deal_id = _next(request)
    if deal_id:
        return reverse("pipeline-deal", args=[int(deal_id)]) + "#contacts"
    return customer.get_absolute_url() + "#contacts"


# --- competitors ------------------------------------------------------------------------------


@login_required
def competitors(request: Request) -> HttpResponse:
    user = request.user
    can_manage = access.can_manage_competitors(user)
    form = CompetitorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(access.READ_ONLY)
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


# --- settings: the pipeline's stages ----------------------------------------------------------


def _stages_page(
    request: Request,
    form: StageForm | None = None,
    row_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    # An aggregate drops Meta.ordering, so the order is spelled out.
    stages = Stage.objects.annotate(
        open_deals=Count("deals", filter=Q(deals__status=DealStatus.OPEN))
    ).order_by("order", "pk")
    errors = row_errors or {}
    context = {
        "rows": [(stage, errors.get(stage.pk, [])) for stage in stages],
        "form": form or StageForm(),
        "section": "stages",
    }
    # htmx swaps only 2xx answers, and the table itself carries the error.
    status = 200 if is_partial(request) else status
    return render_page_or_partial(
        request,
        "pipeline/settings/stages.html",
        "pipeline/settings/_stages_table.html",
        context,
        status=status,
    )


@access.admin_required
def stages(request: Request) -> HttpResponse:
    if request.method != "POST":
        return _stages_page(request)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            stage = actions.create_stage(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Stage “{stage.name}” added at the end of the pipeline.")
            return redirect("org-stages")
    return _stages_page(request, form=form, status=400)


@access.admin_required
def stage_edit(request: Request, stage_id: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=stage_id)
    if request.method == "POST":
        form = StageEditForm(request.POST)
        if form.is_valid():
            try:
                actions.update_stage(stage, request.user, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
                stage.refresh_from_db()
            else:
                messages.success(request, f"Stage “{stage.name}” is saved.")
                return redirect("org-stages")
    else:
        form = StageEditForm(initial=model_to_dict(stage, fields=StageEditForm.base_fields))
    context = {"form": form, "stage": stage, "section": "stages"}
    status = 400 if form.errors else 200
    return render(request, "pipeline/settings/stage_edit.html", context, status=status)


@access.admin_required
@require_POST
def stage_move(request: Request, stage_id: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=stage_id)
    ids = list(Stage.objects.values_list("pk", flat=True))
    here = ids.index(stage.pk)
    there = here - 1 if request.POST.get("direction") == "up" else here + 1
    if 0 <= there < len(ids):
        ids[here], ids[there] = ids[there], ids[here]
        actions.reorder_stages(request.user, ids)
    return _stages_page(request) if is_partial(request) else redirect("org-stages")


@access.admin_required
@require_POST
def stage_active(request: Request, stage_id: int) -> HttpResponse:
    """Retire a stage (it keeps its deals but takes no new ones) or bring it back."""
    stage = get_object_or_404(Stage, pk=stage_id)
    active = request.POST.get("is_active") == "1"
    try:
        actions.update_stage(stage, request.user, is_active=active)
    except ValidationError as exc:
        return _stages_page(request, row_errors={stage.pk: exc.messages}, status=400)
    if is_partial(request):
        return _stages_page(request)
    verb = "is active again" if active else "is retired"
    messages.success(request, f"Stage “{stage.name}” {verb}.")
    return redirect("org-stages")
