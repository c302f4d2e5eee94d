"""Who may use each learning page and API route, for the access matrix in
debrief/org/tests/test_access_matrix.py (the words come from debrief/org/tests/routes.py)."""

from __future__ import annotations

from typing import Any

from debrief.org.tests.routes import (
    DEAL_READ,
    DEAL_WRITE,
    DENIED,
    EVERYONE,
    HIDDEN,
    OK,
    ROLES,
    TEAM_READ,
    Route,
    _p,
)

PAGES: dict[str, Route] = {}  # filled below, once the words they use are defined
# North's retro on Rita's lost deal: Maya runs it, Rita, Nico and Maya attend. The practice
# is North's, published, and matches Rita's open deal.
# Open a retro or write a practice: managers of the team (Maya) and admins; reps may not.
MANAGERS = {**dict.fromkeys(ROLES, DENIED), "maya": OK, "adam": OK}
# Run the retro, change the practice: Maya and admins; the team's reps may see, not change.
RUN = {**MANAGERS, "sam": HIDDEN, "oscar": HIDDEN}
# Propose and vote: the attendees and whoever runs it.
TAKE_PART = {**TEAM_READ, "ana": DENIED}

_R = "/api/v1/retros"
_PR = "/api/v1/practices"
_M = "/api/v1/practice-matches"
API: dict[tuple[str, str], Route] = {
    ("GET", _R): Route("GET", _p(_R), EVERYONE),
    ("POST", _R): Route(
        "POST",
        _p(_R),
        MANAGERS,
        lambda w: {
            "team": w.north.pk,
            "title": "Why we lost again",
            "deal_ids": [w.lost.pk],
            "attendee_ids": [w.rita.pk, w.nico.pk, w.maya.pk],
        },
    ),
    ("GET", _R + "/{retro_id}"): Route("GET", _p(_R + "/{w.retro.pk}"), TEAM_READ),
    ("POST", _R + "/{retro_id}/reshuffle"): Route("POST", _p(_R + "/{w.retro.pk}/reshuffle"), RUN),
    ("POST", _R + "/{retro_id}/proposals"): Route(
        "POST", _p(_R + "/{w.retro.pk}/proposals"), TAKE_PART, {"statement": "Call finance"}
    ),
    ("POST", _R + "/{retro_id}/proposals/{proposal_id}/merge"): Route(
        "POST",
        _p(_R + "/{w.retro.pk}/proposals/{w.duplicate.pk}/merge"),
        RUN,
        lambda w: {"into": w.proposal.pk},
    ),
    ("POST", _R + "/{retro_id}/voting"): Route("POST", _p(_R + "/{w.retro.pk}/voting"), RUN),
    ("POST", _R + "/{retro_id}/proposals/{proposal_id}/vote"): Route(
        "POST", _p(_R + "/{w.retro.pk}/proposals/{w.proposal.pk}/vote"), TAKE_PART
    ),
    ("POST", _R + "/{retro_id}/proposals/{proposal_id}/accept"): Route(
        "POST", _p(_R + "/{w.retro.pk}/proposals/{w.proposal.pk}/accept"), RUN
    ),
    ("POST", _R + "/{retro_id}/close"): Route("POST", _p(_R + "/{w.retro.pk}/close"), RUN),
    ("GET", _PR): Route("GET", _p(_PR), EVERYONE),
    ("POST", _PR): Route(
        "POST",
        _p(_PR),
        MANAGERS,
        lambda w: {"team": w.north.pk, "statement": "Map the buying committee"},
    ),
    ("GET", _PR + "/{practice_id}"): Route("GET", _p(_PR + "/{w.practice.pk}"), TEAM_READ),
    ("PATCH", _PR + "/{practice_id}"): Route(
        "PATCH", _p(_PR + "/{w.practice.pk}"), RUN, {"keywords": "budget"}
    ),
    ("POST", _PR + "/{practice_id}/publish"): Route(
        "POST", _p(_PR + "/{w.practice.pk}/publish"), RUN
    ),
    ("POST", _PR + "/{practice_id}/retire"): Route(
        "POST", _p(_PR + "/{w.practice.pk}/retire"), RUN, {"why": "Superseded"}
    ),
    ("GET", _PR + "/{practice_id}/matches"): Route(
        "GET", _p(_PR + "/{w.practice.pk}/matches"), TEAM_READ
    ),
    ("GET", _PR + "/{practice_id}/effect"): Route(
        "GET", _p(_PR + "/{w.practice.pk}/effect"), TEAM_READ
    ),
    ("GET", _M): Route("GET", _p(_M + "?mine=true"), EVERYONE),
    ("GET", _M + "/adoption"): Route("GET", _p(_M + "/adoption?by=practice"), EVERYONE),
    ("GET", _M + "/effect"): Route("GET", _p(_M + "/effect"), EVERYONE),
    ("GET", _M + "/{match_id}"): Route("GET", _p(_M + "/{w.match.pk}"), DEAL_READ),
    ("POST", _M + "/{match_id}/apply"): Route(
        "POST", _p(_M + "/{w.match.pk}/apply"), DEAL_WRITE, {"note": "Met their CFO"}
    ),
    ("POST", _M + "/{match_id}/dismiss"): Route(
        "POST", _p(_M + "/{w.match.pk}/dismiss"), DEAL_WRITE, {"why": "No finance team"}
    ),
}
# Last path segments of POST routes that act on a record and answer 200 rather than 201.
ACTIONS: set[str] = {
    "reshuffle",
    "merge",
    "voting",
    "vote",
    "accept",
    "close",
    "publish",
    "retire",
    "apply",
    "dismiss",
}

