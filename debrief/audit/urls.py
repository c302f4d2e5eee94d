"""The audit trail pages, under the admin's settings."""

from __future__ import annotations

from django.urls import path

from debrief.audit import views

urlpatterns = [
    path("settings/audit/", views.audit_trail, name="audit-trail"),
    path("settings/audit/export.csv", views.audit_export, name="audit-export"),
]
