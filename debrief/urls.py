"""Every URL of Debrief: the pages of each app, the API under /api/v1, and the Django admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from debrief.api import api

admin.site.site_header = "Debrief administration"
admin.site.site_title = "Debrief admin"

urlpatterns = [
    path("", include("debrief.web.urls")),
    path("", include("debrief.org.urls")),
    path("", include("debrief.pipeline.urls")),
    path("", include("debrief.losses.urls")),
    path("", include("debrief.meetings.urls")),
    path("", include("debrief.relationships.urls")),
    path("", include("debrief.learning.urls")),
    path("", include("debrief.imports.urls")),
    path("", include("debrief.insights.urls")),
    path("", include("debrief.audit.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