# The pages. Open a retro, write a practice: any team's manager (Sam for South) and admins.
OPENERS = {**MANAGERS, "sam": OK}
# Adoption: managers, analysts and admins; reps may not.
LEADS = {**dict.fromkeys(ROLES, DENIED), "maya": OK, "sam": OK, "ana": OK, "adam": OK}
PAGES.update(
    {
        "learning-retros": Route("GET", _p("/retros/"), EVERYONE),
        "learning-retro-new": Route("GET", _p("/retros/new/"), OPENERS),
        "learning-retro": Route("GET", _p("/retros/{w.retro.pk}/"), TEAM_READ),
        "learning-retro-reshuffle": Route("POST", _p("/retros/{w.retro.pk}/reshuffle/"), RUN),
        "learning-retro-propose": Route(
            "POST", _p("/retros/{w.retro.pk}/propose/"), TAKE_PART, {"statement": "Call finance"}
        ),
        "learning-retro-merge": Route(
            "POST",
            _p("/retros/{w.retro.pk}/merge/"),
            RUN,
            lambda w: {"duplicate": w.duplicate.pk, "keep": w.proposal.pk},
        ),
        "learning-retro-voting": Route("POST", _p("/retros/{w.retro.pk}/voting/"), RUN),
        "learning-retro-close": Route("POST", _p("/retros/{w.retro.pk}/close/"), RUN),
        "learning-proposal-vote": Route("POST", _p("/proposals/{w.proposal.pk}/vote/"), TAKE_PART),
        "learning-proposal-accept": Route("POST", _p("/proposals/{w.proposal.pk}/accept/"), RUN),
        "learning-practices": Route("GET", _p("/practices/"), EVERYONE),
        "learning-practice-new": Route("GET", _p("/practices/new/"), OPENERS),
        "learning-practice": Route("GET", _p("/practices/{w.practice.pk}/"), TEAM_READ),
        "learning-practice-edit": Route("GET", _p("/practices/{w.practice.pk}/edit/"), RUN),
        "learning-practice-publish": Route("POST", _p("/practices/{w.practice.pk}/publish/"), RUN),
        "learning-practice-retire": Route(
            "POST", _p("/practices/{w.practice.pk}/retire/"), RUN, {"why": "Superseded"}
        ),
        "learning-to-apply": Route("GET", _p("/practices/to-apply/"), EVERYONE),
        "learning-match-apply": Route(
            "POST",
            _p("/practice-matches/{w.match.pk}/apply/"),
            DEAL_WRITE,
            {"note": "Met their CFO"},
        ),
        "learning-match-dismiss": Route(
            "POST",
            _p("/practice-matches/{w.match.pk}/dismiss/"),
            DEAL_WRITE,
            {"note": "No finance team"},
        ),
        "learning-adoption": Route("GET", _p("/practices/adoption/"), LEADS),
        "learning-funnel": Route("GET", _p("/practices/review-my-funnel/"), EVERYONE),
        "learning-effect": Route("GET", _p("/practices/effect/"), EVERYONE),
    }
)


def extend_world(w: Any) -> None:
    """Add what these routes need to the matrix's world (w.rita, w.north, w.deal, w.lost...)."""
    _learning_world(w)


def _learning_world(w: Any) -> None:
    """w.retro (North, on w.lost; Rita, Nico and Maya attend) with Rita's w.proposal and
    Nico's w.duplicate of it; w.practice, published by Maya, matching Rita's open w.deal in
    w.match. Each only if not there yet, so pages and API share them."""
    from debrief.learning import actions
    from debrief.learning.models import PracticeMatch

    if not hasattr(w, "retro"):
        w.retro = actions.open_retro(
            w.maya,
            team=w.north,
            title="Why we lost Northwind",
            deals=[w.lost],
            attendees=[w.rita, w.nico, w.maya],
        )
    if not hasattr(w, "proposal"):
        w.proposal = actions.propose(
            w.retro, w.rita, statement="Bring finance in before the proposal"
        )
    if not hasattr(w, "duplicate"):
        w.duplicate = actions.propose(w.retro, w.nico, statement="Meet their finance people")
    if not hasattr(w, "practice"):
        w.practice = actions.write_practice(
            w.maya,
            actions.PracticeInput(
                statement="Confirm the budget in discovery", stages=[w.deal.stage]
            ),
            team=w.north,
        )
        actions.publish_practice(w.practice, w.maya)
    if not hasattr(w, "match"):
        w.match = PracticeMatch.objects.get(practice=w.practice, deal=w.deal)
