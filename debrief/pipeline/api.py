"""The sales core's REST API: deals (with their stage moves, timeline and contacts),
customers and their contacts, stages, competitors and products. Reads go through
`org.access`, writes through `pipeline.actions`, exactly as the pages do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from debrief.org import access
from debrief.org.api import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageQuery,
    SearchQuery,
    TeamRef,
    UserRef,
    current_user,
    first_or_404,
    paginate,
    search,
)
from debrief.org.models import User
from debrief.pipeline import actions
from debrief.pipeline.models import (
    Competitor,
    Contact,
    ContactRole,
    Customer,
    Deal,
    DealContact,
    DealEvent,
    Product,
    Stage,
)
from debrief.pipeline.queries import SORTS, DealFilters, deal_detail, deal_list
from debrief.pipeline.signals import PIPELINE_DATA
from debrief.web.answers import cached_json

# Analysts are not checked here: the API refuses every write of theirs with a 403 before a
# route runs (org.api).

# --- schemas ------------------------------------------------------------------------------


class CustomerRef(Schema):
    id: int
    name: str


class StageRef(Schema):
    id: int
    name: str
    kind: str = Field(description="open, won or lost.")


class CompetitorRef(Schema):
    id: int
    name: str


class ContactRef(Schema):
    id: int
    name: str
    title: str
    email: str
    phone: str


def _absolute_url(obj: Deal | Customer, context: Any) -> str:
    request = context["request"]
    # Worked out once per request: checking the host for every item of a long page shows.
    base: str | None = getattr(request, "_debrief_site", None)
    if base is None:
        base = request.build_absolute_uri("/").rstrip("/")
        request._debrief_site = base
    return f"{base}{obj.get_absolute_url()}"


class DealOut(Schema):
    id: int
    name: str
    customer: CustomerRef
    owner: UserRef
    team: TeamRef
    amount: str = Field(
        description='The exact amount as a string with two decimals, e.g. "25000.00".'
    )
    currency: str = Field(description="ISO 4217 code, e.g. USD.")
    products: list[str] = Field(description="Product names.")
    stage: StageRef
    status: str = Field(description="open, won or lost: the kind of the deal's stage.")
    expected_close_date: dt.date | None
    closed_on: dt.date | None = Field(description="When the deal was won or lost.")
    source: str
    next_step: str
    next_step_date: dt.date | None
    competitors: list[CompetitorRef]
    attributes: dict[str, Any] = Field(description="Imported columns that have no field.")
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = Field(description="Counts the deal's changes; send it back to detect clashes.")
    url: str = Field(description="The deal's page in Debrief.")

    @staticmethod
    def resolve_amount(obj: Deal) -> str:
        return f"{obj.amount:.2f}"

    @staticmethod
    def resolve_products(obj: Deal) -> list[str]:
        return [p.name for p in obj.products.all()]

    @staticmethod
    def resolve_url(obj: Deal, context: Any) -> str:
        return _absolute_url(obj, context)


class DealContactOut(Schema):
    contact: ContactRef
    role: str = Field(description="decision_maker, evaluator, influencer, champion or other.")


class DealDetailOut(DealOut):
    contacts: list[DealContactOut] = Field(description="The customer's people on this deal.")

    @staticmethod
    def resolve_contacts(obj: Deal) -> list[DealContact]:
        return list(obj.deal_contacts.all())


class DealPage(Schema):
    count: int
    items: list[DealOut]


class DealQuery(PageQuery):
    """The pipeline's filters: the same as the pipeline page's."""

    q: str = Field("", description="Text in the deal's or the customer's name.")
    owner: int | None = Field(None, description="Owner's user id.")
    team: int | None = Field(None, description="Team id.")
    stage: int | None = Field(None, description="Stage id.")
    status: str = Field("", description="open, won or lost.")
    customer: int | None = Field(None, description="Customer id.")
    amount_min: Decimal | None = Field(None, description="Smallest amount.")
    amount_max: Decimal | None = Field(None, description="Largest amount.")
    close_from: dt.date | None = Field(
        None, description="Closed (or, if open, expected to close) on or after this date."
    )
    close_to: dt.date | None = Field(None, description="… on or before this date.")
    sort: str = Field("newest", description=f"One of: {', '.join(SORTS)}.")

    def filters(self) -> DealFilters:
        return DealFilters(**self.model_dump(include=set(DealFilters.__dataclass_fields__)))


class DealIn(Schema):
    name: str
    customer: int = Field(description="Customer id.")
    owner: int | None = Field(None, description="User id of the owner; default: you.")
    team: int | None = Field(None, description="Team id; default: the owner's team.")
    amount: Decimal = Field(Decimal("0"), description="A number or a decimal string.")
    currency: str = Field("", description="ISO 4217 code; default: the organisation's.")
    stage: int | None = Field(None, description="Stage id; default: the first open stage.")
    products: list[str] = Field([], description="Product names; new names are added.")
    competitors: list[int] = Field([], description="Competitor ids.")
    expected_close_date: dt.date | None = None
    source: str = ""
    next_step: str = ""
    next_step_date: dt.date | None = None
    attributes: dict[str, Any] = Field({}, description="Free key/value pairs.")


class DealPatch(Schema):
    """Only the fields sent change. A new stage is a stage move, with its events."""

    name: str | None = None
    customer: int | None = None
    owner: int | None = None
    team: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    stage: int | None = None
    products: list[str] | None = None
    competitors: list[int] | None = None
    expected_close_date: dt.date | None = None
    source: str | None = None
    next_step: str | None = None
    next_step_date: dt.date | None = None
    attributes: dict[str, Any] | None = None
    version: int | None = Field(
        None,
        description="The deal's version you read. If someone changed the deal since, nothing "
        "is saved and the answer is 409, naming each field they changed and its new value.",
    )


class StageMoveIn(Schema):
    stage: int = Field(description="Id of the stage to move the deal to.")
    version: int | None = Field(None, description="The deal's version you read (see PATCH).")


class DealEventOut(Schema):
    id: int
    kind: str = Field(
        description="created, stage_changed, amount_changed, owner_changed, won, lost or reopened."
    )
    description: str = Field(description="The event as a sentence.")
    actor: UserRef | None = Field(description="Who made the change; null for imports.")
    at: dt.datetime
    from_value: str
    to_value: str
    data: dict[str, Any]

    @staticmethod
    def resolve_description(obj: DealEvent) -> str:
        return obj.describe()


class DealEventPage(Schema):
    count: int
    items: list[DealEventOut]


class DealContactPage(Schema):
    count: int
    items: list[DealContactOut]


class DealContactIn(Schema):
    contact: int = Field(description="Contact id; the contact must work for the deal's customer.")
    role: str = Field(
        ContactRole.OTHER,
        description="decision_maker, evaluator, influencer, champion or other.",
    )


class CustomerOut(Schema):
    id: int
    name: str
    segment: str = Field(description="Segment or industry.")
    size: str = Field(description="Employees or revenue band.")
    region: str
    website: str
    owner: UserRef | None = Field(description="The account owner.")
    team: TeamRef | None
    renewal_on: dt.date | None = Field(
        description="Renewal or budget date: when to come back after a loss."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str = Field(description="The customer's page in Debrief.")

    @staticmethod
    def resolve_url(obj: Customer, context: Any) -> str:
        return _absolute_url(obj, context)


class CustomerPage(Schema):
    count: int
    items: list[CustomerOut]


class CustomerQuery(SearchQuery):
    segment: str = Field("", description="Only this segment.")
    team: int | None = Field(None, description="Only this team's customers.")


class CustomerIn(Schema):
    name: str
    segment: str = ""
    size: str = ""
    region: str = ""
    website: str = ""
    owner: int | None = Field(
        None, description="User id of the account owner; default: you, for a rep or manager."
    )
    team: int | None = Field(None, description="Team id; default: the owner's team.")
    renewal_on: dt.date | None = Field(None, description="Renewal or budget date.")


class CustomerPatch(Schema):
    name: str | None = None
    segment: str | None = None
    size: str | None = None
    region: str | None = None
    website: str | None = None
    owner: int | None = Field(None, description="User id, or null for no owner.")
    team: int | None = Field(None, description="Team id, or null for no team.")
    renewal_on: dt.date | None = Field(None, description="Renewal or budget date, or null.")


class ContactOut(Schema):
    id: int
    customer: CustomerRef
    name: str
    title: str
    email: str
    phone: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactPage(Schema):
    count: int
    items: list[ContactOut]


class ContactIn(Schema):
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


class ContactPatch(Schema):
    name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None


class StageOut(Schema):
    id: int
    name: str
    order: int
    probability: int = Field(description="Default win chance, 0–100.")
    kind: str = Field(description="open, won or lost.")
    is_active: bool = Field(description="Retired stages take no new deals.")
    created_at: dt.datetime
    updated_at: dt.datetime


class StagePage(Schema):
    count: int
    items: list[StageOut]


class StageIn(Schema):
    name: str
    kind: str = Field(description="open, won or lost.")
    probability: int = Field(0, ge=0, le=100)
    order: int | None = Field(None, ge=0, description="Position; default: last.")


class StagePatch(Schema):
    name: str | None = None
    kind: str | None = None
    probability: int | None = Field(None, ge=0, le=100)
    order: int | None = Field(None, ge=0)
    is_active: bool | None = None


class CompetitorOut(Schema):
    id: int
    name: str
    website: str
    created_at: dt.datetime
    updated_at: dt.datetime


class CompetitorPage(Schema):
    count: int
    items: list[CompetitorOut]


class CompetitorIn(Schema):
    name: str
    website: str = ""


class CompetitorPatch(Schema):
    name: str | None = None
    website: str | None = None


class ProductOut(Schema):
    id: int
    name: str


class ProductPage(Schema):
    count: int
    items: list[ProductOut]


# --- helpers ------------------------------------------------------------------------------


def _changes(payload: Schema, nullable: Collection[str] = ()) -> dict[str, Any]:
    """The fields a PATCH sent. Null is refused where the field cannot be empty."""
    changes = payload.model_dump(exclude_unset=True)
    nulls = [k for k, v in changes.items() if v is None and k not in nullable]
    if nulls:
        raise ValidationError(dict.fromkeys(nulls, "This field cannot be null."))
    return changes


def _records(fields: dict[str, Any], lookups: dict[str, QuerySet[Any]]) -> dict[str, Any]:
    """Swap the ids in `fields` for the records they name, from what the user may use;
    every id that names nothing is reported under its field."""
    errors: dict[str, str] = {}
    found = dict(fields)
    for name, qs in lookups.items():
        pk = fields.get(name)
        if pk is None:
            continue
        record = qs.filter(pk=pk).first()
        if record is None:
            errors[name] = f"No {name} with id {pk} that you can use."
        found[name] = record
    if fields.get("competitors") is not None:
        ids = list(dict.fromkeys(fields["competitors"]))
        competitors = list(Competitor.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {c.pk for c in competitors})
        if missing:
            errors["competitors"] = f"No competitor with id {', '.join(map(str, missing))}."
        found["competitors"] = competitors
    if errors:
        raise ValidationError(errors)
    return found


def _deal_lookups(user: User) -> dict[str, QuerySet[Any]]:
    # Owner and team may be any; the action decides whom this user may assign.
    return {
        "customer": access.customers_visible_to(user),
        "owner": access.users_visible_to(user),
        "team": access.teams_visible_to(user),
        "stage": Stage.objects.all(),
    }


def _products(names: list[str] | None) -> list[Product] | None:
    if names is None:
        return None
    return [actions.get_or_create_product(n) for n in dict.fromkeys(names) if n.strip()]


def _deal(user: User, deal_id: int, *, edit: bool = False) -> Deal:
    return access.get_deal_for_user(
        user, deal_id, edit=edit, queryset=deal_detail(access.deals_visible_to(user))
    )


# --- deals --------------------------------------------------------------------------------

deals_router = Router(tags=["deals"])


@deals_router.get("", response={200: DealPage, **LIST_ERRORS}, summary="List deals")
def list_deals(request: HttpRequest, filters: Query[DealQuery]) -> HttpResponse:
    """The deals you may see, filtered and sorted as on the pipeline page."""
    user = current_user(request)

    def page() -> dict[str, Any]:
        qs = filters.filters().apply(access.deals_visible_to(user))
        return paginate(deal_list(qs).prefetch_related("competitors"), filters)

    # Counting every visible deal is the cost: the answer is kept until the data changes.
    return cached_json(request, PIPELINE_DATA, (user.pk,), DealPage, page)


@deals_router.post("", response={201: DealDetailOut, **WRITE_ERRORS}, summary="Create a deal")
def create_deal(request: HttpRequest, payload: DealIn) -> Status[Deal]:
    """Creates the deal and its `created` event. Someone else made owner is told by email."""
    user = current_user(request)
    fields = _records(payload.model_dump(), _deal_lookups(user))
    fields["owner"] = fields["owner"] or user
    with transaction.atomic():
        products = _products(fields.pop("products")) or []
        deal = actions.create_deal(user, products=products, **fields)
    return Status(201, _deal(user, deal.pk))


@deals_router.get("/{deal_id}", response={200: DealDetailOut, **READ_ERRORS}, summary="Get a deal")
def get_deal(request: HttpRequest, deal_id: int) -> Deal:
    return _deal(current_user(request), deal_id)


def _conflict(error: actions.DealConflict) -> Status[dict[str, Any]]:
    """409, in the one error shape: `version` says what happened, then each changed field
    with its new value."""
    messages = error.message_dict
    errors = [{"field": f, "message": m} for f, ms in messages.items() for m in ms]
    return Status(409, {"detail": messages["version"][0], "errors": errors})


@deals_router.patch(
    "/{deal_id}",
    response={200: DealDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Change a deal",
)
def update_deal(
    request: HttpRequest, deal_id: int, payload: DealPatch
) -> Deal | Status[dict[str, Any]]:
    """Deals are not deleted: move them to a won or lost stage instead. Send the `version`
    you read to be told (409) rather than overwrite a change made since."""
    user = current_user(request)
    deal = _deal(user, deal_id, edit=True)
    changes = _changes(payload, nullable={"expected_close_date", "next_step_date", "version"})
    read_version = changes.pop("version", None)
    changes = _records(changes, _deal_lookups(user))
    try:
        with transaction.atomic():
            products = _products(changes.pop("products", None))
            competitors = changes.pop("competitors", None)
            actions.update_deal(
                deal,
                user,
                products=products,
                competitors=competitors,
                read_version=read_version,
                **changes,
            )
    except actions.DealConflict as error:
        return _conflict(error)
    return _deal(user, deal_id)


@deals_router.post(
    "/{deal_id}/stage",
    response={200: DealDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Move a deal's stage",
)
def move_deal_stage(
    request: HttpRequest, deal_id: int, payload: StageMoveIn
) -> Deal | Status[dict[str, Any]]:
    """Records a `stage_changed` event, and `won`, `lost` or `reopened` when the move
    closes or reopens the deal."""
    user = current_user(request)
    deal = _deal(user, deal_id, edit=True)
    stage = _records({"stage": payload.stage}, {"stage": Stage.objects.all()})["stage"]
    try:
        actions.move_deal_stage(deal, user, stage, read_version=payload.version)
    except actions.DealConflict as error:
        return _conflict(error)
    return _deal(user, deal_id)


@deals_router.get(
    "/{deal_id}/events", response={200: DealEventPage, **READ_ERRORS}, summary="A deal's timeline"
)
def list_deal_events(request: HttpRequest, deal_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    """Every business change to the deal, newest first."""
    deal = access.get_deal_for_user(current_user(request), deal_id)
    return paginate(deal.events.select_related("actor"), page)


@deals_router.get(
    "/{deal_id}/contacts",
    response={200: DealContactPage, **READ_ERRORS},
    summary="A deal's contacts",
)
def list_deal_contacts(
    request: HttpRequest, deal_id: int, page: Query[PageQuery]
) -> dict[str, Any]:
    deal = access.get_deal_for_user(current_user(request), deal_id)
    return paginate(deal.deal_contacts.select_related("contact"), page)


@deals_router.post(
    "/{deal_id}/contacts",
    response={201: DealContactOut, **WRITE_ERRORS},
    summary="Add a contact to a deal",
)
def add_deal_contact(
    request: HttpRequest, deal_id: int, payload: DealContactIn
) -> Status[DealContact]:
    """Adds the contact with their role on this deal, or changes the role if already there."""
    user = current_user(request)
    deal = access.get_deal_for_user(user, deal_id, edit=True)
    contact = _records({"contact": payload.contact}, {"contact": access.contacts_visible_to(user)})
    link = actions.add_deal_contact(deal, contact["contact"], payload.role, user)
    return Status(201, link)


@deals_router.delete(
    "/{deal_id}/contacts/{contact_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove a contact from a deal",
)
def remove_deal_contact(request: HttpRequest, deal_id: int, contact_id: int) -> Status[None]:
    user = current_user(request)
    deal = access.get_deal_for_user(user, deal_id, edit=True)
    contact = access.get_contact_for_user(user, contact_id)
    if not deal.deal_contacts.filter(contact=contact).exists():
        raise Http404("This contact is not on the deal.")
    actions.remove_deal_contact(deal, contact, user)
    return Status(204, None)


# --- customers and contacts ---------------------------------------------------------------

customers_router = Router(tags=["customers and contacts"])
contacts_router = Router(tags=["customers and contacts"])


def _customers(user: User) -> QuerySet[Customer]:
    return access.customers_visible_to(user).select_related("owner", "team")


def _customer_lookups(user: User) -> dict[str, QuerySet[Any]]:
    return {"owner": access.assignable_owners(user), "team": access.assignable_teams(user)}


@customers_router.get("", response={200: CustomerPage, **LIST_ERRORS}, summary="List customers")
def list_customers(request: HttpRequest, filters: Query[CustomerQuery]) -> dict[str, Any]:
    """The customers you may see, by name. Search `q` matches the name."""
    qs = search(_customers(current_user(request)), filters.q, "name")
    if filters.segment:
        qs = qs.filter(segment__iexact=filters.segment)
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    return paginate(qs.order_by("name", "pk"), filters)


@customers_router.post("", response={201: CustomerOut, **WRITE_ERRORS}, summary="Create a customer")
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[Customer]:
    """With no owner, a rep or manager owns the customer; with no team, it is the owner's."""
    user = current_user(request)
    fields = _records(payload.model_dump(), _customer_lookups(user))
    customer = actions.create_customer(user, **fields)
    return Status(201, customer)


