"""The meeting pages: scheduling from a deal, the meeting, its plan (page, PDF, invite), its
outcome, bad meetings and the maybe-or-no decision, and the list."""

from __future__ import annotations

from django.urls import path

from debrief.meetings import views

urlpatterns = [
    path("deals/<int:deal_id>/meetings/new/", views.meeting_new, name="meetings-new"),
    path("meetings/", views.meetings, name="meetings-list"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meetings-meeting"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meetings-edit"),
    path("meetings/<int:meeting_id>/plan/", views.plan, name="meetings-plan"),
    path("meetings/<int:meeting_id>/plan.pdf", views.plan_pdf, name="meetings-plan-pdf"),
    path("meetings/<int:meeting_id>/invite.ics", views.invite, name="meetings-invite"),
    path("meetings/<int:meeting_id>/outcome/", views.outcome, name="meetings-outcome"),
    path("meetings/<int:meeting_id>/bad/", views.bad, name="meetings-bad"),
    path(
        "meetings/<int:meeting_id>/recovery/<int:follow_up_id>/done/",
        views.recovery_done,
        name="meetings-recovery-done",
    ),
    path("bad-meetings/<int:bad_id>/decide/", views.decide, name="meetings-decide"),
]
