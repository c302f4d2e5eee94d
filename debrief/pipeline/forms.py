"""The forms of the pipeline pages. They check the shape of the input and offer only the
choices the user may make; the business rules live in `pipeline.actions`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import ErrorDict

from debrief.org import access
from debrief.org.models import Organisation, Role, Team, User
from debrief.pipeline.models import (
    Competitor,
    Contact,
    ContactRole,
    Customer,
    Deal,
    DealStatus,
    Product,
    Stage,
    StageKind,
)
from debrief.pipeline.queries import SORTS
from debrief.web.widgets import DateInput

# A select of more customers than this is no help to anyone (and slow to render): past it,
# a customer select offers only the chosen customer, and a search box fills it on demand.
CUSTOMER_SELECT_LIMIT = 200

MULTIPLE_HELP = "Hold Ctrl (⌘ on a Mac) to choose more than one."

SORT_LABELS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "amount": "Largest amount",
    "close": "Closing soonest",
    "name": "Name A–Z",
}


def customer_choices(user: User, selected: Any) -> tuple[list[tuple[int, str]], bool]:
    """What a customer select offers, and whether the user has too many customers to list
    them all, in which case it offers only the selected one (and the page shows a search)."""
    visible = access.customers_visible_to(user)
    # Unordered, so that the database stops at the limit instead of sorting every customer.
    rows = list(visible.order_by().values_list("pk", "name")[: CUSTOMER_SELECT_LIMIT + 1])
    if len(rows) <= CUSTOMER_SELECT_LIMIT:
        return sorted(rows, key=lambda row: (row[1].casefold(), row[0])), False
    pk = str(selected or "")
    return (list(visible.filter(pk=pk).values_list("pk", "name")) if pk.isdigit() else []), True


def _with_current[M: (User, Team, Customer, Stage)](
    qs: QuerySet[M], current_pk: int | None
) -> QuerySet[M]:
    """The allowed choices plus the record's current value, so that editing a deal whose
    owner (say) has since left the team, or whose stage is retired, does not fail on a field
    nobody touched."""
    if current_pk is None:
        return qs
    return qs.model._default_manager.filter(Q(pk__in=qs.values("pk")) | Q(pk=current_pk))


# --- the pipeline's filters -------------------------------------------------------------------


class DealFilterForm(forms.Form):
    """Only renders the filters: `queries.DealFilters` parses them (for the API too), so every
    field here accepts any text and the parse errors are added by the view."""

    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Deal or customer", "autocomplete": "off"}
        ),
    )
    owner = forms.CharField(label="Owner", required=False, widget=forms.Select)
    team = forms.CharField(label="Team", required=False, widget=forms.Select)
    stage = forms.CharField(label="Stage", required=False, widget=forms.Select)
    status = forms.CharField(
        label="Status",
        required=False,
        widget=forms.Select(choices=[("", "Any status"), *DealStatus.choices]),
    )
    customer = forms.CharField(label="Customer", required=False, widget=forms.Select)
    amount_min = forms.CharField(
        label="Amount from",
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "step": "any", "inputmode": "decimal"}),
    )
    amount_max = forms.CharField(
        label="Amount to",
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "step": "any", "inputmode": "decimal"}),
    )
    close_from = forms.CharField(label="Closing from", required=False, widget=DateInput)
    close_to = forms.CharField(label="Closing to", required=False, widget=DateInput)
    sort = forms.CharField(
        label="Sort",
        required=False,
        widget=forms.Select(choices=[(key, SORT_LABELS.get(key, key)) for key in SORTS]),
    )

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        user: User,
        errors: Mapping[str, list[str]],
    ) -> None:
        super().__init__(data)
        customers, self.customer_search = customer_choices(user, data.get("customer"))
        self.fields["owner"].widget.choices = [
            ("", "Anyone"),
            *((u.pk, str(u)) for u in filter_owners(user)),
        ]
        self.fields["team"].widget.choices = [
            ("", "Any team"),
            *((t.pk, t.name) for t in filter_teams(user)),
        ]
        self.fields["stage"].widget.choices = [
            ("", "Any stage"),
            *(
                (s.pk, s.name if s.is_active else f"{s.name} (retired)")
                for s in Stage.objects.all()
            ),
        ]
        self.fields["customer"].widget.choices = [("", "Any customer"), *customers]
        self.filter_errors = errors
        for name in errors:
            widget = self.fields[name].widget if name in self.fields else None
            if isinstance(widget, forms.widgets.Input) and widget.input_type in ("number", "date"):
                # A number or date input shows nothing for a value it cannot read: as text,
                # what was typed stays there to be corrected.
                widget.input_type = "text"

    def full_clean(self) -> None:
        # The errors are DealFilters' own, so the page and the API name bad values alike.
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, messages in self.filter_errors.items():
            if name in self.fields:
                self._errors[name] = self.error_class(
                    messages, renderer=self.renderer, field_id=self[name].auto_id
                )


def filter_owners(user: User) -> QuerySet[User]:
    """Whose deals the user may filter by: everyone who can own a deal for those who read
    everything, else the owners of deals they see and the people they could give a deal to."""
    if access.reads_everything(user):
        return User.objects.exclude(role=Role.ANALYST)
    return User.objects.filter(
        Q(pk__in=access.deals_visible_to(user).values("owner_id"))
        | Q(pk__in=access.assignable_owners(user).values("pk"))
    )


def filter_teams(user: User) -> QuerySet[Team]:
    if access.reads_everything(user):
        return Team.objects.all()
    return Team.objects.filter(
        Q(pk__in=access.deals_visible_to(user).values("team_id"))
        | Q(pk__in=access.assignable_teams(user).values("pk"))
    )


# --- deals ------------------------------------------------------------------------------------


class RecordChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Records chosen by id, where an id past 64 bits is simply not one of the choices
    (SQLite raises on one instead of finding nothing)."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, (list, tuple)) else []:
            digits = str(pk).strip().lstrip("-")
            if digits.isdecimal() and (len(digits) > 19 or int(digits) >= 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class DealForm(forms.Form):
    name = forms.CharField(max_length=200)
    customer = forms.ModelChoiceField(queryset=Customer.objects.none())
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="The owner's team"
    )
    amount = forms.DecimalField(max_digits=14, decimal_places=2, initial=0)
    currency = forms.CharField(
        max_length=3, min_length=3, help_text="Three letters, as in USD or EUR."
    )
    stage = forms.ModelChoiceField(queryset=Stage.objects.filter(is_active=True), empty_label=None)
    expected_close_date = forms.DateField(required=False, widget=DateInput)
    products = RecordChoices(
        queryset=Product.objects.all(), required=False, help_text=MULTIPLE_HELP
    )
    new_products = forms.CharField(
        label="New products",
        required=False,
        max_length=500,
        help_text="Not in the list? Type them here, separated by commas.",
    )
    competitors = RecordChoices(
        queryset=Competitor.objects.all(), required=False, help_text=MULTIPLE_HELP
    )
    source = forms.CharField(label="Source / channel", max_length=100, required=False)
    next_step = forms.CharField(max_length=300, required=False)
    next_step_date = forms.DateField(required=False, widget=DateInput)
    # The version of the deal the editor started from: a save from an older one is refused
    # with what changed, rather than overwriting someone else's work. Not sent, no check.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, user: User, deal: Deal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["customer"].queryset = _with_current(  # type: ignore[attr-defined]
            access.customers_visible_to(user), deal.customer_id if deal else None
        )
        # Rendered from our own list (see customer_choices); still validated on the queryset.
        selected = self.data.get("customer") if self.is_bound else self.initial.get("customer")
        customers, self.customer_search = customer_choices(user, selected)
        if deal is not None and not any(pk == deal.customer_id for pk, _ in customers):
            customers.append((deal.customer_id, deal.customer.name))
        fields["customer"].widget.choices = [("", "Choose a customer"), *customers]
        fields["owner"].queryset = _with_current(  # type: ignore[attr-defined]
            access.assignable_owners(user), deal.owner_id if deal else None
        )
        fields["team"].queryset = _with_current(  # type: ignore[attr-defined]
            access.assignable_teams(user), deal.team_id if deal else None
        )
        fields["stage"].queryset = _with_current(  # type: ignore[attr-defined]
            Stage.objects.filter(is_active=True), deal.stage_id if deal else None
        )
        if deal is None:
            self.initial.setdefault("owner", user.pk)
            self.initial.setdefault("currency", Organisation.current().currency)
            # Left empty, create_deal puts the deal in the first open stage.
            fields["stage"].required = False
            fields["stage"].empty_label = "The first open stage"  # type: ignore[attr-defined]
        else:
            fields["team"].required = True
            fields["team"].empty_label = None  # type: ignore[attr-defined]

    def new_product_names(self) -> list[str]:
        raw: str = self.cleaned_data.get("new_products") or ""
        return [name.strip() for name in raw.split(",") if name.strip()]


class StageMoveForm(forms.Form):
    # Lost stages are not offered: a deal is lost through 'Mark lost', which keeps why.
    stage = forms.ModelChoiceField(
        label="Move to stage",
        queryset=Stage.objects.filter(is_active=True).exclude(kind=StageKind.LOST),
        empty_label=None,
        error_messages={
            "required": "Choose the stage to move the deal to.",
            "invalid_choice": "Pick an open or won stage. To close the deal as lost, use "
            "'Mark lost': it keeps why it was lost.",
        },
    )

    def __init__(self, *args: Any, deal: Deal, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "stage_%s")  # ids unique beside the page's other forms
        super().__init__(*args, **kwargs)
        if deal.is_open:
            self.initial.setdefault("stage", deal.stage_id)
        else:
            # Any stage offered would reopen a closed deal: nothing is chosen until someone
            # means it.
            self.fields["stage"].empty_label = "Choose a stage"  # type: ignore[attr-defined]


class DealContactForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=Contact.objects.none())
    role = forms.ChoiceField(choices=ContactRole.choices, initial=ContactRole.OTHER)

    def __init__(self, *args: Any, deal: Deal, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "contact_%s")  # ids unique beside the page's other forms
        super().__init__(*args, **kwargs)
        # The people of the deal's customer not on the deal yet (the links are prefetched).
        linked = [link.contact_id for link in deal.deal_contacts.all()]
        self.fields["contact"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            customer_id=deal.customer_id
        ).exclude(pk__in=linked)


# --- customers, contacts, competitors ---------------------------------------------------------


class CustomerForm(forms.Form):
    name = forms.CharField(max_length=200)
    segment = forms.CharField(label="Segment / industry", max_length=100, required=False)
    size = forms.CharField(max_length=50, required=False, help_text="Employees or revenue band.")
    region = forms.CharField(max_length=100, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    owner = forms.ModelChoiceField(
        label="Account owner", queryset=User.objects.none(), required=False
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    renewal_on = forms.DateField(
        label="Renewal or budget date",
        required=False,
        widget=DateInput,
        help_text="When they next renew or set their budget: the moment to come back.",
    )

    def __init__(
        self, *args: Any, user: User, customer: Customer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _with_current(  # type: ignore[attr-defined]
            access.assignable_owners(user), customer.owner_id if customer else None
        )
        self.fields["team"].queryset = _with_current(  # type: ignore[attr-defined]
            access.assignable_teams(user), customer.team_id if customer else None
        )
        # What an empty choice means: on a new customer, the defaults of create_customer.
        empty_owner = "Nobody"
        if customer is None and user.role in (Role.REP, Role.MANAGER):
            empty_owner = "You"
        self.fields["owner"].empty_label = empty_owner  # type: ignore[attr-defined]
        empty_team = "The owner's team" if customer is None else "No team"
        self.fields["team"].empty_label = empty_team  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    name = forms.CharField(max_length=150)
    title = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(
        max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )


class CompetitorForm(forms.Form):
    name = forms.CharField(max_length=120)
    website = forms.URLField(required=False, assume_scheme="https")


# --- settings: the pipeline's stages ----------------------------------------------------------


class StageForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80)
    kind = forms.ChoiceField(
        label="Kind",
        choices=StageKind.choices,
        help_text="Open stages are in progress; a deal moved to a won or lost stage is closed.",
    )
    probability = forms.IntegerField(
        label="Win probability (%)", min_value=0, max_value=100, initial=0
    )


class StageEditForm(StageForm):
    is_active = forms.BooleanField(
        label="Active",
        required=False,
        help_text="Retired stages keep their deals but cannot receive new ones.",
    )
