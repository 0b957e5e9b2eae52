"""Scoring answers: knowledge quiz marks, outcome quiz points, assessment category percents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from keyvex.tools.definition import ToolDefinition
from keyvex.tools.inputs import Input, Option

YES_NO_DEFAULT = (Option(value="yes", label="Yes", points=1), Option(value="no", label="No"))


@dataclass
class ScoreState:
    """Scores of one run; percents are 0-100, None when nothing counted."""

    total: float | None = None
    max: float | None = None
    percent: float | None = None
    categories: dict[str, float | None] = field(default_factory=dict)
    correct: dict[str, bool] = field(default_factory=dict)
    outcome_points: dict[str, float] = field(default_factory=dict)


def score(tool: ToolDefinition, answers: Mapping[str, Any]) -> ScoreState:
    """Score visible answers (hidden inputs are already blank in ``answers``)."""
    if tool.scoring is None:
        return ScoreState()
    if tool.scoring.quiz_type == "outcome":
        return _outcome_quiz(tool, answers)
    if tool.scoring.quiz_type == "knowledge":
        return _knowledge_quiz(tool, answers)
    return _assessment(tool, answers)


def options_of(item: Input) -> list[Option]:
    if item.type == "yes_no" and not item.options:
        return list(YES_NO_DEFAULT)
    return item.options


def _chosen(item: Input, answer: Any) -> list[Option]:
    picked = answer if isinstance(answer, list) else [answer]
    return [o for o in options_of(item) if o.value in picked]


def _outcome_quiz(tool: ToolDefinition, answers: Mapping[str, Any]) -> ScoreState:
    points = {o.id: 0.0 for o in tool.outcomes}
    for item in tool.inputs:
        for option in _chosen(item, answers.get(item.id)):
            for outcome_id, value in option.outcome_points.items():
                points[outcome_id] += value * item.weight
    best = max(points.values(), default=0.0)
    awarded = sum(v for v in points.values() if v > 0)
    percent = 100 * best / awarded if awarded > 0 else 0.0
    return ScoreState(total=best, max=awarded, percent=percent, outcome_points=points)


def _knowledge_quiz(tool: ToolDefinition, answers: Mapping[str, Any]) -> ScoreState:
    state = ScoreState(total=0.0, max=0.0)
    per_category: dict[str, list[float]] = {c: [0.0, 0.0] for c in tool.categories}
    for item in tool.inputs:
        right = {o.value for o in options_of(item) if o.correct}
        if not right:
            continue
        answer = answers.get(item.id)
        given = set(answer) if isinstance(answer, list) else {answer}
        ok = given == right if item.type == "multiselect" else answer in right
        state.correct[item.id] = ok
        state.total = (state.total or 0.0) + (item.weight if ok else 0.0)
        state.max = (state.max or 0.0) + item.weight
        if item.category is not None:
            per_category[item.category][0] += item.weight if ok else 0.0
            per_category[item.category][1] += item.weight
    state.categories = {k: _percent(e, p) for k, (e, p) in per_category.items()}
    state.percent = _percent(state.total or 0.0, state.max or 0.0)
    return state


def _assessment(tool: ToolDefinition, answers: Mapping[str, Any]) -> ScoreState:
    per_category: dict[str, list[float]] = {c: [0.0, 0.0] for c in tool.categories}
    for item in tool.inputs:
        if item.category is None:
            continue
        points = question_points(item, answers.get(item.id))
        if points is not None:
            per_category[item.category][0] += points[0]
            per_category[item.category][1] += points[1]
    categories = {k: _percent(e, p) for k, (e, p) in per_category.items()}
    weights = {c.id: c.weight for c in tool.scoring.categories} if tool.scoring else {}
    counted = {k: v for k, v in categories.items() if v is not None}
    weight_sum = sum(weights[k] for k in counted)
    percent = sum(v * weights[k] for k, v in counted.items()) / weight_sum if counted else None
    return ScoreState(
        total=sum(e for e, _ in per_category.values()),
        max=sum(p for _, p in per_category.values()),
        percent=percent,
        categories=categories,
    )


def question_points(item: Input, answer: Any) -> tuple[float, float] | None:
    """(earned, possible) for one assessment question; None when N/A or unanswered.

    Reverse scoring mirrors an answer's points within the option range:
    earned = highest + lowest - points (for multiselect: possible - points).
    """
    if answer is None or answer == []:
        return None
    chosen = _chosen(item, answer)
    scored = [o for o in options_of(item) if not o.is_na]
    if not chosen or not scored or any(o.is_na for o in chosen):
        return None
    if item.type == "multiselect":
        possible = sum(max(o.points, 0.0) for o in scored)
        earned = sum(o.points for o in chosen)
        earned = possible - earned if item.reverse_scored else earned
    else:
        high = max(o.points for o in scored)
        low = min(o.points for o in scored)
        possible = high
        earned = high + low - chosen[0].points if item.reverse_scored else chosen[0].points
    return earned * item.weight, possible * item.weight


def _percent(earned: float, possible: float) -> float | None:
    if possible <= 0:
        return None
    return max(0.0, min(100.0, 100 * earned / possible))
