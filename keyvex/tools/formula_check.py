"""Formula help for the tool editor: every formula's problems at their positions and its live
value on sample answers, computed from a draft definition that may not be valid yet.

The editor posts the whole draft as the creator types. Problems come from the formula
package's static analysis (``analyze``: syntax, unknown names and functions, argument counts,
with the character offset they point at), so a typo is shown where it is, whatever else is
unfinished in the draft. Values come from the real engine: the draft is run on sample answers
(each input's default, else a value from its range, as verification samples them). When the
draft cannot run as a whole (a formula with an error, a result block naming a missing value),
the calculations that are sound are run on their own, so the creator still sees the values
of everything that does not depend on the broken part.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from keyvex import formula
from keyvex.tools._parse import ToolValidationError, parse_tool
from keyvex.tools._samples import answers_for
from keyvex.tools.definition import ToolDefinition

SCORE_NAMES = ("score", "max_score", "score_percent")
MAX_FORMULAS = 500


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    position: int | None
    severity: str


@dataclass(slots=True)
class FormulaStatus:
    """One formula field of the draft: where it is, what is wrong, what it gives."""

    path: str
    source: str
    problems: list[Problem] = field(default_factory=list)
    value: str | None = None
    error: str | None = None


@dataclass(slots=True)
class FormulaCheck:
    formulas: list[FormulaStatus]
    names: list[dict[str, str]]
    sample: dict[str, Any]
    runs: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "formulas": [asdict(status) for status in self.formulas],
            "names": self.names,
            "functions": function_help(),
            "sample": self.sample,
            "runs": self.runs,
        }


def function_help() -> list[dict[str, str]]:
    """Every formula function with its one-line summary, for the editor's autocomplete
    (``PMT(rate, nper, pv, fv=0, type=0): payment per period``)."""
    return [
        {"name": name, "summary": arity.summary}
        for name, arity in sorted(formula.FUNCTIONS.items())
    ]


def check_formulas(draft: Mapping[str, Any]) -> FormulaCheck:
    """Problems and live values of every formula in ``draft`` (a ToolDefinition as JSON)."""
    names = _names(draft)
    tables = _tables(draft)
    statuses = []
    for path, source in list(_formulas(draft))[:MAX_FORMULAS]:
        found = formula.analyze(source, [entry["name"] for entry in names], tables)
        problems = [Problem(d.code, d.message, d.position, d.severity) for d in found]
        statuses.append(FormulaStatus(path, source, problems))
    broken = {
        _calc_id(draft, status.path)
        for status in statuses
        if any(p.severity == "error" for p in status.problems)
    }
    runs, sample, values, errors = _run(draft, broken - {None})
    calc_ids = {c["id"] for c in _list(draft, "calculations") if isinstance(c.get("id"), str)}
    for status in statuses:
        calc_id = _calc_id(draft, status.path)
        if calc_id is not None and not any(p.severity == "error" for p in status.problems):
            status.value = values.get(calc_id)
            status.error = errors.get(calc_id) or (
                None if calc_id in values else _waiting(status.source, values, calc_ids)
            )
    return FormulaCheck(statuses, names, sample, runs)


def _waiting(source: str, values: Mapping[str, str], calc_ids: set[str]) -> str | None:
    """Why a sound calculation has no value: it uses a calculation that has none."""
    try:
        used = formula.compile(source).names
    except formula.FormulaError:
        return None
    missing = sorted(name for name in used if name in calc_ids and name not in values)
    return f"Waits for '{missing[0]}', which has an error." if missing else None


def _list(draft: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = draft.get(key)
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _names(draft: Mapping[str, Any]) -> list[dict[str, str]]:
    """The names a formula may use, with what they are (for autocomplete)."""
    found: dict[str, dict[str, str]] = {}

    def add(name: Any, kind: str, label: Any) -> None:
        if isinstance(name, str) and name and name not in found:
            found[name] = {"name": name, "kind": kind, "label": _text(label)}

    for item in _list(draft, "inputs"):
        add(item.get("id"), "input", item.get("label"))
    for item in _list(draft, "constants"):
        add(item.get("id"), "constant", item.get("label") or str(item.get("value", "")))
    for item in _list(draft, "calculations"):
        add(item.get("id"), "calculation", item.get("label"))
    scoring = draft.get("scoring")
    if isinstance(scoring, Mapping):
        for name in SCORE_NAMES:
            add(name, "score", name.replace("_", " "))
        for item in _list(scoring, "categories"):
            add(item.get("id"), "category score", item.get("label"))
    for item in _list(draft, "tables"):
        add(item.get("name"), "table", "table for LOOKUP")
    return list(found.values())


def _tables(draft: Mapping[str, Any]) -> dict[str, list[str]]:
    tables = {}
    for item in _list(draft, "tables"):
        columns = item.get("columns")
        if isinstance(item.get("name"), str) and isinstance(columns, list):
            tables[item["name"]] = [c for c in columns if isinstance(c, str)]
    return tables


def _formulas(draft: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, source) of every formula field, with the paths the editor names fields by."""
    for n, item in enumerate(_list(draft, "calculations")):
        yield f"calculations.{n}.formula", _text(item.get("formula"))
    for n, item in enumerate(_list(draft, "inputs")):
        if item.get("visible_if"):
            yield f"inputs.{n}.visible_if", _text(item.get("visible_if"))
    for n, item in enumerate(_list(draft, "outcomes")):
        if item.get("condition"):
            yield f"outcomes.{n}.condition", _text(item.get("condition"))
    for n, block in enumerate(_list(draft, "results")):
        for m, rule in enumerate(_list(block, "filters")):
            yield f"results.{n}.filters.{m}.value", _text(rule.get("value"))
    for n, table in enumerate(_list(draft, "tables")):
        binding = table.get("binding")
        if isinstance(binding, Mapping) and binding.get("filter"):
            yield f"tables.{n}.binding.filter", _text(binding.get("filter"))


