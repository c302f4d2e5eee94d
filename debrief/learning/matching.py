"""How a best practice finds the open deals it applies to: its structured conditions (stage,
competitor, segment, product, size, the loss reasons it answers) and a deterministic,
explainable word overlap between the practice and the deal's own words.

The words: lower-cased, split on anything that is not a letter or digit, stop words and words
shorter than three letters dropped, and a light suffix stemmer ("pricing", "priced", "prices"
→ "pric"), so that every match can say which words it shares. No model, no randomness: the
same practice and deal always give the same match and the same reasons.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "deal",
        "deals",
        "customer",
        "customers",
        "meeting",
        "meetings",
        "call",
        "week",
        "weeks",
        "next",
        "time",
        "get",
        "make",
        "want",
        "need",
    ]
)
SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Points for each kind of evidence; the score orders a rep's checklist, strongest first.
CONDITION_POINTS = 1.0
KEYWORD_POINTS = 2.0
WORD_POINTS = 0.25
MIN_SHARED_WORDS = 2  # with no keyword and no condition, this much overlap makes a match


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    """The distinct stems of a text, as matching sees it."""
    return set(spellings(text))


def spellings(text: str) -> dict[str, str]:
    """Each stem of a text with the first word that gave it, to explain a match in words
    people wrote rather than in stems."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text or ""):
        kept = _kept(word)
        if kept is not None:
            found.setdefault(kept[0], kept[1])
    return found


@functools.lru_cache(maxsize=1 << 16)
def _kept(word: str) -> tuple[str, str] | None:
    """A word as matching keeps it: (stem, lower-cased word), or None for a word it drops.
    Cached: the words of 100,000 deals are mostly the same few thousand."""
    lower = word.lower()
    if len(lower) < 3 or lower in STOP_WORDS or lower.isdigit():
        return None
    return stem(lower), lower


def pack(words: Iterable[str]) -> str:
    """Stored form: sorted, space-separated, with a space at each end so that SQL can look
    for ' word ' without matching inside another word."""
    return " " + " ".join(sorted(set(words))) + " " if words else ""


@dataclass(frozen=True)
class Conditions:
    """A practice's conditions, loaded once, so many deals can be tested without queries."""

    stage_ids: frozenset[int] = frozenset()
    competitor_ids: frozenset[int] = frozenset()
    product_ids: frozenset[int] = frozenset()
    segments: frozenset[str] = frozenset()
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    keyword_stems: frozenset[str] = frozenset()
    statement_stems: frozenset[str] = frozenset()
    # Names for the explanations: ids to names, and stems to the practice's own words.
    names: dict[str, dict[int, str]] = field(default_factory=dict)
    words_for_stems: dict[str, str] = field(default_factory=dict)

    @property
    def has_structure(self) -> bool:
        return bool(
            self.stage_ids
            or self.competitor_ids
            or self.product_ids
            or self.segments
            or self.min_amount is not None
            or self.max_amount is not None
        )


@dataclass(frozen=True)
class DealFacts:
    """What matching needs to know of one deal."""

    deal_id: int
    stage_id: int
    amount: Decimal
    segment: str
    competitor_ids: frozenset[int]
    product_ids: frozenset[int]
    words: frozenset[str]


def explain(conditions: Conditions, deal: DealFacts) -> dict[str, Any] | None:
    """Why the practice applies to the deal, or None when it does not. The result is what a
    match stores and shows: the conditions met, the keywords and words shared, the score."""
    met: list[str] = []
    names = conditions.names
    if conditions.stage_ids:
        if deal.stage_id not in conditions.stage_ids:
            return None
        met.append(f"stage is {names.get('stage', {}).get(deal.stage_id, deal.stage_id)}")
    if conditions.competitor_ids:
        shared = conditions.competitor_ids & deal.competitor_ids
        if not shared:
            return None
        labels = sorted(names.get("competitor", {}).get(i, str(i)) for i in shared)
        met.append(f"competing with {', '.join(labels)}")
    if conditions.product_ids:
        shared = conditions.product_ids & deal.product_ids
        if not shared:
            return None
        labels = sorted(names.get("product", {}).get(i, str(i)) for i in shared)
        met.append(f"includes {', '.join(labels)}")
    if conditions.segments:
        if deal.segment.lower() not in conditions.segments:
            return None
        met.append(f"segment is {deal.segment}")
    if conditions.min_amount is not None:
        if deal.amount < conditions.min_amount:
            return None
        met.append(f"amount at least {conditions.min_amount:,.0f}")
    if conditions.max_amount is not None:
        if deal.amount > conditions.max_amount:
            return None
        met.append(f"amount at most {conditions.max_amount:,.0f}")
    keywords = sorted(conditions.keyword_stems & deal.words)
    words = sorted((conditions.statement_stems - conditions.keyword_stems) & deal.words)
    spell = conditions.words_for_stems
    if conditions.keyword_stems and not keywords:
        return None
    if (
        not conditions.has_structure
        and not conditions.keyword_stems
        and len(words) < MIN_SHARED_WORDS
    ):
        return None
    score = CONDITION_POINTS * len(met) + KEYWORD_POINTS * len(keywords) + WORD_POINTS * len(words)
    return {
        "conditions": met,
        "keywords": [spell.get(s, s) for s in keywords],
        "words": [spell.get(s, s) for s in words],
        "score": round(score, 2),
    }


class Explainer:
    """`explain` for many deals of one practice. The reasons depend only on what a condition
    looks at (the stage, the named competitors and products, the segment, whether the amount
    is in range) and on which of the practice's own words the deal has, so deals alike in
    those get the same reasons, computed once (the demo's 100,000 deals have a few hundred
    such kinds for a practice)."""

    def __init__(self, conditions: Conditions) -> None:
        self.conditions = conditions
        self.relevant = conditions.keyword_stems | conditions.statement_stems
        self.cache: dict[tuple[Any, ...], dict[str, Any] | None] = {}

    def explain(
        self,
        deal_id: int,
        stage_id: int,
        amount: Decimal,
        segment: str,
        competitor_ids: frozenset[int],
        product_ids: frozenset[int],
        words: str,
    ) -> dict[str, Any] | None:
        """As `explain`, for a deal given by its facts and its packed words."""
        c = self.conditions
        shared = frozenset(self.relevant.intersection(words.split())) if words else frozenset()
        key = (
            stage_id if c.stage_ids else None,
            competitor_ids & c.competitor_ids,
            product_ids & c.product_ids,
            segment if c.segments else None,
            None if c.min_amount is None else amount >= c.min_amount,
            None if c.max_amount is None else amount <= c.max_amount,
            shared,
        )
        if key not in self.cache:
            facts = DealFacts(
                deal_id, stage_id, amount, segment, competitor_ids, product_ids, shared
            )
            self.cache[key] = explain(c, facts)
        return self.cache[key]


def describe(reasons: dict[str, Any]) -> str:
    """One sentence for the checklist: 'Matches because stage is Proposal; shares the words
    pricing, procurement.'"""
    parts = list(reasons.get("conditions", []))
    shared = [*reasons.get("keywords", []), *reasons.get("words", [])]
    if shared:
        parts.append("shares the words " + ", ".join(shared))
    return ("Matches because " + "; ".join(parts) + ".") if parts else "Applies to every deal."
