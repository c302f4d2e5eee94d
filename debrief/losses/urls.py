"""The loss loop's pages: losing a deal and reopening it, own-it reviews, debriefs, lessons,
the team views, and the reason list under /settings/."""

from __future__ import annotations

from django.urls import path

from debrief.losses import views

urlpatterns = [
    path("deals/<int:deal_id>/lose/", views.mark_lost, name="losses-mark-lost"),
    path("deals/<int:deal_id>/reopen/", views.reopen, name="losses-reopen"),
    path("losses/", views.losses, name="losses-list"),
    path("losses/rep-vs-customer/", views.rep_vs_customer, name="losses-rep-vs-customer"),
    path("losses/<int:loss_id>/", views.loss, name="losses-loss"),
    path("losses/<int:loss_id>/own-it/", views.own_it, name="losses-own-it"),
    path("losses/<int:loss_id>/own-it/lesson/", views.own_it_lesson, name="losses-own-it-lesson"),
    path("debriefs/", views.debriefs, name="losses-debriefs"),
    path("debriefs/<int:debrief_id>/", views.debrief, name="losses-debrief"),
    path("debriefs/<int:debrief_id>/invite.ics", views.debrief_ics, name="losses-debrief-ics"),
    path(
        "debriefs/<int:debrief_id>/schedule/",
        views.debrief_schedule,
        name="losses-debrief-schedule",
    ),
    path("debriefs/<int:debrief_id>/held/", views.debrief_held, name="losses-debrief-held"),
    path("debriefs/<int:debrief_id>/close/", views.debrief_close, name="losses-debrief-close"),
    path("debriefs/<int:debrief_id>/lesson/", views.debrief_lesson, name="losses-debrief-lesson"),
    path(
        "debriefs/<int:debrief_id>/follow-up/",
        views.debrief_follow_up,
        name="losses-debrief-follow-up",
    ),
    path("lessons/", views.lessons, name="losses-lessons"),
    path("lessons/<int:lesson_id>/", views.lesson, name="losses-lesson"),
    path("settings/reasons/", views.reasons, name="losses-reasons"),
    path("settings/reasons/<int:reason_id>/", views.reason_edit, name="losses-reason-edit"),
    path("settings/reasons/<int:reason_id>/merge/", views.reason_merge, name="losses-reason-merge"),
    path(
        "settings/reasons/<int:reason_id>/retire/",
        views.reason_retire,
        name="losses-reason-retire",
    ),
    path(
        "settings/reasons/<int:reason_id>/restore/",
        views.reason_restore,
        name="losses-reason-restore",
    ),
    path("settings/outcome-types/", views.outcome_types, name="losses-outcome-types"),
    path(
        "settings/outcome-types/<int:outcome_id>/",
        views.outcome_type_edit,
        name="losses-outcome-type-edit",
    ),
]