def _calc_id(draft: Mapping[str, Any], path: str) -> str | None:
    parts = path.split(".")
    if parts[0] != "calculations" or parts[-1] != "formula":
        return None
    calcs = _list(draft, "calculations")
    index = int(parts[1])
    name = calcs[index].get("id") if index < len(calcs) else None
    return name if isinstance(name, str) else None


def _run(
    draft: Mapping[str, Any], broken: set[str | None]
) -> tuple[bool, dict[str, Any], dict[str, str], dict[str, str]]:
    """Run the whole draft; else only its sound calculations. (runs, sample, values, errors)"""
    tool = _parsed(dict(draft))
    whole = tool is not None and not broken
    if not whole:
        tool = _parsed(_calculations_only(draft, broken))
    if tool is None:
        return False, {}, {}, {}
    from keyvex.engine import AnswerError, ToolError, run

    sample = answers_for(tool, random.Random(0), "default")
    try:
        result = run(tool, sample)
    except (AnswerError, ToolError):
        return False, sample, {}, {}
    values = {calc.id: result.display.get(calc.id, "") for calc in tool.calculations}
    return whole, sample, values, dict(result.errors)


def _parsed(data: dict[str, Any]) -> ToolDefinition | None:
    try:
        return parse_tool(data)
    except ToolValidationError:
        return None


def _calculations_only(draft: Mapping[str, Any], broken: set[str | None]) -> dict[str, Any]:
    """The draft reduced to what calculations need, without the broken ones and whatever
    reads them (results, outcomes and follow-ups left out)."""
    calcs = [dict(c) for c in _list(draft, "calculations")]
    dropped: set[str] = {name for name in broken if name}
    changed = True
    while changed:
        changed = False
        for calc in calcs:
            source, name = _text(calc.get("formula")), _text(calc.get("id"))
            if name in dropped:
                continue
            try:
                used = formula.compile(source).names
            except formula.FormulaError:
                used = frozenset({"?"})
            if used & dropped or "?" in used:
                dropped.add(name)
                changed = True
    inputs = [{**i, "visible_if": None} for i in _list(draft, "inputs")]
    keep = ("kind", "currency", "constants", "scoring", "tables")
    reduced = {key: draft[key] for key in keep if key in draft}
    # Only values matter here: a name and title the creator has not finished do not.
    reduced |= {"id": "draft", "title": "Draft", "inputs": inputs}
    reduced["calculations"] = [c for c in calcs if c.get("id") not in dropped]
    return reduced
