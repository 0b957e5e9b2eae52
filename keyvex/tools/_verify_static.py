"""Static checks of a definition: formulas, references, cycles, ranges, contrast, labels."""

from __future__ import annotations

import re
from collections.abc import Iterator

from keyvex import formula
from keyvex.engine.graph import order_calculations
from keyvex.tools._contrast import AA_TEXT, contrast_ratio
from keyvex.tools._names import PLACEHOLDER_PATTERN, block_refs, formula_names, input_names, texts
from keyvex.tools._report import Issue
from keyvex.tools.definition import ToolDefinition
from keyvex.tools.results import ChartBlock, CtaBlock, HeadlineBlock, placeholder_host

PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)


def static_issues(tool: ToolDefinition) -> list[Issue]:
    """All problems that can be found without running the tool."""
    issues: list[Issue] = []
    for check in (_formulas, _cycles, _references, _ranges, _contrast, _labels, _misc):
        issues.extend(check(tool))
    return issues


def table_columns(tool: ToolDefinition) -> dict[str, list[dict[str, None]]]:
    """A one-row stand-in per table so analysis can check LOOKUP column names."""
    return {t.name: [dict.fromkeys(t.columns)] for t in tool.tables}


def formulas_of(tool: ToolDefinition) -> Iterator[tuple[str, str, set[str]]]:
    """(path, source, names it may use) for every formula of the tool."""
    visible_names = input_names(tool)
    names = formula_names(tool)
    for index, item in enumerate(tool.inputs):
        if item.visible_if:
            yield f"inputs[{index}].visible_if", item.visible_if, visible_names
    for index, calc in enumerate(tool.calculations):
        yield f"calculations[{index}].formula", calc.formula, names
    for index, outcome in enumerate(tool.outcomes):
        if outcome.condition:
            yield f"outcomes[{index}].condition", outcome.condition, names
    for index, block in enumerate(tool.results):
        for k, table_filter in enumerate(getattr(block, "filters", None) or []):
            yield f"results[{index}].filters[{k}].value", table_filter.value, names
    for index, table in enumerate(tool.tables):
        if table.binding is not None and table.binding.filter:
            yield f"tables[{index}].binding.filter", table.binding.filter, set(table.columns)


def _formulas(tool: ToolDefinition) -> Iterator[Issue]:
    tables = table_columns(tool)
    for path, source, names in formulas_of(tool):
        # Table names are LOOKUP's first argument; analysis checks them against `tables`.
        known = names | set(tables)
        for diag in formula.analyze(source, known_names=known, tables=tables):
            code = "unknown_name" if diag.code == "NAME" else f"formula_{diag.code.lower()}"
            yield Issue(path=path, code=code, message=diag.message, severity=diag.severity)


def _dependencies(tool: ToolDefinition) -> dict[str, frozenset[str]]:
    deps: dict[str, frozenset[str]] = {}
    for calc in tool.calculations:
        try:
            deps[calc.id] = formula.compile(calc.formula).names
        except formula.FormulaError:
            deps[calc.id] = frozenset()  # reported by _formulas
    return deps


def find_cycles(tool: ToolDefinition) -> list[list[str]]:
    """Every independent cycle, found by cutting each one and looking again."""
    deps = _dependencies(tool)
    cycles: list[list[str]] = []
    while True:
        _, cycle = order_calculations(deps)
        if not cycle:
            return cycles
        cycles.append(cycle)
        deps[cycle[0]] = frozenset()


def cyclic_calculations(tool: ToolDefinition) -> set[str]:
    return {name for cycle in find_cycles(tool) for name in cycle}


def _cycles(tool: ToolDefinition) -> Iterator[Issue]:
    for cycle in find_cycles(tool):
        index = next(i for i, c in enumerate(tool.calculations) if c.id == cycle[0])
        chain = " -> ".join(cycle)
        yield Issue(
            path=f"calculations[{index}].formula",
            code="cycle",
            message=f"Calculations depend on each other in a circle: {chain}.",
        )


def _references(tool: ToolDefinition) -> Iterator[Issue]:
    shown = formula_names(tool)
    calcs = {c.id for c in tool.calculations}
    for path, text in texts(tool):
        for name in PLACEHOLDER.findall(text):
            if name not in shown:
                yield Issue(
                    path=path, code="unknown_reference", message=f"{{{{{name}}}}} names nothing."
                )
    for path, name in block_refs(tool):
        allowed = calcs if ".series" in path else shown
        if name not in allowed:
            what = "calculation" if ".series" in path else "value"
            yield Issue(
                path=path, code="unknown_reference", message=f"There is no {what} '{name}'."
            )
    for index, block in enumerate(tool.results):
        if isinstance(block, ChartBlock) and block.source == "categories" and not tool.categories:
            yield Issue(
                path=f"results[{index}].source",
                code="unknown_reference",
                message="This tool has no categories to chart.",
            )