@customers_router.get(
    "/{customer_id}", response={200: CustomerOut, **READ_ERRORS}, summary="Get a customer"
)
def get_customer(request: HttpRequest, customer_id: int) -> Customer:
    return first_or_404(_customers(current_user(request)).filter(pk=customer_id))


@customers_router.patch(
    "/{customer_id}", response={200: CustomerOut, **WRITE_ERRORS}, summary="Change a customer"
)
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerPatch) -> Customer:
    user = current_user(request)
    customer = access.get_customer_for_user(user, customer_id, edit=True)
    changes = _records(
        _changes(payload, nullable={"owner", "team", "renewal_on"}), _customer_lookups(user)
    )
    return actions.update_customer(customer, user, **changes)


@customers_router.get(
    "/{customer_id}/contacts",
    response={200: ContactPage, **READ_ERRORS},
    summary="A customer's contacts",
)
def list_customer_contacts(
    request: HttpRequest, customer_id: int, page: Query[PageQuery]
) -> dict[str, Any]:
    customer = access.get_customer_for_user(current_user(request), customer_id)
    return paginate(customer.contacts.select_related("customer"), page)


@customers_router.post(
    "/{customer_id}/contacts",
    response={201: ContactOut, **WRITE_ERRORS},
    summary="Add a contact to a customer",
)
def create_contact(request: HttpRequest, customer_id: int, payload: ContactIn) -> Status[Contact]:
    user = current_user(request)
    customer = access.get_customer_for_user(user, customer_id, edit=True)
    return Status(201, actions.create_contact(customer, user, **payload.model_dump()))


