"""The user's own pages under /me/ and the admin settings under /settings/ (the stages'
settings page is the pipeline's, under the same /settings/ and the same `org-` names)."""

from __future__ import annotations

from django.urls import path

from debrief.org import views

urlpatterns = [
    path("me/", views.profile, name="org-profile"),
    path("me/password/", views.PasswordChangeView.as_view(), name="org-password-change"),
    path("me/tokens/", views.token_create, name="org-token-create"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="org-token-revoke"),
    path("settings/", views.settings_page, name="org-settings"),
    path("settings/users/", views.users, name="org-users"),
    path("settings/users/new/", views.user_add, name="org-user-add"),
    path("settings/users/<int:user_id>/", views.user_edit, name="org-user-edit"),
    path("settings/teams/", views.teams, name="org-teams"),
    path("settings/teams/new/", views.team_add, name="org-team-add"),
    path("settings/teams/<int:team_id>/", views.team_edit, name="org-team-edit"),
]