def _ranges(tool: ToolDefinition) -> Iterator[Issue]:
    ranged = [(i, o) for i, o in enumerate(tool.outcomes) if o.ranged]
    if not ranged:
        return
    ranged.sort(key=lambda pair: pair[1].min_score or 0)
    reach = 0.0
    for index, outcome in ranged:
        low, high = outcome.min_score or 0.0, outcome.max_score or 0.0
        path = f"outcomes[{index}].min_score"
        if low > reach:
            yield Issue(
                path=path, code="score_gap", message=f"No outcome covers {reach:g}-{low:g}%."
            )
        elif low < reach:
            yield Issue(
                path=path,
                code="score_overlap",
                message=f"Overlaps another range ({low:g}-{reach:g}%).",
            )
        reach = max(reach, high)
    if reach < 100:
        index = ranged[-1][0]
        yield Issue(
            path=f"outcomes[{index}].max_score",
            code="score_gap",
            message=f"No outcome covers {reach:g}-100%.",
        )


def _contrast(tool: ToolDefinition) -> Iterator[Issue]:
    theme = tool.theme
    pairs = [
        ("theme.text", theme.text, theme.background, "text", "background"),
        ("theme.button_text", theme.button_text, theme.primary, "button text", "primary colour"),
        ("theme.muted_text", theme.muted_text, theme.background, "muted text", "background"),
    ]
    for path, front, back, name, behind in pairs:
        ratio = contrast_ratio(front, back)
        if ratio < AA_TEXT:
            yield Issue(
                path=path,
                code="low_contrast",
                message=f"The {name} ({front}) on the {behind} ({back}) has contrast "
                f"{ratio:.2f}:1; WCAG AA needs {AA_TEXT}:1.",
            )


def _labels(tool: ToolDefinition) -> Iterator[Issue]:
    for index, item in enumerate(tool.inputs):
        if not item.label.strip():
            yield Issue(
                path=f"inputs[{index}].label", code="empty_label", message="Label is empty."
            )
        for k, option in enumerate(item.options):
            if not option.label.strip():
                path = f"inputs[{index}].options[{k}].label"
                yield Issue(path=path, code="empty_label", message="Option label is empty.")
    for index, calc in enumerate(tool.calculations):
        if not calc.label.strip():
            yield Issue(
                path=f"calculations[{index}].label",
                code="empty_label",
                message="Label is empty.",
                severity="warning",
            )


def _misc(tool: ToolDefinition) -> Iterator[Issue]:
    from keyvex.engine import BadAnswer, normalise

    for index, item in enumerate(tool.inputs):
        if item.default is None:
            continue
        try:
            normalise(item, item.default)
        except BadAnswer as exc:
            yield Issue(path=f"inputs[{index}].default", code="invalid_default", message=str(exc))
    if tool.lead_capture.mode == "teaser" and not any(
        isinstance(b, HeadlineBlock) for b in tool.results
    ):
        yield Issue(
            path="lead_capture.mode",
            code="teaser_without_headline",
            message="Teaser mode shows the headline first, but the results have no headline.",
        )
    yield from _warnings(tool)


def _warnings(tool: ToolDefinition) -> Iterator[Issue]:
    def warn(path: str, code: str, message: str) -> Issue:
        return Issue(path=path, code=code, message=message, severity="warning")

    if not tool.test_cases:
        yield warn("test_cases", "no_test_cases", "Add test cases so changes cannot break results.")
    if not tool.results:
        yield warn("results", "no_results", "The tool shows no result blocks.")
    for index, block in enumerate(tool.results):
        host = placeholder_host(block.url) if isinstance(block, CtaBlock) else None
        if isinstance(block, CtaBlock) and host is not None:
            yield warn(
                f"results[{index}].url",
                "placeholder_link",
                f"The '{block.label}' button links to {host}, a placeholder address that "
                "leads nowhere, so the public page leaves the button out: give it your "
                "booking page, email or phone link.",
            )
    used = used_names(tool)
    for index, item in enumerate(tool.inputs):
        if item.id not in used:
            yield warn(f"inputs[{index}]", "unused_input", f"'{item.id}' is asked but never used.")
        if item.type in {"number", "currency"} and (item.min is None or item.max is None):
            yield warn(
                f"inputs[{index}]",
                "unbounded_input",
                "Set min and max so verification samples realistic values.",
            )


def used_names(tool: ToolDefinition) -> set[str]:
    """Every name some formula, text, block or scoring rule reads."""
    used: set[str] = set()
    for _, source, _names in formulas_of(tool):
        try:
            used |= formula.compile(source).names
        except formula.FormulaError:
            continue
    for _, text in texts(tool):
        used |= set(PLACEHOLDER.findall(text))
    used |= {name for _, name in block_refs(tool)}
    for item in tool.inputs:
        if item.category or any(o.correct or o.outcome_points for o in item.options):
            used.add(item.id)
    return used
