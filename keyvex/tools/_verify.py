"""verify(): everything that must hold before a tool is shown, as one report.

Checks: schema; formulas (parse, unknown names, static analysis); calculation cycles;
{{placeholder}}, metric and chart references; score ranges without gaps or overlaps;
WCAG AA contrast (4.5:1) of text on background and button text on the primary colour;
empty labels; invalid defaults; the tool's own test cases; at least 200 deterministic
sampled answer sets (all-low, all-high, defaults, then seeded randoms that favour the
bounds) with no error, NaN or infinity in any shown value; every outcome reachable
(seen in samples, or found by a seeded hill-climbing search). Warnings: unused inputs,
unbounded numeric inputs, no test cases, no result blocks, failing hidden calculations.
Quality score: 100 - 20 per error - 5 per warning, within 0-100, capped at 40 when
there is any error; 0 when the definition does not even match the schema.
"""

from __future__ import annotations

import time
from typing import Any

from keyvex.tools._parse import ToolValidationError, parse_tool
from keyvex.tools._report import Issue, VerificationReport, VerificationStats, quality_score
from keyvex.tools._verify_dynamic import dynamic_issues
from keyvex.tools._verify_static import cyclic_calculations, static_issues
from keyvex.tools.definition import ToolDefinition

DEFAULT_SEED = 20240601


def verify(
    tool: ToolDefinition | dict[str, Any] | str, *, seed: int = DEFAULT_SEED
) -> VerificationReport:
    """Verify a definition (a model, a dict or JSON text); never raises for a bad tool."""
    started = time.perf_counter()
    stats = VerificationStats()
    if not isinstance(tool, ToolDefinition):
        try:
            tool = parse_tool(tool)
        except ToolValidationError as exc:
            issues = [
                Issue(path=e["path"], code="schema", message=e["message"]) for e in exc.errors
            ]
            return _report(None, issues, stats, started).model_copy(update={"quality": 0})
    issues = static_issues(tool)
    runnable, broken = _runnable(tool, issues)
    issues += _without_repeats(issues, _run_checks(runnable, stats, seed, broken))
    return _report(tool.id, issues, stats, started)


def _runnable(tool: ToolDefinition, issues: list[Issue]) -> tuple[ToolDefinition, set[str]]:
    """A copy whose unparsable or circular calculations are neutralised (value 0).

    Running it still finds unreachable outcomes and failing samples elsewhere;
    its test cases are skipped because neutralised values would fail them falsely.
    """
    bad = {i.path for i in issues if i.code in {"formula_parse", "formula_limit"}}
    if not bad and not any(i.code == "cycle" for i in issues):
        return tool, set()
    copy = tool.model_copy(deep=True)
    broken: set[str] = set()
    for index, calc in enumerate(copy.calculations):
        if f"calculations[{index}].formula" in bad:
            calc.formula, broken = "0", broken | {calc.id}
    for index, item in enumerate(copy.inputs):
        if f"inputs[{index}].visible_if" in bad:
            item.visible_if = None
    for index, outcome in enumerate(copy.outcomes):
        if f"outcomes[{index}].condition" in bad:
            outcome.condition = "false"
    for calc_id in cyclic_calculations(copy):
        copy.calculations[[c.id for c in copy.calculations].index(calc_id)].formula = "0"
        broken.add(calc_id)
    copy.test_cases = []
    return copy, broken


def _run_checks(
    tool: ToolDefinition, stats: VerificationStats, seed: int, broken: set[str]
) -> list[Issue]:
    from keyvex.engine import ToolError

    try:
        found = dynamic_issues(tool, stats, seed)
    except ToolError as exc:
        return [Issue(path="", code="cannot_run", message=exc.message)]
    names = [c.id for c in tool.calculations]
    skip = {f"calculations[{names.index(name)}].formula" for name in broken}
    return [i for i in found if i.path not in skip]


def _without_repeats(static: list[Issue], found: list[Issue]) -> list[Issue]:
    """Drop sample failures of formulas already reported as wrong by static checks."""
    flagged = {i.path for i in static if i.severity == "error"}
    return [i for i in found if not (i.code == "sample_error" and i.path in flagged)]


def _report(
    tool_id: str | None, issues: list[Issue], stats: VerificationStats, started: float
) -> VerificationReport:
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    stats.duration_ms = round((time.perf_counter() - started) * 1000, 1)
    return VerificationReport(
        tool_id=tool_id,
        ok=not errors,
        quality=quality_score(len(errors), len(warnings)),
        errors=errors,
        warnings=warnings,
        stats=stats,
    )
