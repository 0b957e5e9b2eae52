"""Checks that run the tool: its test cases, sampled answers and outcome reachability."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from keyvex.tools._names import PLACEHOLDER_PATTERN, block_refs, texts
from keyvex.tools._report import Issue, VerificationStats
from keyvex.tools._samples import Mode, answers_for, value_for
from keyvex.tools.definition import ToolDefinition, ToolTestCase

if TYPE_CHECKING:
    from keyvex.engine import Result

PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)
MIN_SAMPLES = 200
MAX_ATTEMPTS = 2 * MIN_SAMPLES
SEARCH_BUDGET = 400


def dynamic_issues(tool: ToolDefinition, stats: VerificationStats, seed: int) -> list[Issue]:
    issues = _test_cases(tool, stats)
    reached, sample_issues = _sample(tool, stats, seed)
    issues += sample_issues
    issues += _reachability(tool, reached, random.Random(seed + 1))
    stats.outcomes_reached = {o.id: reached.get(o.id, 0) for o in tool.outcomes}
    return issues


def _test_cases(tool: ToolDefinition, stats: VerificationStats) -> list[Issue]:
    from keyvex.engine import AnswerError, run

    issues: list[Issue] = []
    stats.test_cases = len(tool.test_cases)
    for index, case in enumerate(tool.test_cases):
        path = f"test_cases[{index}]"
        try:
            result = run(tool, case.answers)
        except AnswerError as exc:
            detail = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
            issues.append(_fail(f"{path}.answers", f"'{case.name}': answers rejected ({detail})"))
            continue
        found = _compare(case, result, path)
        issues += found
        stats.test_cases_passed += not found
    return issues


def _compare(case: ToolTestCase, result: Result, path: str) -> list[Issue]:
    issues = []
    for name, expected in case.expected.items():
        actual = result.value(name)
        if not _matches(expected, actual, case.tolerance):
            error = f" ({result.errors[name]})" if name in result.errors else ""
            message = f"'{case.name}': expected {name} = {expected!r}, got {actual!r}{error}"
            issues.append(_fail(f"{path}.expected.{name}", message))
    if case.expected_outcome is not None:
        got = result.outcome.id if result.outcome else None
        if got != case.expected_outcome:
            message = f"'{case.name}': expected outcome {case.expected_outcome!r}, got {got!r}"
            issues.append(_fail(f"{path}.expected_outcome", message))
    return issues


def _matches(expected: Any, actual: Any, tolerance: float) -> bool:
    numbers = (int, float)
    if isinstance(expected, numbers) and not isinstance(expected, bool):
        if not isinstance(actual, numbers) or isinstance(actual, bool):
            return False
        return math.isfinite(actual) and abs(actual - expected) <= tolerance
    return bool(expected == actual)


def _fail(path: str, message: str) -> Issue:
    return Issue(path=path, code="test_failed", message=f"{message}.")


def _sample(
    tool: ToolDefinition, stats: VerificationStats, seed: int
) -> tuple[Counter[str], list[Issue]]:
    from keyvex.engine import AnswerError, run

    rng = random.Random(seed)
    modes: list[Mode] = ["low", "high", "default"]
    shown = shown_names(tool)
    reached: Counter[str] = Counter()
    failures: dict[str, Issue] = {}
    for index in range(MAX_ATTEMPTS):
        if stats.samples >= MIN_SAMPLES:
            break
        answers = answers_for(tool, rng, modes[index] if index < len(modes) else "random")
        try:
            result = run(tool, answers)
        except AnswerError:
            continue  # only with an invalid default, which is reported on its own
        stats.samples += 1
        if result.outcome is not None:
            reached[result.outcome.id] += 1
        for name, error in result.errors.items():
            if name not in failures:
                failures[name] = _sample_issue(tool, name, error, answers, shown)
    return reached, list(failures.values())


def _sample_issue(
    tool: ToolDefinition, name: str, error: str, answers: dict[str, Any], shown: set[str]
) -> Issue:
    """An error for a failing shown value or outcome condition; a warning for hidden ones."""
    example = ", ".join(f"{k}={v!r}" for k, v in answers.items())
    message = f"Fails ({error.rstrip('.')}) for answers {example}."
    if name.startswith("outcomes."):
        index = [o.id for o in tool.outcomes].index(name.removeprefix("outcomes."))
        return Issue(path=f"outcomes[{index}].condition", code="sample_error", message=message)
    index = [c.id for c in tool.calculations].index(name)
    return Issue(
        path=f"calculations[{index}].formula",
        code="sample_error",
        message=message,
        severity="error" if name in shown else "warning",
    )


def shown_names(tool: ToolDefinition) -> set[str]:
    """Names visitors see: metric values, chart series and {{placeholders}}."""
    shown = {name for _, name in block_refs(tool)}
    for _, text in texts(tool):
        shown |= set(PLACEHOLDER.findall(text))
    return shown


def _reachability(tool: ToolDefinition, reached: Counter[str], rng: random.Random) -> list[Issue]:
    issues = []
    for index, outcome in enumerate(tool.outcomes):
        if reached[outcome.id] or _search(tool, outcome.id, rng):
            continue
        issues.append(
            Issue(
                path=f"outcomes[{index}]",
                code="unreachable_outcome",
                message=f"No answers lead to '{outcome.title}' (sampled and searched).",
            )
        )
    return issues


def _search(tool: ToolDefinition, target: str, rng: random.Random) -> bool:
    """Hill-climb one answer at a time towards ``target``; True when it is reached."""
    from keyvex.engine import AnswerError, run

    current = answers_for(tool, rng, "random")
    best = math.inf
    for _ in range(SEARCH_BUDGET):
        candidate = dict(current)
        item = rng.choice(tool.inputs)
        candidate[item.id] = value_for(item, rng, "random")
        try:
            distance = _distance(tool, run(tool, candidate), target)
        except AnswerError:
            continue
        if distance == 0:
            return True
        if distance <= best:
            current, best = candidate, distance
    return False


def _distance(tool: ToolDefinition, result: Result, target: str) -> float:
    if result.outcome is not None and result.outcome.id == target:
        return 0.0
    if result.outcome_points:
        others = max(v for k, v in result.outcome_points.items() if k != target)
        return 1.0 + max(0.0, others - result.outcome_points[target])
    outcome = next(o for o in tool.outcomes if o.id == target)
    percent = result.scores.percent if result.scores else None
    if outcome.ranged and percent is not None:
        low, high = outcome.min_score or 0.0, outcome.max_score or 0.0
        return 1.0 + max(low - percent, percent - high, 0.0)
    return 1.0
