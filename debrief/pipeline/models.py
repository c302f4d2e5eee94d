"""The sales core: stages, customers and their contacts, products, competitors, deals, and
the event rows that are each deal's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from debrief.org.models import CURRENCY_CODE, Organisation, Team


class StageKind(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class Stage(models.Model):
    """A step of the pipeline. Admins order and rename them; `kind` says whether a deal in
    this stage is still open, won or lost."""

    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    probability = models.PositiveSmallIntegerField(default=0, help_text="Default win %, 0–100.")
    kind = models.CharField(max_length=8, choices=StageKind.choices, default=StageKind.OPEN)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    name = models.CharField(max_length=200)
    segment = models.CharField("segment / industry", max_length=100, blank=True)
    size = models.CharField(max_length=50, blank=True, help_text="Employees or revenue band.")
    region = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    renewal_on = models.DateField(
        "renewal or budget date",
        null=True,
        blank=True,
        help_text="When the customer next renews or sets its budget: the moment to come back.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
        help_text="The account owner.",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="customers"
    )
    external_source = models.CharField(max_length=40, blank=True)
    external_id = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="customer_name_lower")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pipeline-customer", args=[self.pk])


class Contact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="product_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Competitor(models.Model):
    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="competitor_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class DealStatus(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class Deal(models.Model):
    """An opportunity. Its status is the kind of its stage, kept on the row so that lists and
    insights can filter on it without a join; only `pipeline.actions` changes either."""

    name = models.CharField(max_length=200)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="deals")
    # no indexes of their own: "deal_owner_status" and "deal_team_status" start with them
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deals", db_index=False
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="deals", db_index=False)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="USD", validators=[CURRENCY_CODE])
    products = models.ManyToManyField(Product, blank=True, related_name="deals")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="deals")
    status = models.CharField(
        max_length=8, choices=DealStatus.choices, default=DealStatus.OPEN, editable=False
    )
    expected_close_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    source = models.CharField("source / channel", max_length=100, blank=True)
    next_step = models.CharField(max_length=300, blank=True)
    next_step_date = models.DateField(null=True, blank=True)
    competitors = models.ManyToManyField(Competitor, blank=True, related_name="deals")
    contacts = models.ManyToManyField(
        Contact, through="DealContact", blank=True, related_name="deals"
    )
    attributes = models.JSONField(
        default=dict, blank=True, help_text="Imported columns that have no field of their own."
    )
    external_source = models.CharField(max_length=40, blank=True)
    external_id = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: each change through `pipeline.actions` adds one, and an editor who
    # read an older version is refused with what changed. The bulk loaders (demo, imports)
    # write the row as new, so the database default is enough for them.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    changed_in = models.JSONField(
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
        editable=False,
        help_text="The version in which each field last changed, to tell an editor what changed.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status"], name="deal_owner_status"),
            models.Index(fields=["team", "status"], name="deal_team_status"),
            models.Index(fields=["status", "-created_at"], name="deal_status_created"),
            models.Index(fields=["-created_at", "-id"], name="deal_created_id"),
            models.Index(fields=["expected_close_date"], name="deal_expected_close"),
            models.Index(fields=["status", "next_step_date"], name="deal_status_next_step"),
            models.Index(fields=["owner", "-created_at"], name="deal_owner_created"),
            models.Index(fields=["team", "-created_at"], name="deal_team_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="deal_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pipeline-deal", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == DealStatus.OPEN

    def is_major(self, organisation: Organisation | None = None) -> bool:
        """A major deal gets a manager-led post-mortem when it is lost."""
        org = organisation or Organisation.current()
        return self.amount >= org.major_deal_threshold


class ContactRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", "Decision maker"
    EVALUATOR = "evaluator", "Evaluator"
    INFLUENCER = "influencer", "Influencer"
    CHAMPION = "champion", "Champion"
    OTHER = "other", "Other"


class DealContact(models.Model):
    # no index of its own: "deal_contact_unique" starts with it
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="deal_contacts", db_index=False
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="deal_roles")
    role = models.CharField(max_length=20, choices=ContactRole.choices, default=ContactRole.OTHER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "contact"], name="deal_contact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_role_display()}) on {self.deal}"


class DealEventKind(models.TextChoices):
    CREATED = "created", "Created"
    STAGE_CHANGED = "stage_changed", "Stage changed"
    AMOUNT_CHANGED = "amount_changed", "Amount changed"
    OWNER_CHANGED = "owner_changed", "Owner changed"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    REOPENED = "reopened", "Reopened"


class DealEvent(models.Model):
    """One business change to a deal, as a row: the deal's history is these rows."""

    # no index of its own: "dealevent_deal_at" starts with it
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=32, choices=DealEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["deal", "-at"], name="dealevent_deal_at"),
            models.Index(fields=["-at", "-id"], name="dealevent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.deal_id} at {self.at:%Y-%m-%d}"

    def describe(self) -> str:
        """A sentence for the timeline. Events recorded by later parts of the loop (a loss, a
        debrief, a lesson) carry their own sentence in `data["summary"]`."""
        if self.data.get("summary"):
            return str(self.data["summary"])
        match self.kind:
            case DealEventKind.CREATED:
                return f"Deal created in {self.to_value}" if self.to_value else "Deal created"
            case DealEventKind.STAGE_CHANGED:
                return f"Stage moved from {self.from_value} to {self.to_value}"
            case DealEventKind.AMOUNT_CHANGED:
                return f"Amount changed from {self.from_value} to {self.to_value}"
            case DealEventKind.OWNER_CHANGED:
                return f"Owner changed from {self.from_value} to {self.to_value}"
            case DealEventKind.WON:
                return "Deal won"
            case DealEventKind.LOST:
                return "Deal lost"
            case DealEventKind.REOPENED:
                return f"Deal reopened in {self.to_value}"
        return self.get_kind_display()


class FollowUp(models.Model):
    """A to-do with an owner and a due date, on a deal or a customer: "contact the customer to
    request the post-mortem", "call to mend the relationship". The part of the loop that made
    it says so in `kind`; reminders are sent for the open ones."""

    # no index of its own: "followup_owner_due" starts with it
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        db_index=False,
    )
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    kind = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"], name="followup_owner_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())
