"""Mapping columns to a tool: its inputs and its lookup tables, by name and type fit."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from keyvex.data.analysis import _roles as roles
from keyvex.data.analysis.models import ColumnProfile, FieldMapping, TargetKind
from keyvex.tools import DataTable, Input, ToolDefinition

NAME_WEIGHT, TYPE_WEIGHT = 0.65, 0.35
MIN_NAME, MIN_SCORE = 0.5, 0.55
_NUMERIC_INPUTS = frozenset({"number", "currency", "percent", "slider"})
_CHOICE_INPUTS = frozenset({"select", "radio", "multiselect"})


@dataclass(frozen=True)
class Target:
    """Something a column can feed: an input, or a column of a tool's table."""

    target: str
    kind: TargetKind
    names: tuple[str, ...]
    input: Input | None = None
    table: DataTable | None = None
    column: str = ""


def targets(tool: ToolDefinition) -> list[Target]:
    """Every input and every table column of ``tool``."""
    found = [Target(i.id, "input", (i.id, i.label), input=i) for i in tool.inputs]
    for table in tool.tables:
        key = table.key_column or table.columns[0]
        for column in table.columns:
            kind: TargetKind = "lookup_key" if column == key else "lookup_value"
            names = (column, f"{table.name} {column}")
            found.append(Target(f"{table.name}.{column}", kind, names, table=table, column=column))
    return found


def similarity(a: str, b: str) -> float:
    """Name likeness of two headers, 0-1: the better of character and word overlap."""
    ta, tb = roles.tokens(a), roles.tokens(b)
    if not ta or not tb:
        return 0.0
    chars = SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    words = len(set(ta) & set(tb)) / len(set(ta) | set(tb))
    return max(chars, words)


def map_to_tool(
    columns: list[ColumnProfile], tool: ToolDefinition, rows: int
) -> list[FieldMapping]:
    """The best column for each input and table column (each column feeds at most one input
    and one table column), best matches first."""
    scored = []
    for column in columns:
        for target in targets(tool):
            name = max(similarity(column.name, n) for n in target.names)
            fit, why = type_fit(column, target, rows)
            score = NAME_WEIGHT * name + TYPE_WEIGHT * fit
            if name >= MIN_NAME and fit > 0 and score >= MIN_SCORE:
                scored.append((score, name, column, target, why))
    scored.sort(key=lambda s: -s[0])
    used_targets: set[str] = set()
    used_columns: set[tuple[str, bool]] = set()
    mappings = []
    for score, name, column, target, why in scored:
        slot = (column.name, target.input is not None)
        if target.target in used_targets or slot in used_columns:
            continue
        used_targets.add(target.target)
        used_columns.add(slot)
        reason = f"Name matches {_label(target)} ({name:.0%}); {why}"
        mappings.append(
            FieldMapping(
                column=column.name,
                target=target.target,
                target_kind=target.kind,
                confidence=round(min(score, 1.0), 2),
                reason=reason,
            )
        )
    return mappings


def _label(target: Target) -> str:
    if target.input is not None:
        return f"input '{target.input.label}'"
    return f"table column {target.target}"


def type_fit(column: ColumnProfile, target: Target, rows: int) -> tuple[float, str]:
    """How well the column's values suit the target (0 = not at all), and why."""
    if target.input is not None:
        return _input_fit(column, target.input, rows)
    if target.kind == "lookup_key":
        if roles.is_key(column, rows) or roles.is_category(column, rows):
            return 1.0, "its values are distinct, as a lookup key's must be."
        return 0.3, "but its values repeat, which a lookup key's should not."
    values = [r.get(target.column) for r in target.table.rows] if target.table else []
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not values:
        return 0.7, f"a {column.type} column can fill it."
    if numbers and len(numbers) == len([v for v in values if v is not None]):
        fits = column.numeric
        return (1.0, "both hold numbers.") if fits else (0.2, "but the table expects numbers.")
    return (0.9, "both hold text.") if column.type == "string" else (0.5, "a column of values.")


def _input_fit(column: ColumnProfile, item: Input, rows: int) -> tuple[float, str]:
    kind = item.type
    if kind in _NUMERIC_INPUTS:
        if not column.numeric:
            return 0.0, ""
        exact = column.type == kind or (kind in {"number", "slider"} and column.type == "number")
        return (1.0 if exact else 0.8), f"a {column.type} column suits a {kind} input."
    if kind in _CHOICE_INPUTS:
        overlap = _option_overlap(column, item)
        if roles.is_category(column, rows) or overlap:
            return 0.8 + 0.2 * overlap, f"its {column.distinct_count} values suit the options."
        return (0.3, "its values could become options.") if column.type == "string" else (0.0, "")
    if kind == "yes_no":
        return (1.0, "yes/no values.") if column.type == "boolean" else (0.0, "")
    if kind == "date":
        return (1.0, "both are dates.") if column.type == "date" else (0.0, "")
    if kind == "email" and any("@" in s for s in column.samples):
        return 1.0, "it holds email addresses."
    return (0.8, "text values.") if column.type == "string" else (0.3, "shown as text.")


def _option_overlap(column: ColumnProfile, item: Input) -> float:
    """Share of the column's sample values that are one of the input's options."""
    options = {o.value.lower() for o in item.options} | {o.label.lower() for o in item.options}
    samples = [s.strip().lower() for s in column.samples]
    return sum(s in options for s in samples) / len(samples) if samples else 0.0
