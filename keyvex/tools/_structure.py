"""Cross-field rules of a ToolDefinition: unique ids, steps, categories, kinds, test cases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from keyvex.tools._common import KEYWORDS, SCORE_NAMES
from keyvex.tools.inputs import CHOICE_TYPES

if TYPE_CHECKING:
    from keyvex.tools.definition import ToolDefinition

Issues = list[tuple[str, str]]


def structure_issues(tool: ToolDefinition) -> Issues:
    """Every cross-field problem, each as (path, sentence)."""
    issues: Issues = []
    issues += _namespace(tool)
    issues += _steps(tool)
    issues += _kind(tool)
    issues += _inputs_vs_scoring(tool)
    issues += _outcomes(tool)
    issues += _tables(tool)
    issues += _test_cases(tool)
    return issues


def _namespace(tool: ToolDefinition) -> Issues:
    issues: Issues = []
    seen: dict[str, str] = {}
    categories = tool.scoring.categories if tool.scoring else []
    groups: list[tuple[str, Iterable[str]]] = [
        ("inputs", (i.id for i in tool.inputs)),
        ("constants", (c.id for c in tool.constants)),
        ("calculations", (c.id for c in tool.calculations)),
        ("scoring.categories", (c.id for c in categories)),
    ]
    for section, ids in groups:
        for index, name in enumerate(ids):
            path = f"{section}[{index}].id"
            if name.lower() in KEYWORDS or name in SCORE_NAMES:
                issues.append((path, f"'{name}' is a reserved word; choose another id."))
            elif name in seen:
                issues.append((path, f"'{name}' is already the id of {seen[name]}."))
            else:
                seen[name] = f"{section}[{index}]"
    return issues


def _steps(tool: ToolDefinition) -> Issues:
    issues: Issues = []
    known = {i.id for i in tool.inputs}
    placed: set[str] = set()
    step_ids: set[str] = set()
    for s, step in enumerate(tool.steps):
        if step.id in step_ids:
            issues.append((f"steps[{s}].id", f"'{step.id}' is the id of another step."))
        step_ids.add(step.id)
        for k, input_id in enumerate(step.inputs):
            path = f"steps[{s}].inputs[{k}]"
            if input_id not in known:
                issues.append((path, f"There is no input called '{input_id}'."))
            elif input_id in placed:
                issues.append((path, f"'{input_id}' is already in an earlier step."))
            placed.add(input_id)
    if tool.steps:
        for index, item in enumerate(tool.inputs):
            if item.id not in placed:
                issues.append((f"inputs[{index}]", f"'{item.id}' is not in any step."))
    return issues


def _kind(tool: ToolDefinition) -> Issues:
    scoring = tool.scoring
    if tool.kind == "calculator":
        if scoring is not None:
            return [("scoring", "Calculators have no scoring; use quiz or assessment.")]
        return []
    if scoring is None:
        return [("scoring", f"A {tool.kind} needs a scoring section.")]
    if tool.kind == "quiz" and scoring.quiz_type is None:
        return [("scoring.quiz_type", "A quiz must be 'knowledge' or 'outcome'.")]
    if tool.kind == "assessment":
        if scoring.quiz_type is not None:
            return [("scoring.quiz_type", "Only quizzes have a quiz_type.")]
        if not scoring.categories:
            return [("scoring.categories", "An assessment needs at least one category.")]
    return []


def _inputs_vs_scoring(tool: ToolDefinition) -> Issues:
    issues: Issues = []
    categories = set(tool.categories)
    outcomes = {o.id for o in tool.outcomes}
    knowledge = tool.scoring is not None and tool.scoring.quiz_type == "knowledge"
    for index, item in enumerate(tool.inputs):
        path = f"inputs[{index}]"
        if item.category is not None and item.category not in categories:
            issues.append((f"{path}.category", f"There is no category called '{item.category}'."))
        if item.category is not None and item.type not in CHOICE_TYPES | {"yes_no"}:
            issues.append((f"{path}.category", "Only choice and yes/no questions are scored."))
        if knowledge and item.type in CHOICE_TYPES and not any(o.correct for o in item.options):
            issues.append((f"{path}.options", "A quiz question needs at least one correct option."))
        for k, option in enumerate(item.options):
            for outcome_id in option.outcome_points:
                if outcome_id not in outcomes:
                    issues.append(
                        (
                            f"{path}.options[{k}].outcome_points",
                            f"There is no outcome called '{outcome_id}'.",
                        )
                    )
    return issues


def _outcomes(tool: ToolDefinition) -> Issues:
    issues: Issues = []
    ids: set[str] = set()
    for index, outcome in enumerate(tool.outcomes):
        if outcome.id in ids:
            issues.append(
                (f"outcomes[{index}].id", f"'{outcome.id}' is the id of another outcome.")
            )
        ids.add(outcome.id)
    ranged = [o.ranged for o in tool.outcomes]
    if any(ranged) and not all(ranged):
        issues.append(("outcomes", "Either every outcome has a score range or none has."))
    if any(ranged) and tool.kind == "calculator":
        issues.append(("outcomes", "Calculators choose outcomes by condition, not by score."))
    if tool.scoring is not None and tool.scoring.quiz_type == "outcome":
        if len(tool.outcomes) < 2:
            issues.append(("outcomes", "An outcome quiz needs at least two outcomes."))
        for index, outcome in enumerate(tool.outcomes):
            if outcome.condition is not None or outcome.ranged:
                issues.append((f"outcomes[{index}]", "Outcome quiz outcomes are won by points."))
    return issues


def _tables(tool: ToolDefinition) -> Issues:
    issues: Issues = []
    names: set[str] = set()
    for t, table in enumerate(tool.tables):
        if table.name in names:
            issues.append((f"tables[{t}].name", f"'{table.name}' is the name of another table."))
        names.add(table.name)
        if table.key_column is not None and table.key_column not in table.columns:
            issues.append((f"tables[{t}].key_column", "must be one of the table's columns."))
        for r, row in enumerate(table.rows):
            extra = sorted(set(row) - set(table.columns))
            if extra:
                issues.append((f"tables[{t}].rows[{r}]", f"Unknown columns: {', '.join(extra)}."))
        binding = table.binding
        for column in sorted(set(binding.column_map) - set(table.columns)) if binding else []:
            issues.append(
                (f"tables[{t}].binding.column_map", f"'{column}' is not a column of the table.")
            )
    return issues + _table_blocks(tool)


def _table_blocks(tool: ToolDefinition) -> Issues:
    """Every "recommendations from table" block names a table and columns that exist."""
    from keyvex.tools.results import TableRecommendationsBlock

    issues: Issues = []
    tables = {t.name: set(t.columns) for t in tool.tables}
    for b, block in enumerate(tool.results):
        if not isinstance(block, TableRecommendationsBlock):
            continue
        path = f"results[{b}]"
        if block.table not in tables:
            issues.append((f"{path}.table", f"There is no table named '{block.table}'."))
            continue
        columns = tables[block.table]
        named = [("title_column", block.title_column), ("sort_by", block.sort_by)]
        named += [(f"filters[{k}].column", f.column) for k, f in enumerate(block.filters)]
        named += [(f"show[{k}].column", v.column) for k, v in enumerate(block.show)]
        for where, column in named:
            if column is not None and column not in columns:
                issues.append(
                    (f"{path}.{where}", f"'{column}' is not a column of table '{block.table}'.")
                )
    return issues


def _test_cases(tool: ToolDefinition) -> Issues:
    issues: Issues = []
    inputs = {i.id for i in tool.inputs}
    outcomes = {o.id for o in tool.outcomes}
    names = {c.id for c in tool.calculations} | set(tool.categories) | inputs
    names |= {c.id for c in tool.constants}
    if tool.scoring is not None:
        names |= SCORE_NAMES
    for index, case in enumerate(tool.test_cases):
        path = f"test_cases[{index}]"
        for key in case.answers:
            if key not in inputs:
                issues.append((f"{path}.answers.{key}", f"There is no input called '{key}'."))
        for key in case.expected:
            if key not in names:
                issues.append((f"{path}.expected.{key}", f"'{key}' is not a value of this tool."))
        if case.expected_outcome is not None and case.expected_outcome not in outcomes:
            issues.append(
                (
                    f"{path}.expected_outcome",
                    f"There is no outcome called '{case.expected_outcome}'.",
                )
            )
    return issues
