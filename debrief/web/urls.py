"""Sign in, sign out, and the home page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from debrief.web import views

urlpatterns = [
    path("", views.home, name="web-home"),
    path("login/", views.LoginView.as_view(), name="web-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="web-logout"),
]
