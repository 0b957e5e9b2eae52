"""What a refused editor save tells the creator: the root problems first, named by the part of
the tool they sit in; then the test cases that fail, one line per case in the tool's own labels
with values formatted as the tool shows them; then how many other checks fail only because of
the root problems. Verification's report stays as it is; this is its presentation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from keyvex.engine import AnswerError, ToolError, format_calculation, format_plain, label_of, run
from keyvex.tools import Issue, ToolDefinition, ToolTestCase

INDEX = re.compile(r"\[(\d+)\]")
POSITION = re.compile(r"\bat position (\d+)")
#: Failing test cases listed by name; the rest are counted ("and 3 more test cases").
MAX_CASES = 3
#: Expected values named per case; the rest are counted ("and 2 more").
MAX_VALUES = 3
#: A formula that cannot run makes every formula that reads it fail with this sentence.
DEPENDS = "which could not be calculated"
SECTIONS = {
    "inputs": ("Question", "label"),
    "calculations": ("Calculation", "label"),
    "constants": ("Constant", "label"),
    "outcomes": ("Outcome", "title"),
    "steps": ("Step", "title"),
    "tables": ("Data table", "name"),
    "results": ("Result block", ""),
    "followup_questions": ("Follow-up question", "label"),
}
PLACES = {
    "scoring": "Scoring",
    "theme": "Theme",
    "lead_capture": "Lead capture",
    "presentation": "Public page",
}
FIELDS = {
    "formula": "Formula",
    "condition": "Chosen when",
    "visible_if": "Show only when",
    "id": "Name in formulas",
    "default": "Default answer",
    "label": "Label",
    "title": "Title",
    "text": "Text",
    "value": "Value",
    "options": "Options",
}


@dataclass
class SaveReport:
    """A refused save, worded for the creator (see ``problem``)."""

    detail: str
    #: ``{path, message}`` shown under their fields: the root problems and test cases.
    errors: list[dict[str, str]]
    #: Root problems for the save bar: ``{field, where, message}``.
    problems: list[dict[str, str]] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    more_cases: int = 0
    follow_on: list[str] = field(default_factory=list)
    results_changed: bool = False

    def problem(self) -> dict[str, Any]:
        """The extra members of the problem JSON the editor reads."""
        return {
            "problems": self.problems,
            "failing_cases": self.cases,
            "more_cases": self.more_cases,
            "follow_on": self.follow_on,
        }


def editor_path(path: str) -> str:
    """``inputs[2].options[0].value`` -> ``inputs.2.options.0.value`` (the editor's data-path)."""
    return INDEX.sub(r".\1", path).lstrip(".")


def _worded(message: str) -> str:
    """Verification counts formula positions from 0; the formula help says "character 1"."""
    return POSITION.sub(lambda m: f"at character {int(m.group(1)) + 1}", message)


def where(tool: ToolDefinition, path: str) -> str:
    """A person's name for an editor path: ``calculations.0.formula`` -> "Calculation
    'Monthly benefit' › Formula"."""
    parts = [p for p in path.split(".") if p]
    if not parts:
        return "The tool"
    head, rest = parts[0], parts[1:]
    place = PLACES.get(head) or head.replace("_", " ").capitalize()
    if head in SECTIONS and rest and rest[0].isdigit():
        kind, attr = SECTIONS[head]
        items = getattr(tool, head, [])
        index = int(rest[0])
        name = ""
        if index < len(items):
            item = items[index]
            name = str(getattr(item, attr, "") or getattr(item, "id", "")) if attr else ""
        place = f"{kind} '{name}'" if name else f"{kind} {index + 1}"
        rest = rest[1:]
    named = [p for p in rest if not p.isdigit()]
    if not named:
        return place
    return f"{place} › {FIELDS.get(named[-1], named[-1].replace('_', ' ').capitalize())}"


def _shown(tool: ToolDefinition, name: str, value: Any, other: Any) -> str:
    """``value`` as the tool shows ``name``, with enough decimals to differ from ``other``."""
    if value is None:
        return "blank"
    calc = next((c for c in tool.calculations if c.id == name), None)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return f"'{format_plain(value)}'" if isinstance(value, str) else format_plain(value)
    if calc is None:
        text, other_text = format_plain(value), format_plain(other)
        return text if text != other_text else f"{value:,.6g}"
    for decimals in range(calc.decimals, calc.decimals + 5):
        shown = calc.model_copy(update={"decimals": decimals})
        text = format_calculation(shown, value, tool.currency)
        if not isinstance(other, int | float) or text != format_calculation(
            shown, other, tool.currency
        ):
            return text
    return text


def _outcome(tool: ToolDefinition, outcome_id: str | None) -> str:
    if outcome_id is None:
        return "none"
    title = next((o.title for o in tool.outcomes if o.id == outcome_id), outcome_id)
    return f"'{title}'"


def case_line(tool: ToolDefinition, case: ToolTestCase) -> str:
    """What one failing test case shows: "'defaults': Monthly benefit should be $3,900, is
    blank; Net gain should be $68,600, is $70,000; and 2 more"."""
    try:
        result = run(tool, case.answers)
    except AnswerError as exc:
        refused = "; ".join(f"{label_of(tool, k)}: {v}" for k, v in exc.errors.items())
        return f"'{case.name}': the tool refuses its answers ({refused})"
    except ToolError as exc:
        return f"'{case.name}': the tool cannot run it ({exc.message})"
    wrong: list[str] = []
    for name, expected in case.expected.items():
        actual = result.value(name)
        if _same(expected, actual, case.tolerance):
            continue
        wrong.append(
            f"{label_of(tool, name)} should be {_shown(tool, name, expected, actual)}, "
            f"is {_shown(tool, name, actual, expected)}"
        )
    if case.expected_outcome is not None:
        got = result.outcome.id if result.outcome else None
        if got != case.expected_outcome:
            wrong.append(
                f"the outcome should be {_outcome(tool, case.expected_outcome)}, "
                f"is {_outcome(tool, got)}"
            )
    shown = "; ".join(wrong[:MAX_VALUES]) or "its results differ"
    extra = len(wrong) - MAX_VALUES
    return f"'{case.name}': {shown}" + (f"; and {extra} more" if extra > 0 else "")


def _same(expected: Any, actual: Any, tolerance: float) -> bool:
    numbers = (int, float)
    if isinstance(expected, numbers) and not isinstance(expected, bool):
        if not isinstance(actual, numbers) or isinstance(actual, bool):
            return False
        return abs(actual - expected) <= tolerance
    return bool(expected == actual)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _follow_on(tool: ToolDefinition, issues: list[Issue]) -> list[str]:
    """One sentence per kind of follow-on failure."""
    lines = []
    calcs = [where(tool, editor_path(i.path)).split(" › ")[0] for i in issues
             if i.code == "sample_error"]  # fmt: skip
    if calcs:
        lines.append(
            f"{', '.join(calcs)} cannot be calculated until then (they use what fails)."
            if len(calcs) <= MAX_CASES
            else f"{_plural(len(calcs), 'other calculation')} cannot be calculated until then."
        )
    outcomes = [where(tool, editor_path(i.path)).removeprefix("Outcome ") for i in issues
                if i.code == "unreachable_outcome"]  # fmt: skip
    if outcomes:
        what = "the outcome" if len(outcomes) == 1 else "the outcomes"
        lines.append(f"No answers reach {what} {' and '.join(outcomes)} until then.")
    return lines


def _is_follow_on(issue: Issue, has_roots: bool) -> bool:
    if issue.code == "sample_error" and DEPENDS in issue.message:
        return True
    return has_roots and issue.code == "unreachable_outcome"


def save_report(tool: ToolDefinition, errors: list[Issue]) -> SaveReport:
    """The refusal of a draft whose verification found ``errors``."""
    tests = [i for i in errors if i.path.startswith("test_cases")]
    rest = [i for i in errors if not i.path.startswith("test_cases")]
    sure = [i for i in rest if not _is_follow_on(i, has_roots=False)]
    has_roots = any(i.code != "unreachable_outcome" for i in sure)
    roots = [i for i in rest if not _is_follow_on(i, has_roots)]
    follow = [i for i in rest if _is_follow_on(i, has_roots)]
    if not roots and follow:  # nothing they could follow from: they are the problems
        roots, follow = follow, []
    indexes = sorted({int(editor_path(i.path).split(".")[1]) for i in tests})
    lines = [case_line(tool, tool.test_cases[n]) for n in indexes if n < len(tool.test_cases)]
    return SaveReport(
        detail=_headline(tool, roots, len(indexes)),
        errors=[
            {"path": editor_path(i.path), "message": _worded(i.message)} for i in roots + tests
        ],
        problems=[
            {
                "field": editor_path(i.path),
                "where": where(tool, editor_path(i.path)),
                "message": _worded(i.message),
            }
            for i in roots
        ],
        cases=lines[:MAX_CASES],
        more_cases=max(0, len(lines) - MAX_CASES),
        follow_on=_follow_on(tool, follow),
        results_changed=not roots and bool(tests),
    )


def _headline(tool: ToolDefinition, roots: list[Issue], cases: int) -> str:
    if not roots:
        verb = "matches" if cases == 1 else "match"
        return (
            f"Not saved: {_plural(cases, 'test case')} no longer {verb} the tool (other "
            "results, or answers it now refuses or lacks). If the tool is right, update the "
            "test cases."
        )
    if len(roots) == 1:
        text = f"Not saved: 1 problem to fix, in {where(tool, editor_path(roots[0].path))}."
    else:
        text = f"Not saved: {len(roots)} problems to fix."
    if cases:
        cause = "it" if len(roots) == 1 else "them"
        verb = "fails" if cases == 1 else "fail"
        text += f" {_plural(cases, 'test case')} {verb} too, probably because of {cause}."
    return text
