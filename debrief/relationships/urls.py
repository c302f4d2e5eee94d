"""The relationship pages: one customer's relationship with its recovery plan, the list of
relationships that are not intact, and time to mend across them."""

from __future__ import annotations

from django.urls import path, re_path

from debrief.relationships import views

urlpatterns = [
    path("relationships/", views.relationship_list, name="relationships-list"),
    path("relationships/time-to-mend/", views.time_to_mend, name="relationships-time-to-mend"),
    path(
        "customers/<int:customer_id>/relationship/",
        views.relationship,
        name="relationships-relationship",
    ),
    path(
        "customers/<int:customer_id>/relationship/status/",
        views.change_status,
        name="relationships-status",
    ),
    path(
        "customers/<int:customer_id>/relationship/touchpoints/",
        views.touchpoint_add,
        name="relationships-touchpoint-add",
    ),
    path(
        "customers/<int:customer_id>/relationship/touchpoints/<int:touchpoint_id>/done/",
        views.touchpoint_done,
        name="relationships-touchpoint-done",
    ),
    re_path(
        r"^customers/(?P<customer_id>[0-9]+)/relationship/touchpoints/(?P<touchpoint_id>[0-9]+)/"
        r"(?P<direction>up|down)/$",
        views.touchpoint_move,
        name="relationships-touchpoint-move",
    ),
    path(
        "customers/<int:customer_id>/relationship/rep/",
        views.change_rep,
        name="relationships-rep",
    ),
    path(
        "customers/<int:customer_id>/relationship/re-engagement/",
        views.re_engagement,
        name="relationships-re-engagement",
    ),
    path(
        "customers/<int:customer_id>/relationship/re-engagement.ics",
        views.re_engagement_ics,
        name="relationships-re-engagement-ics",
    ),
]
