"""The Django admin for the sales core: a place for admins to look things up and fix plain
data. What has rules and history (a deal's stage, status, owner, amount, team, currency and
customer; the stages) changes on the pages, through the actions, and is read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from debrief.org.admin import SettingsPageAdmin
from debrief.pipeline.models import (
    Competitor,
    Contact,
    Customer,
    Deal,
    DealContact,
    DealEvent,
    Product,
    Stage,
)


@admin.register(Stage)
class StageAdmin(SettingsPageAdmin[Stage]):
    settings_url_name = "org-stages"
    list_display = ("name", "order", "kind", "probability", "is_active")
    list_filter = ("kind", "is_active")
    ordering = ("order", "pk")


class ContactInline(admin.TabularInline[Contact, Customer]):
    model = Contact
    extra = 0
    fields = ("name", "title", "email", "phone")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ("name", "segment", "region", "owner", "team")
    list_filter = ("team", "segment")
    list_select_related = ("owner", "team")
    search_fields = ("name", "external_id")
    raw_id_fields = ("owner",)
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ("name", "title", "email", "customer")
    list_select_related = ("customer",)
    search_fields = ("name", "email", "customer__name")
    raw_id_fields = ("customer",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin[Competitor]):
    list_display = ("name", "website")
    search_fields = ("name",)


class DealContactInline(admin.TabularInline[DealContact, Deal]):
    model = DealContact
    extra = 0
    raw_id_fields = ("contact",)


class DealEventInline(admin.TabularInline[DealEvent, Deal]):
    model = DealEvent
    extra = 0
    fields = ("at", "kind", "from_value", "to_value", "actor")
    readonly_fields = fields
    can_delete = False
    ordering = ("-at", "-pk")
    max_num = 0  # history is written by actions, never typed in


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin[Deal]):
    list_display = ("name", "customer", "owner", "team", "stage", "status", "amount", "currency")
    list_filter = ("status", "stage", "team")
    list_select_related = ("customer", "owner", "team", "stage")
    search_fields = ("name", "customer__name", "external_id")
    filter_horizontal = ("products", "competitors")
    # Changed on the deal's pages, whose actions check who may and record the events.
    readonly_fields = (
        "customer",
        "owner",
        "team",
        "stage",
        "status",
        "amount",
        "currency",
        "closed_on",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    inlines = [DealContactInline, DealEventInline]
    show_full_result_count = False  # a COUNT(*) per page is slow at 100,000 deals


@admin.register(DealEvent)
class DealEventAdmin(admin.ModelAdmin[DealEvent]):
    list_display = ("at", "deal", "kind", "from_value", "to_value", "actor")
    list_filter = ("kind",)
    list_select_related = ("deal", "actor")
    search_fields = ("deal__name",)
    raw_id_fields = ("deal", "actor")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