@contacts_router.get(
    "/{contact_id}", response={200: ContactOut, **READ_ERRORS}, summary="Get a contact"
)
def get_contact(request: HttpRequest, contact_id: int) -> Contact:
    return access.get_contact_for_user(current_user(request), contact_id)


@contacts_router.patch(
    "/{contact_id}", response={200: ContactOut, **WRITE_ERRORS}, summary="Change a contact"
)
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch) -> Contact:
    user = current_user(request)
    contact = access.get_contact_for_user(user, contact_id, edit=True)
    return actions.update_contact(contact, user, **_changes(payload))


# --- stages -------------------------------------------------------------------------------

stages_router = Router(tags=["stages"])


def _require_settings_manager(user: User) -> None:
    if not access.can_manage_settings(user):
        raise PermissionDenied("Only admins change the pipeline's stages.")


@stages_router.get("", response={200: StagePage, **LIST_ERRORS}, summary="List stages")
def list_stages(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The pipeline's stages in order, retired ones included (`is_active` false)."""
    return paginate(Stage.objects.all(), page)


@stages_router.post("", response={201: StageOut, **WRITE_ERRORS}, summary="Create a stage")
def create_stage(request: HttpRequest, payload: StageIn) -> Status[Stage]:
    """Admins only."""
    user = current_user(request)
    _require_settings_manager(user)
    return Status(201, actions.create_stage(user, **payload.model_dump()))


@stages_router.get("/{stage_id}", response={200: StageOut, **READ_ERRORS}, summary="Get a stage")
def get_stage(request: HttpRequest, stage_id: int) -> Stage:
    return first_or_404(Stage.objects.filter(pk=stage_id))


@stages_router.patch(
    "/{stage_id}", response={200: StageOut, **WRITE_ERRORS}, summary="Change a stage"
)
def update_stage(request: HttpRequest, stage_id: int, payload: StagePatch) -> Stage:
    """Admins only. A stage's kind cannot change while deals are in it."""
    user = current_user(request)
    _require_settings_manager(user)
    stage = first_or_404(Stage.objects.filter(pk=stage_id))
    return actions.update_stage(stage, user, **_changes(payload))


# --- competitors and products -------------------------------------------------------------

competitors_router = Router(tags=["competitors and products"])
products_router = Router(tags=["competitors and products"])


@competitors_router.get(
    "", response={200: CompetitorPage, **LIST_ERRORS}, summary="List competitors"
)
def list_competitors(request: HttpRequest, page: Query[SearchQuery]) -> dict[str, Any]:
    return paginate(search(Competitor.objects.all(), page.q, "name"), page)


@competitors_router.post(
    "", response={201: CompetitorOut, **WRITE_ERRORS}, summary="Add a competitor"
)
def create_competitor(request: HttpRequest, payload: CompetitorIn) -> Status[Competitor]:
    """Anyone who works deals may add a competitor they meet."""
    user = current_user(request)
    return Status(201, actions.create_competitor(user, **payload.model_dump()))


@competitors_router.get(
    "/{competitor_id}", response={200: CompetitorOut, **READ_ERRORS}, summary="Get a competitor"
)
def get_competitor(request: HttpRequest, competitor_id: int) -> Competitor:
    return first_or_404(Competitor.objects.filter(pk=competitor_id))


@competitors_router.patch(
    "/{competitor_id}",
    response={200: CompetitorOut, **WRITE_ERRORS},
    summary="Change a competitor",
)
def update_competitor(
    request: HttpRequest, competitor_id: int, payload: CompetitorPatch
) -> Competitor:
    user = current_user(request)
    competitor = first_or_404(Competitor.objects.filter(pk=competitor_id))
    return actions.update_competitor(competitor, user, **_changes(payload))


@products_router.get("", response={200: ProductPage, **LIST_ERRORS}, summary="List products")
def list_products(request: HttpRequest, page: Query[SearchQuery]) -> dict[str, Any]:
    """Products are added by naming them on a deal."""
    return paginate(search(Product.objects.all(), page.q, "name"), page)
