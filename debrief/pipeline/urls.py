"""The pipeline's pages: deals, customers and their contacts, competitors, and the stages'
settings."""

from __future__ import annotations

from django.urls import path

from debrief.pipeline import views

urlpatterns = [
    path("deals/", views.deals, name="pipeline-deals"),
    path("deals/new/", views.deal_new, name="pipeline-deal-new"),
    path("deals/<int:deal_id>/", views.deal, name="pipeline-deal"),
    path("deals/<int:deal_id>/edit/", views.deal_edit, name="pipeline-deal-edit"),
    path("deals/<int:deal_id>/stage/", views.deal_stage, name="pipeline-deal-stage"),
    path(
        "deals/<int:deal_id>/contacts/add/",
        views.deal_contact_add,
        name="pipeline-deal-contact-add",
    ),
    path(
        "deals/<int:deal_id>/contacts/<int:contact_id>/remove/",
        views.deal_contact_remove,
        name="pipeline-deal-contact-remove",
    ),
    path("customers/", views.customers, name="pipeline-customers"),
    path("customers/new/", views.customer_new, name="pipeline-customer-new"),
    path("customers/options/", views.customer_options, name="pipeline-customer-options"),
    path("customers/<int:customer_id>/", views.customer, name="pipeline-customer"),
    path("customers/<int:customer_id>/edit/", views.customer_edit, name="pipeline-customer-edit"),
    path(
        "customers/<int:customer_id>/contacts/new/",
        views.contact_new,
        name="pipeline-contact-new",
    ),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="pipeline-contact-edit"),
    path("competitors/", views.competitors, name="pipeline-competitors"),
    # A tab of the admins' settings: its path and names are those of the other tabs.
    path("settings/stages/", views.stages, name="org-stages"),
    path("settings/stages/<int:stage_id>/", views.stage_edit, name="org-stage-edit"),
    path("settings/stages/<int:stage_id>/move/", views.stage_move, name="org-stage-move"),
    path("settings/stages/<int:stage_id>/active/", views.stage_active, name="org-stage-active"),
]
