"""The learning pages: retros, the team's playbook of best practices, the rep's checklist of
practices to apply, adoption, review my funnel, and whether applying practices works."""

from __future__ import annotations

from django.urls import path

from debrief.learning import views

urlpatterns = [
    path("retros/", views.retros, name="learning-retros"),
    path("retros/new/", views.retro_new, name="learning-retro-new"),
    path("retros/<int:retro_id>/", views.retro, name="learning-retro"),
    path("retros/<int:retro_id>/reshuffle/", views.reshuffle, name="learning-retro-reshuffle"),
    path("retros/<int:retro_id>/propose/", views.propose, name="learning-retro-propose"),
    path("retros/<int:retro_id>/merge/", views.merge, name="learning-retro-merge"),
    path("retros/<int:retro_id>/voting/", views.start_voting, name="learning-retro-voting"),
    path("retros/<int:retro_id>/close/", views.close, name="learning-retro-close"),
    path("proposals/<int:proposal_id>/vote/", views.vote, name="learning-proposal-vote"),
    path("proposals/<int:proposal_id>/accept/", views.accept, name="learning-proposal-accept"),
    path("practices/", views.practices, name="learning-practices"),
    path("practices/new/", views.practice_new, name="learning-practice-new"),
    path("practices/to-apply/", views.to_apply, name="learning-to-apply"),
    path("practices/adoption/", views.adoption, name="learning-adoption"),
    path("practices/review-my-funnel/", views.funnel, name="learning-funnel"),
    path("practices/effect/", views.effect, name="learning-effect"),
    path("practices/<int:practice_id>/", views.practice, name="learning-practice"),
    path("practices/<int:practice_id>/edit/", views.practice_edit, name="learning-practice-edit"),
    path(
        "practices/<int:practice_id>/publish/",
        views.practice_publish,
        name="learning-practice-publish",
    ),
    path(
        "practices/<int:practice_id>/retire/",
        views.practice_retire,
        name="learning-practice-retire",
    ),
    path("practice-matches/<int:match_id>/apply/", views.match_apply, name="learning-match-apply"),
    path(
        "practice-matches/<int:match_id>/dismiss/",
        views.match_dismiss,
        name="learning-match-dismiss",
    ),
]
