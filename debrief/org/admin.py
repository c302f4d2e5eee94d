"""The Django admin for users, teams, the organisation and API tokens: a place for admins to
look things up, not the everyday settings pages (those are under /settings/). What the
settings pages change is read-only here, so that their actions' rules always apply."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from debrief.org.models import ApiToken, Organisation, Team, User


class SettingsPageAdmin[M: Model](admin.ModelAdmin[M]):
    """Shown, never changed: the page names the settings page that changes these records."""

    settings_url_name = "org-settings"
    change_list_template = "org/admin/settings_change_list.html"
    change_form_template = "org/admin/settings_change_form.html"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _with_settings_url(self, extra_context: dict[str, Any] | None) -> dict[str, Any]:
        return {**(extra_context or {}), "settings_url": reverse(self.settings_url_name)}

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().changelist_view(request, self._with_settings_url(extra_context))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = self._with_settings_url(extra_context)
        return super().change_view(request, object_id, form_url, context)


@admin.register(User)
class UserAdmin(SettingsPageAdmin[User]):
    settings_url_name = "org-users"
    list_display = ("email", "full_name", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("full_name", "email")
    # The hash is never edited here: passwords change on the settings page or with the CLI.
    exclude = ("password", "last_login")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Team)
class TeamAdmin(SettingsPageAdmin[Team]):
    settings_url_name = "org-teams"
    list_display = ("name", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("managers", "members")


@admin.register(Organisation)
class OrganisationAdmin(SettingsPageAdmin[Organisation]):
    list_display = ("name", "currency", "debrief_cool_off_days", "major_deal_threshold")


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
