"""Scoring a brief against the template library, with the reasons a person can read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from keyvex.ai.planner._vocabulary import INDUSTRIES, KIND_WORDS, RELATED
from keyvex.tools import ToolDefinition, list_templates

STRONG_KIND_WORDS = frozenset({"calculator", "estimator", "quiz", "assessment", "scorecard"})
#: Terms many briefs use loosely ("an ROI calculator for dentists"): they count half.
GENERIC_TERMS = frozenset(
    {"roi", "roi calculator", "finance", "pricing", "growth", "savings", "b2b", "risk", "health"}
    | {"small business", "coaching", "training", "it", "marketing", "operations"}
)
STOP_WORDS = frozenset(
    "a an and are for how is of on the this that what which with your you our to in it its"
    " do does can will my me we us be by at as or from".split()
)


@dataclass
class Match:
    """One template's score for a brief and why."""

    template_id: str
    title: str
    kind: str
    score: float
    reasons: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9€£$][a-z0-9\-&:']*", text.lower())) + " "


def contains(text: str, phrase: str) -> bool:
    """Whole-word phrase match on a normalised text."""
    return f" {phrase.lower().strip()} " in text


def detect_kind(brief: str) -> str | None:
    """The kind the brief asks for, by its words (explicit names count three times)."""
    text = normalise(brief)
    hits: dict[str, int] = {}
    for kind, words in KIND_WORDS.items():
        hits[kind] = sum(3 if w in STRONG_KIND_WORDS else 1 for w in words if contains(text, w))
    best = max(hits.values())
    if best == 0:
        return None
    return next(kind for kind, count in hits.items() if count == best)


def detect_industry(brief: str) -> str:
    text = normalise(brief)
    return next((name for word, name in INDUSTRIES.items() if contains(text, word)), "")


@cache
def _templates() -> tuple[ToolDefinition, ...]:
    return tuple(list_templates())


def score_templates(brief: str) -> list[Match]:
    """Every template scored against the brief, best first (ties broken by id)."""
    text = normalise(brief)
    kind = detect_kind(brief)
    matches = [_score(template, text, kind) for template in _templates()]
    return sorted(matches, key=lambda m: (-m.score, m.template_id))


def _score(template: ToolDefinition, text: str, kind: str | None) -> Match:
    match = Match(template.id, template.title, template.kind, 0)
    if kind == template.kind:
        _add(match, 5, f"you asked for a {kind}")
    elif kind is not None:
        match.score -= 6
    terms = {t.lower() for t in (*template.tags, *template.keywords)}
    seen: set[str] = set()
    for phrase in sorted(terms):
        if phrase not in STRONG_KIND_WORDS and contains(text, phrase):
            seen.add(phrase)
            _add(match, _weight(phrase, 4), f"the brief mentions '{phrase}'")
    for word, related in sorted(RELATED.items()):
        linked = [t for t in related if t in terms and t not in seen]
        if linked and contains(text, word):
            seen.update(linked)
            points = sum(_weight(t, 2) for t in linked)
            _add(match, points, f"'{word}' relates to {', '.join(repr(t) for t in linked)}")
    title_words = set(normalise(template.title).split()) - STOP_WORDS
    shared = sorted(w for w in title_words if len(w) > 3 and contains(text, w))
    if shared:
        _add(match, len(shared), f"the title shares {', '.join(repr(w) for w in shared)}")
    return match


def _weight(term: str, points: float) -> float:
    return points / 2 if term in GENERIC_TERMS else points


def _add(match: Match, points: float, reason: str) -> None:
    match.score += points
    match.reasons.append(reason)


def explain(matches: list[Match]) -> str:
    """A sentence or two on why the first match was picked."""
    best = matches[0]
    why = "; ".join(best.reasons) if best.reasons else "nothing in the brief pointed elsewhere"
    text = f"I started from the template '{best.title}' ({best.kind}) because {why}."
    others = [m for m in matches[1:3] if m.score > 0]
    if others:
        runners = ", ".join(f"'{m.title}' ({m.score:g} points)" for m in others)
        text += f" Score {best.score:g}; runners-up: {runners}."
    return text
