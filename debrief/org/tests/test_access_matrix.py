"""Every page and every API route, for every role: who gets it, who gets 403 (may see, may
not change) and who gets 404 (another team's record). The routes are read from the URL
configuration and the OpenAPI schema, so a new route without a rule here fails this test."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from debrief.losses import actions as loss_actions
from debrief.losses.models import LossReason, OutcomeType
from debrief.meetings import actions as meeting_actions
from debrief.org import actions as org_actions
from debrief.org.tests.routes import (
    ADMINS,
    ADMINS_WRITE,
    CUSTOMER_READ,
    CUSTOMER_WRITE,
    DEAL_READ,
    DEAL_WRITE,
    DENIED,
    EVERYONE,
    HIDDEN,
    OK,
    OWN_IT,
    RITA_ONLY,
    ROLES,
    TEAM_READ,
    WRITERS,
    Route,
    _p,
)
from debrief.pipeline import actions as pipeline_actions
from debrief.relationships import actions as relationship_actions

PAGES: dict[str, Route] = {
    "web-home": Route("GET", _p("/"), EVERYONE),
    "web-login": Route("GET", _p("/login/"), EVERYONE),
    "web-logout": Route("POST", _p("/logout/"), EVERYONE),
    "org-profile": Route("GET", _p("/me/"), EVERYONE),
    "org-password-change": Route("GET", _p("/me/password/"), EVERYONE),
    "org-token-create": Route("POST", _p("/me/tokens/"), EVERYONE, {"name": "matrix"}),
    "org-token-revoke": Route("POST", _p("/me/tokens/{w.token.pk}/revoke/"), RITA_ONLY),
    "org-settings": Route("GET", _p("/settings/"), ADMINS),
    "org-stages": Route("GET", _p("/settings/stages/"), ADMINS),
    "org-stage-edit": Route("GET", _p("/settings/stages/{w.stage.pk}/"), ADMINS),
    "org-stage-move": Route("POST", _p("/settings/stages/{w.stage.pk}/move/"), ADMINS),
    "org-stage-active": Route("POST", _p("/settings/stages/{w.stage.pk}/active/"), ADMINS),
    "org-users": Route("GET", _p("/settings/users/"), ADMINS),
    "org-user-add": Route("GET", _p("/settings/users/new/"), ADMINS),
    "org-user-edit": Route("GET", _p("/settings/users/{w.rita.pk}/"), ADMINS),
    "org-teams": Route("GET", _p("/settings/teams/"), ADMINS),
    "org-team-add": Route("GET", _p("/settings/teams/new/"), ADMINS),
    "org-team-edit": Route("GET", _p("/settings/teams/{w.north.pk}/"), ADMINS),
    "pipeline-deals": Route("GET", _p("/deals/"), EVERYONE),
    "pipeline-deal-new": Route("GET", _p("/deals/new/"), WRITERS),
    "pipeline-deal": Route("GET", _p("/deals/{w.deal.pk}/"), DEAL_READ),
    "pipeline-deal-edit": Route("GET", _p("/deals/{w.deal.pk}/edit/"), DEAL_WRITE),
    "pipeline-deal-stage": Route("POST", _p("/deals/{w.deal.pk}/stage/"), DEAL_WRITE),
    "pipeline-deal-contact-add": Route("POST", _p("/deals/{w.deal.pk}/contacts/add/"), DEAL_WRITE),
    "pipeline-deal-contact-remove": Route(
        "POST", _p("/deals/{w.deal.pk}/contacts/{w.contact.pk}/remove/"), DEAL_WRITE
    ),
    "pipeline-customers": Route("GET", _p("/customers/"), EVERYONE),
    "pipeline-customer-new": Route("GET", _p("/customers/new/"), WRITERS),
    "pipeline-customer-options": Route("GET", _p("/customers/options/?q=Nor"), EVERYONE),
    "pipeline-customer": Route("GET", _p("/customers/{w.customer.pk}/"), CUSTOMER_READ),
    "pipeline-customer-edit": Route("GET", _p("/customers/{w.customer.pk}/edit/"), CUSTOMER_WRITE),
    "pipeline-contact-new": Route(
        "GET", _p("/customers/{w.customer.pk}/contacts/new/"), CUSTOMER_WRITE
    ),
    "pipeline-contact-edit": Route("GET", _p("/contacts/{w.contact.pk}/edit/"), CUSTOMER_WRITE),
    "pipeline-competitors": Route("GET", _p("/competitors/"), EVERYONE),
    # The loss loop. The lost deal is a major one: Maya leads its post-mortem with Rita.
    "losses-mark-lost": Route("GET", _p("/deals/{w.deal.pk}/lose/"), DEAL_WRITE),
    "losses-reopen": Route("POST", _p("/deals/{w.lost.pk}/reopen/"), DEAL_WRITE),
    "losses-list": Route("GET", _p("/losses/"), EVERYONE),
    "losses-rep-vs-customer": Route("GET", _p("/losses/rep-vs-customer/"), EVERYONE),
    "losses-loss": Route("GET", _p("/losses/{w.loss.pk}/"), DEAL_READ),
    "losses-own-it": Route("GET", _p("/losses/{w.loss.pk}/own-it/"), OWN_IT),
    "losses-own-it-lesson": Route("POST", _p("/losses/{w.loss.pk}/own-it/lesson/"), OWN_IT),
    "losses-debriefs": Route("GET", _p("/debriefs/"), EVERYONE),
    "losses-debrief": Route("GET", _p("/debriefs/{w.debrief.pk}/"), DEAL_READ),
    "losses-debrief-ics": Route("GET", _p("/debriefs/{w.debrief.pk}/invite.ics"), DEAL_READ),
    "losses-debrief-schedule": Route("POST", _p("/debriefs/{w.debrief.pk}/schedule/"), DEAL_WRITE),
    "losses-debrief-held": Route("POST", _p("/debriefs/{w.debrief.pk}/held/"), DEAL_WRITE),
    "losses-debrief-close": Route("POST", _p("/debriefs/{w.debrief.pk}/close/"), DEAL_WRITE),
    "losses-debrief-lesson": Route("POST", _p("/debriefs/{w.debrief.pk}/lesson/"), DEAL_WRITE),
    "losses-debrief-follow-up": Route(
        "POST", _p("/debriefs/{w.debrief.pk}/follow-up/"), DEAL_WRITE
    ),
    "losses-lessons": Route("GET", _p("/lessons/"), EVERYONE),
    "losses-lesson": Route("GET", _p("/lessons/{w.lesson.pk}/"), TEAM_READ),
    "losses-reasons": Route("GET", _p("/settings/reasons/"), ADMINS),
    "losses-reason-edit": Route("GET", _p("/settings/reasons/{w.reason.pk}/"), ADMINS),
    "losses-reason-merge": Route("POST", _p("/settings/reasons/{w.reason.pk}/merge/"), ADMINS),
    "losses-reason-retire": Route(
        "POST", _p("/settings/reasons/{w.other_reason.pk}/retire/"), ADMINS
    ),
    "losses-reason-restore": Route("POST", _p("/settings/reasons/{w.reason.pk}/restore/"), ADMINS),
    # Meetings, on Rita's open deal: one past meeting to record, one flagged bad.
    "meetings-new": Route("GET", _p("/deals/{w.deal.pk}/meetings/new/"), DEAL_WRITE),
    "meetings-list": Route("GET", _p("/meetings/"), EVERYONE),
    "meetings-meeting": Route("GET", _p("/meetings/{w.meeting.pk}/"), DEAL_READ),
    "meetings-edit": Route("GET", _p("/meetings/{w.meeting.pk}/edit/"), DEAL_WRITE),
    "meetings-plan": Route("GET", _p("/meetings/{w.meeting.pk}/plan/"), DEAL_READ),
    "meetings-plan-pdf": Route("GET", _p("/meetings/{w.meeting.pk}/plan.pdf"), DEAL_READ),
    "meetings-invite": Route("GET", _p("/meetings/{w.meeting.pk}/invite.ics"), DEAL_READ),
    "meetings-outcome": Route("GET", _p("/meetings/{w.meeting.pk}/outcome/"), DEAL_WRITE),
    "meetings-bad": Route("GET", _p("/meetings/{w.meeting.pk}/bad/"), DEAL_WRITE),
    "meetings-recovery-done": Route(
        "POST",
        _p("/meetings/{w.bad.meeting_id}/recovery/{w.recovery_step.pk}/done/"),
        DEAL_WRITE,
    ),
    "meetings-decide": Route("GET", _p("/bad-meetings/{w.bad.pk}/decide/"), DEAL_WRITE),
    # Relationships, on the North customer of Rita's deals.
    "relationships-list": Route("GET", _p("/relationships/"), EVERYONE),
    "relationships-time-to-mend": Route("GET", _p("/relationships/time-to-mend/"), EVERYONE),
    "relationships-relationship": Route(
        "GET", _p("/customers/{w.customer.pk}/relationship/"), CUSTOMER_READ
    ),
    "relationships-re-engagement-ics": Route(
        "GET", _p("/customers/{w.customer.pk}/relationship/re-engagement.ics"), CUSTOMER_READ
    ),
    "relationships-status": Route(
        "POST", _p("/customers/{w.customer.pk}/relationship/status/"), CUSTOMER_WRITE
    ),
    "relationships-touchpoint-add": Route(
        "POST", _p("/customers/{w.customer.pk}/relationship/touchpoints/"), CUSTOMER_WRITE
    ),
    "relationships-touchpoint-done": Route(
        "POST",
        _p("/customers/{w.customer.pk}/relationship/touchpoints/{w.touchpoint.pk}/done/"),
        CUSTOMER_WRITE,
    ),
    "relationships-touchpoint-move": Route(
        "POST",
        _p("/customers/{w.customer.pk}/relationship/touchpoints/{w.touchpoint.pk}/up/"),
        CUSTOMER_WRITE,
    ),
    "relationships-rep": Route(
        "POST", _p("/customers/{w.customer.pk}/relationship/rep/"), CUSTOMER_WRITE
    ),
    "relationships-re-engagement": Route(
        "POST", _p("/customers/{w.customer.pk}/relationship/re-engagement/"), CUSTOMER_WRITE
    ),
    "losses-outcome-types": Route("GET", _p("/settings/outcome-types/"), ADMINS),
    "losses-outcome-type-edit": Route("GET", _p("/settings/outcome-types/{w.outcome.pk}/"), ADMINS),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/me"): Route("GET", _p("/api/v1/me"), EVERYONE),
    ("GET", "/api/v1/users"): Route("GET", _p("/api/v1/users"), EVERYONE),
    ("GET", "/api/v1/users/{user_id}"): Route("GET", _p("/api/v1/users/{w.rita.pk}"), EVERYONE),
    ("GET", "/api/v1/teams"): Route("GET", _p("/api/v1/teams"), EVERYONE),
    ("GET", "/api/v1/teams/{team_id}"): Route("GET", _p("/api/v1/teams/{w.north.pk}"), EVERYONE),
    ("GET", "/api/v1/deals"): Route("GET", _p("/api/v1/deals"), EVERYONE),
    ("POST", "/api/v1/deals"): Route("POST", _p("/api/v1/deals"), WRITERS),
    ("GET", "/api/v1/deals/{deal_id}"): Route("GET", _p("/api/v1/deals/{w.deal.pk}"), DEAL_READ),
    ("PATCH", "/api/v1/deals/{deal_id}"): Route(
        "PATCH", _p("/api/v1/deals/{w.deal.pk}"), DEAL_WRITE, {"next_step": "Call back"}
    ),
    ("POST", "/api/v1/deals/{deal_id}/stage"): Route(
        "POST", _p("/api/v1/deals/{w.deal.pk}/stage"), DEAL_WRITE, {"stage": "{w.stage.pk}"}
    ),
    ("GET", "/api/v1/deals/{deal_id}/events"): Route(
        "GET", _p("/api/v1/deals/{w.deal.pk}/events"), DEAL_READ
    ),
    ("GET", "/api/v1/deals/{deal_id}/contacts"): Route(
        "GET", _p("/api/v1/deals/{w.deal.pk}/contacts"), DEAL_READ
    ),
    ("POST", "/api/v1/deals/{deal_id}/contacts"): Route(
        "POST",
        _p("/api/v1/deals/{w.deal.pk}/contacts"),
        DEAL_WRITE,
        {"contact": "{w.contact.pk}", "role": "evaluator"},
    ),
    ("DELETE", "/api/v1/deals/{deal_id}/contacts/{contact_id}"): Route(
        "DELETE",
        _p("/api/v1/deals/{w.deal.pk}/contacts/{w.contact.pk}"),
        DEAL_WRITE,
        restore=lambda w: pipeline_actions.add_deal_contact(w.deal, w.contact, "champion", None),
    ),
    ("GET", "/api/v1/customers"): Route("GET", _p("/api/v1/customers"), EVERYONE),
    ("POST", "/api/v1/customers"): Route("POST", _p("/api/v1/customers"), WRITERS),
    ("GET", "/api/v1/customers/{customer_id}"): Route(
        "GET", _p("/api/v1/customers/{w.customer.pk}"), CUSTOMER_READ
    ),
    ("PATCH", "/api/v1/customers/{customer_id}"): Route(
        "PATCH", _p("/api/v1/customers/{w.customer.pk}"), CUSTOMER_WRITE, {"region": "EMEA"}
    ),
    ("GET", "/api/v1/customers/{customer_id}/contacts"): Route(
        "GET", _p("/api/v1/customers/{w.customer.pk}/contacts"), CUSTOMER_READ
    ),
    ("POST", "/api/v1/customers/{customer_id}/contacts"): Route(
        "POST", _p("/api/v1/customers/{w.customer.pk}/contacts"), CUSTOMER_WRITE, {"name": "Ida"}
    ),
    ("GET", "/api/v1/contacts/{contact_id}"): Route(
        "GET", _p("/api/v1/contacts/{w.contact.pk}"), CUSTOMER_READ
    ),
    ("PATCH", "/api/v1/contacts/{contact_id}"): Route(
        "PATCH", _p("/api/v1/contacts/{w.contact.pk}"), CUSTOMER_WRITE, {"title": "CFO"}
    ),
    ("GET", "/api/v1/stages"): Route("GET", _p("/api/v1/stages"), EVERYONE),
    ("POST", "/api/v1/stages"): Route(
        "POST", _p("/api/v1/stages"), ADMINS_WRITE, {"name": "Pilot", "kind": "open"}
    ),
    ("GET", "/api/v1/stages/{stage_id}"): Route("GET", _p("/api/v1/stages/{w.stage.pk}"), EVERYONE),
    ("PATCH", "/api/v1/stages/{stage_id}"): Route(
        "PATCH", _p("/api/v1/stages/{w.stage.pk}"), ADMINS_WRITE, {"probability": 45}
    ),
    ("GET", "/api/v1/competitors"): Route("GET", _p("/api/v1/competitors"), EVERYONE),
    ("POST", "/api/v1/competitors"): Route("POST", _p("/api/v1/competitors"), WRITERS),
    ("GET", "/api/v1/competitors/{competitor_id}"): Route(
        "GET", _p("/api/v1/competitors/{w.competitor.pk}"), EVERYONE
    ),
    ("PATCH", "/api/v1/competitors/{competitor_id}"): Route(
        "PATCH", _p("/api/v1/competitors/{w.competitor.pk}"), WRITERS, {"website": ""}
    ),
    ("GET", "/api/v1/products"): Route("GET", _p("/api/v1/products"), EVERYONE),
}

LOSS_API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/losses"): Route("GET", _p("/api/v1/losses"), EVERYONE),
    ("POST", "/api/v1/losses"): Route(
        "POST",
        _p("/api/v1/losses"),
        DEAL_WRITE,
        lambda w: {"deal": w.deal.pk, "outcome_type": w.outcome.pk, "reasons": [w.reason.pk]},
    ),
    ("GET", "/api/v1/losses/{loss_id}"): Route("GET", _p("/api/v1/losses/{w.loss.pk}"), DEAL_READ),
    ("POST", "/api/v1/losses/{loss_id}/reopen"): Route(
        "POST", _p("/api/v1/losses/{w.loss.pk}/reopen"), DEAL_WRITE, {"stage": "{w.stage.pk}"}
    ),
    ("GET", "/api/v1/reasons"): Route("GET", _p("/api/v1/reasons"), EVERYONE),
    ("POST", "/api/v1/reasons"): Route(
        "POST", _p("/api/v1/reasons"), ADMINS_WRITE, {"name": "Legal terms"}
    ),
    ("GET", "/api/v1/reasons/{reason_id}"): Route(
        "GET", _p("/api/v1/reasons/{w.reason.pk}"), EVERYONE
    ),
    ("PATCH", "/api/v1/reasons/{reason_id}"): Route(
        "PATCH", _p("/api/v1/reasons/{w.reason.pk}"), ADMINS_WRITE, {"name": "Pricing"}
    ),
    ("POST", "/api/v1/reasons/{reason_id}/merge"): Route(
        "POST",
        _p("/api/v1/reasons/{w.other_reason.pk}/merge"),
        ADMINS_WRITE,
        lambda w: {"into": w.reason.pk},
    ),
    ("GET", "/api/v1/outcome-types"): Route("GET", _p("/api/v1/outcome-types"), EVERYONE),
    ("POST", "/api/v1/outcome-types"): Route(
        "POST", _p("/api/v1/outcome-types"), ADMINS_WRITE, {"name": "Merged with a rival"}
    ),
    ("GET", "/api/v1/outcome-types/{outcome_type_id}"): Route(
        "GET", _p("/api/v1/outcome-types/{w.outcome.pk}"), EVERYONE
    ),
    ("PATCH", "/api/v1/outcome-types/{outcome_type_id}"): Route(
        "PATCH", _p("/api/v1/outcome-types/{w.outcome.pk}"), ADMINS_WRITE, {"name": "Competitor"}
    ),
    ("GET", "/api/v1/own-it-reviews"): Route("GET", _p("/api/v1/own-it-reviews"), EVERYONE),
    ("GET", "/api/v1/own-it-reviews/{review_id}"): Route(
        "GET", _p("/api/v1/own-it-reviews/{w.own_it.pk}"), OWN_IT
    ),
    ("PATCH", "/api/v1/own-it-reviews/{review_id}"): Route(
        "PATCH",
        _p("/api/v1/own-it-reviews/{w.own_it.pk}"),
        {**OWN_IT, "maya": DENIED, "adam": DENIED, "ana": DENIED},
        {"will_do_next_time": "Multi-thread early"},
    ),
    ("GET", "/api/v1/debriefs"): Route("GET", _p("/api/v1/debriefs"), EVERYONE),
    ("POST", "/api/v1/debriefs"): Route(
        "POST", _p("/api/v1/debriefs"), DEAL_WRITE, lambda w: {"deal": w.lost.pk}
    ),
    ("GET", "/api/v1/debriefs/{debrief_id}"): Route(
        "GET", _p("/api/v1/debriefs/{w.debrief.pk}"), DEAL_READ
    ),
    ("PATCH", "/api/v1/debriefs/{debrief_id}"): Route(
        "PATCH", _p("/api/v1/debriefs/{w.debrief.pk}"), DEAL_WRITE, {"duration_minutes": 45}
    ),
    ("POST", "/api/v1/debriefs/{debrief_id}/answers"): Route(
        "POST",
        _p("/api/v1/debriefs/{w.debrief.pk}/answers"),
        DEAL_WRITE,
        {"answers": [{"number": 1, "answer": "Their references were closer to us"}]},
    ),
    ("POST", "/api/v1/debriefs/{debrief_id}/held"): Route(
        "POST", _p("/api/v1/debriefs/{w.debrief.pk}/held"), DEAL_WRITE
    ),
    ("POST", "/api/v1/debriefs/{debrief_id}/close"): Route(
        "POST", _p("/api/v1/debriefs/{w.debrief.pk}/close"), DEAL_WRITE, {"status": "declined"}
    ),
    ("GET", "/api/v1/debriefs/{debrief_id}/invite.ics"): Route(
        "GET", _p("/api/v1/debriefs/{w.debrief.pk}/invite.ics"), DEAL_READ
    ),
    ("GET", "/api/v1/lessons"): Route("GET", _p("/api/v1/lessons"), EVERYONE),
    ("POST", "/api/v1/lessons"): Route(
        "POST",
        _p("/api/v1/lessons"),
        {**OWN_IT, "ana": DENIED},
        lambda w: {"own_it_review": w.own_it.pk, "statement": "Confirm budget early"},
    ),
    ("GET", "/api/v1/lessons/{lesson_id}"): Route(
        "GET", _p("/api/v1/lessons/{w.lesson.pk}"), TEAM_READ
    ),
}
API.update(LOSS_API)


def _soon(days: int = 3) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


MEETING_API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/meetings"): Route("GET", _p("/api/v1/meetings"), EVERYONE),
    ("POST", "/api/v1/meetings"): Route(
        "POST",
        _p("/api/v1/meetings"),
        DEAL_WRITE,
        lambda w: {"deal": w.deal.pk, "title": "Scope call", "starts_at": _soon() + "T10:00:00Z"},
    ),
    ("GET", "/api/v1/meetings/{meeting_id}"): Route(
        "GET", _p("/api/v1/meetings/{w.meeting.pk}"), DEAL_READ
    ),
    ("PATCH", "/api/v1/meetings/{meeting_id}"): Route(
        "PATCH", _p("/api/v1/meetings/{w.meeting.pk}"), DEAL_WRITE, {"title": "Discovery"}
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/plan.pdf"): Route(
        "GET", _p("/api/v1/meetings/{w.meeting.pk}/plan.pdf"), DEAL_READ
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/invite.ics"): Route(
        "GET", _p("/api/v1/meetings/{w.meeting.pk}/invite.ics"), DEAL_READ
    ),
    ("GET", "/api/v1/meeting-plans/{meeting_id}"): Route(
        "GET", _p("/api/v1/meeting-plans/{w.meeting.pk}"), DEAL_READ
    ),
    ("PUT", "/api/v1/meeting-plans/{meeting_id}"): Route(
        "PUT", _p("/api/v1/meeting-plans/{w.meeting.pk}"), DEAL_WRITE, {"purpose": "Scope"}
    ),
    ("PATCH", "/api/v1/meeting-plans/{meeting_id}"): Route(
        "PATCH", _p("/api/v1/meeting-plans/{w.meeting.pk}"), DEAL_WRITE, {"purpose": "Scope"}
    ),
    ("GET", "/api/v1/meeting-outcomes"): Route("GET", _p("/api/v1/meeting-outcomes"), EVERYONE),
    ("POST", "/api/v1/meeting-outcomes"): Route(
        "POST",
        _p("/api/v1/meeting-outcomes"),
        DEAL_WRITE,
        lambda w: {
            "meeting": w.meeting.pk,
            "result": "no_outcome",
            "compared_with_plan": "neither",
            "valuable_for_customer": "no",
            "note": "They asked for a deck and left.",
        },
    ),
    ("GET", "/api/v1/meeting-outcomes/{meeting_id}"): Route(
        "GET", _p("/api/v1/meeting-outcomes/{w.bad.meeting_id}"), DEAL_READ
    ),
    ("GET", "/api/v1/bad-meetings"): Route("GET", _p("/api/v1/bad-meetings"), EVERYONE),
    ("POST", "/api/v1/bad-meetings"): Route(
        "POST",
        _p("/api/v1/bad-meetings"),
        DEAL_WRITE,
        lambda w: {"meeting": w.meeting.pk, "causes": ["timing"], "consequences": []},
    ),
    ("GET", "/api/v1/bad-meetings/{bad_meeting_id}"): Route(
        "GET", _p("/api/v1/bad-meetings/{w.bad.pk}"), DEAL_READ
    ),
    ("POST", "/api/v1/bad-meetings/{bad_meeting_id}/decision"): Route(
        "POST",
        _p("/api/v1/bad-meetings/{w.bad.pk}/decision"),
        DEAL_WRITE,
        lambda w: {"decision": "stay_in", "next_step": "Call back", "next_step_date": _soon()},
    ),
    ("GET", "/api/v1/relationships"): Route("GET", _p("/api/v1/relationships"), EVERYONE),
    ("GET", "/api/v1/relationships/{customer_id}"): Route(
        "GET", _p("/api/v1/relationships/{w.customer.pk}"), CUSTOMER_READ
    ),
    ("GET", "/api/v1/relationships/{customer_id}/re-engagement.ics"): Route(
        "GET", _p("/api/v1/relationships/{w.customer.pk}/re-engagement.ics"), CUSTOMER_READ
    ),
    ("POST", "/api/v1/relationships/{customer_id}/status"): Route(
        "POST",
        _p("/api/v1/relationships/{w.customer.pk}/status"),
        CUSTOMER_WRITE,
        {"status": "broken", "reason": "They stopped answering"},
    ),
    ("POST", "/api/v1/relationships/{customer_id}/touchpoints"): Route(
        "POST",
        _p("/api/v1/relationships/{w.customer.pk}/touchpoints"),
        CUSTOMER_WRITE,
        lambda w: {"kind": "call", "description": "Call to listen", "due_on": _soon()},
    ),
    ("PATCH", "/api/v1/relationships/{customer_id}/touchpoints/{touchpoint_id}"): Route(
        "PATCH",
        _p("/api/v1/relationships/{w.customer.pk}/touchpoints/{w.touchpoint.pk}"),
        CUSTOMER_WRITE,
        {"done": True, "outcome_note": "Good call"},
    ),
    ("POST", "/api/v1/relationships/{customer_id}/rep"): Route(
        "POST",
        _p("/api/v1/relationships/{w.customer.pk}/rep"),
        CUSTOMER_WRITE,
        lambda w: {"new_rep": w.rita.pk, "reason": "Better fit"},
    ),
    ("POST", "/api/v1/relationships/{customer_id}/re-engagement"): Route(
        "POST",
        _p("/api/v1/relationships/{w.customer.pk}/re-engagement"),
        CUSTOMER_WRITE,
        {"note": "Their budget cycle"},
    ),
}
API.update(MEETING_API)

# The apps that list their own routes, in <app>/tests/access_routes.py: PAGES, API and
# extend_world(w), which adds the records their routes need to the world below.
APP_ROUTES = [
    importlib.import_module(f"debrief.{app}.tests.access_routes")
    for app in ("learning", "imports", "insights", "audit")
]
for _module in APP_ROUTES:
    assert not set(_module.PAGES) & set(PAGES), _module.__name__
    assert not set(_module.API) & set(API), _module.__name__
    PAGES.update(_module.PAGES)
    API.update(_module.API)

# Routes that answer without signing in, or belong to Django's own admin (admins only).
UNGUARDED_API = {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")}


def _page_names() -> set[str]:
    def walk(patterns: list[Any], namespace: str | None = None) -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in ("admin", "api"):
                    names |= walk(pattern.url_patterns, pattern.namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace is None:
                names.add(pattern.name)
        return names

    return walk(get_resolver().url_patterns)


def _api_operations() -> set[tuple[str, str]]:
    from debrief.api import api

    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_page_has_an_access_rule():
    assert _page_names() == set(PAGES), "add the new page to PAGES with who may use it"


def test_every_api_route_has_an_access_rule():
    assert _api_operations() - UNGUARDED_API == set(API), "add the new route to API"


@pytest.fixture
def world(cast, north, make_customer, make_deal, stages):
    customer = make_customer(name="Northwind Tools", team=north)
    contact = pipeline_actions.create_contact(customer, None, name="Cleo Carter", title="CTO")
    deal = make_deal(cast.rita, customer=customer)
    pipeline_actions.add_deal_contact(deal, contact, "champion", None)
    competitor = pipeline_actions.create_competitor(None, "Acme Rival")
    token, _ = org_actions.create_api_token(cast.rita, None, "laptop")
    lost = make_deal(cast.rita, customer=customer, amount=Decimal("250000"))
    reason = LossReason.objects.get(name="Price")
    outcome = OutcomeType.objects.get(name="Lost to a competitor")
    loss = loss_actions.mark_deal_lost(
        lost, cast.rita, loss_actions.LossInput(outcome_type=outcome, reasons=[reason])
    )
    own_it = loss_actions.write_own_it_review(
        loss.own_it,
        cast.rita,
        could_have_done_differently="Brought finance in earlier",
        will_do_next_time="Confirm budget in discovery",
        decisive_reason=reason,
    )
    yesterday = timezone.now() - dt.timedelta(days=1)
    meeting = meeting_actions.schedule_meeting(
        deal, cast.rita, title="Discovery call", starts_at=yesterday
    )
    bad = meeting_actions.flag_bad_meeting(
        meeting_actions.schedule_meeting(deal, cast.rita, title="Demo", starts_at=yesterday),
        cast.rita,
        causes=["pricing"],
        consequences=["cycle_lengthened"],
    )
    meeting_actions.record_outcome(
        bad.meeting,
        cast.rita,
        meeting_actions.OutcomeInput(
            result="no_outcome",
            compared_with_plan="neither",
            valuable_for_customer="no",
            note="Went badly",
        ),
    )
    touchpoint = relationship_actions.add_touchpoint(
        customer,
        cast.rita,
        kind="email",
        description="Send the case study",
        due_on=timezone.localdate() + dt.timedelta(days=2),
        owner=cast.rita,
    )
    relationship_actions.set_re_engagement(customer, cast.rita, note="Next budget cycle")
    lesson = loss_actions.record_lesson(
        cast.rita, loss_actions.LessonInput(statement="Confirm budget early"), own_it=own_it
    )

    class World:
        pass

    w = World()
    vars(w).update(
        vars(cast),
        north=north,
        customer=customer,
        contact=contact,
        deal=deal,
        competitor=competitor,
        token=token,
        stage=stages["Proposal"],
        lost=lost,
        loss=loss,
        debrief=loss.debrief,
        lesson=lesson,
        own_it=own_it,
        meeting=meeting,
        bad=bad,
        recovery_step=bad.consequences.get().recovery_step,
        touchpoint=touchpoint,
        reason=reason,
        other_reason=LossReason.objects.get(name="Timing"),
        outcome=outcome,
    )
    for module in APP_ROUTES:
        module.extend_world(w)
    return w


def _outcome(status: int) -> Any:
    if status in (401, 404):
        return HIDDEN
    if status == 403:
        return DENIED
    assert status < 500, f"server error {status}"
    return OK


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access_by_role(client, world, name):
    route = PAGES[name]
    seen = {}
    for role in ROLES:
        client.force_login(getattr(world, role))
        url = route.path(world)
        body = route.data(world) if callable(route.data) else (route.data or {})
        response = client.get(url) if route.method == "GET" else client.post(url, body)
        seen[role] = _outcome(response.status_code)
    assert seen == route.who


@pytest.mark.parametrize("operation", sorted(API), ids=" ".join)
def test_api_access_by_role(api_client, world, operation):
    route = API[operation]
    seen = {}
    for role in ROLES:
        if route.restore:
            route.restore(world)
        api = api_client.as_user(getattr(world, role))
        url = route.path(world)
        raw = route.data(world) if callable(route.data) else (route.data or {})
        data = {k: (v.format(w=world) if isinstance(v, str) else v) for k, v in raw.items()}
        call = getattr(api, route.method.lower())
        response = call(url) if route.method in ("GET", "DELETE") else call(url, data)
        seen[role] = _outcome(response.status_code)
    assert seen == route.who


def test_api_without_a_token_is_refused(client, world):
    for (method, _), route in API.items():
        response = client.generic(method, route.path(world))
        assert response.status_code == 401, (method, route.path(world))
