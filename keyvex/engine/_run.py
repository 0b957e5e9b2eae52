"""run(): check answers, score them, calculate, choose the outcome and render the result."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from keyvex import clock, formula
from keyvex.engine import _format
from keyvex.engine._answers import AnswerError, check_answers, namespace_of, truthy
from keyvex.engine._compiled import CompiledTool, compile_tool
from keyvex.engine._render import render_blocks
from keyvex.engine._result import OutcomeResult, Result, Scores, Value
from keyvex.engine._scoring import ScoreState, score
from keyvex.engine._tables import ordered_rows, render_table_block
from keyvex.tools.definition import ToolDefinition
from keyvex.tools.results import Outcome, TableRecommendationsBlock


def run(tool: ToolDefinition, answers: Mapping[str, Any], now: datetime | None = None) -> Result:
    """Run ``tool`` on ``answers``; raises AnswerError (per-field sentences) or ToolError.

    ``now`` is the time TODAY() and NOW() read; by default the clock's (keyvex.clock).
    """
    if not isinstance(answers, Mapping):
        raise AnswerError({"answers": "Send the answers as an object of question id -> answer."})
    compiled = _at(compile_tool(tool), now)
    normal, visible = check_answers(compiled, answers)
    state = score(tool, normal)
    names = namespace_of(compiled, normal) | score_names(tool, state)
    values, errors = _calculate(compiled, names)
    outcome = _choose_outcome(compiled, names, state, errors)
    display = _display(compiled, normal, values, names)
    recommendations = _recommendations(tool, state, outcome, display)
    result = Result(
        answers={k: normal[k] for k in visible},
        visible_inputs=visible,
        values=values,
        display=display,
        errors=errors,
        category_scores=state.categories,
        correct=state.correct,
        outcome_points=state.outcome_points,
        recommendations=recommendations,
    )
    if state.total is not None and state.max is not None:
        result.scores = Scores(total=state.total, max=state.max, percent=state.percent)
    if outcome is not None:
        text = _format.fill(outcome.description, display)
        result.outcome = OutcomeResult(id=outcome.id, title=outcome.title, description=text)
    result.blocks = render_blocks(tool, result)
    for index, source_list in compiled.table_filters.items():
        block = tool.results[index]
        assert isinstance(block, TableRecommendationsBlock)
        ordered = compiled.table_order.get(index)
        if ordered is None:
            ordered = ordered_rows(block, compiled.tables.get(block.table, []))
            compiled.table_order[index] = ordered
        result.blocks[index] = render_table_block(
            block,
            ordered,
            source_list,
            names,
            compiled.tables,
            tool.currency,
        )
    return result


def _at(compiled: CompiledTool, now: datetime | None) -> CompiledTool:
    """The compiled tool whose tables carry the evaluation time (formula.NOW_TABLE); the
    tool itself when no formula reads the time (most tools: a copy per run saved)."""
    if not compiled.reads_clock:
        return compiled
    moment = now if now is not None else datetime.fromtimestamp(clock.now(), UTC)
    timed = copy.copy(compiled)
    tables: dict[str, Any] = {**compiled.tables, formula.NOW_TABLE: formula.date_serial(moment)}
    timed.tables = tables
    return timed


def score_names(tool: ToolDefinition, state: ScoreState) -> dict[str, Any]:
    """Names scoring adds to the formula namespace (only for quizzes and assessments)."""
    if tool.scoring is None:
        return {}
    names: dict[str, Any] = dict(state.categories)
    names |= {"score": state.total, "max_score": state.max, "score_percent": state.percent}
    return names


def _calculate(
    compiled: CompiledTool, names: dict[str, Any]
) -> tuple[dict[str, Value], dict[str, str]]:
    values: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for calc, source in compiled.calculations:
        failed = sorted(source.names & errors.keys())
        value: Any = None
        if failed:
            errors[calc.id] = f"Depends on '{failed[0]}', which could not be calculated."
        else:
            try:
                value = source.evaluate(names, compiled.tables)
            except formula.FormulaError as exc:
                errors[calc.id] = f"{exc.code}: {exc.message}"
            if isinstance(value, float) and not math.isfinite(value):
                errors[calc.id] = "NUM: the result is not a finite number."
                value = None
        values[calc.id] = value
        names[calc.id] = value
    return values, errors


def _choose_outcome(
    compiled: CompiledTool, names: Mapping[str, Any], state: ScoreState, errors: dict[str, str]
) -> Outcome | None:
    """Outcome quiz: most points (ties: first declared); tiers: by score; else first match.

    A condition that fails is skipped and noted in ``errors`` as 'outcomes.<id>'.
    """
    outcomes = [o for o, _ in compiled.conditions]
    if state.outcome_points:
        best = max(state.outcome_points.values())
        return next(o for o in outcomes if state.outcome_points[o.id] == best)
    if outcomes and outcomes[0].ranged:
        return tier_for(outcomes, state.percent)
    for outcome, condition in compiled.conditions:
        if condition is None:
            return outcome
        try:
            if truthy(condition.evaluate(names, compiled.tables)):
                return outcome
        except formula.FormulaError as exc:
            errors[f"outcomes.{outcome.id}"] = f"{exc.code}: {exc.message}"
    return None


def tier_for(outcomes: list[Outcome], percent: float | None) -> Outcome | None:
    """The ranged outcome containing ``percent``; on a shared boundary the higher tier wins."""
    if percent is None:
        return None
    hits = [o for o in outcomes if (o.min_score or 0) <= percent <= (o.max_score or 0)]
    return max(hits, key=lambda o: o.min_score or 0, default=None)


def _display(
    compiled: CompiledTool,
    normal: Mapping[str, Any],
    values: Mapping[str, Value],
    names: Mapping[str, Any],
) -> dict[str, str]:
    tool = compiled.tool
    display = {k: _format.plain(v) for k, v in compiled.constants.items()}
    for item in tool.inputs:
        display[item.id] = _format.answer(item, normal.get(item.id), tool.currency)
    if tool.scoring is not None:
        for name in [*tool.categories, "score_percent"]:
            value = names.get(name)
            display[name] = _format.percent(value) if value is not None else ""
        display["score"] = _format.plain(names.get("score"))
        display["max_score"] = _format.plain(names.get("max_score"))
    for calc in tool.calculations:
        display[calc.id] = _format.calculation(calc, values.get(calc.id), tool.currency)
    return display


def _recommendations(
    tool: ToolDefinition, state: ScoreState, outcome: Outcome | None, display: Mapping[str, str]
) -> list[str]:
    advice: list[str] = []
    if tool.scoring is not None:
        for category in tool.scoring.categories:
            threshold = category.threshold
            if threshold is None:
                threshold = tool.scoring.recommendation_threshold
            percent = state.categories.get(category.id)
            if category.recommendation and percent is not None and percent < threshold:
                advice.append(_format.fill(category.recommendation, display))
    if outcome is not None:
        advice += [_format.fill(text, display) for text in outcome.recommendations]
    return advice
