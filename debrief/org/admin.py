"""The Django admin for users, teams, the organisation and API tokens: a back door for admins,
not the everyday settings pages (those are under /settings/)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from debrief.org.models import ApiToken, Organisation, Team, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("email", "full_name", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("full_name", "email")
    # The hash is never edited here: passwords change on the settings page or with the CLI.
    exclude = ("password", "last_login")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("managers", "members")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "currency", "debrief_cool_off_days", "major_deal_threshold")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One organisation per deployment.
        return not Organisation.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "key_hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "user__email", "key_hint")
    raw_id_fields = ("user",)
    readonly_fields = ("key_hash", "key_hint", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A key is made by the action, which shows it once; the admin could not show it.
        return False
