"""Heuristics over the column profiles: tool types, column roles and what to clean up."""

from __future__ import annotations

from dataclasses import dataclass

from keyvex.data.analysis import _roles as roles
from keyvex.data.analysis.models import (
    ColumnProfile,
    FieldMapping,
    Quality,
    TargetKind,
    ToolTypeSuggestion,
)

MIN_CONFIDENCE = 0.3
EMPTY_PCT = 10.0
_NOUNS = {
    "number": "non-numeric",
    "currency": "non-currency",
    "percent": "non-percentage",
    "date": "non-date",
    "boolean": "non-yes/no",
}


@dataclass
class Shape:
    """The columns sorted by the role they could play."""

    key: ColumnProfile | None
    categories: list[ColumnProfile]
    numeric: list[ColumnProfile]
    rates: list[ColumnProfile]
    ranges: list[ColumnProfile]
    scores: list[ColumnProfile]

    @classmethod
    def of(cls, columns: list[ColumnProfile], rows: int) -> Shape:
        keys = [c for c in columns if roles.is_key(c, rows)]
        keys.sort(key=lambda c: (not roles.name_like(c), c.type != "string"))
        return cls(
            key=keys[0] if keys else None,
            categories=[c for c in columns if roles.is_category(c, rows)],
            numeric=[c for c in columns if c.numeric],
            rates=[c for c in columns if roles.is_rate(c)],
            ranges=[c for c in columns if roles.is_range_end(c)],
            scores=[c for c in columns if roles.is_score(c)],
        )


def tool_types(columns: list[ColumnProfile], rows: int) -> list[ToolTypeSuggestion]:
    """Calculator, quiz and assessment, each with a confidence and a reason naming columns."""
    if not columns or rows == 0:
        return []
    shape = Shape.of(columns, rows)
    found = [_quiz(shape), _calculator(shape, len(columns)), _assessment(shape, len(columns))]
    kept = [s for s in found if s is not None and s.confidence >= MIN_CONFIDENCE]
    return sorted(kept, key=lambda s: -s.confidence)


def _names(columns: list[ColumnProfile]) -> str:
    return roles.listing([c.name for c in columns])


def _clip(value: float) -> float:
    return round(max(0.0, min(0.95, value)), 2)


def _quiz(shape: Shape) -> ToolTypeSuggestion | None:
    key, categories = shape.key, [c for c in shape.categories if c is not shape.key]
    if key is None:
        if len(categories) < 2:
            return None
        reason = f"{_names(categories)} describe the rows but no column names each one."
        return ToolTypeSuggestion(kind="quiz", confidence=0.35, reason=reason)
    score = 0.45 if roles.name_like(key) else 0.3
    score += 0.2 * min(len(categories), 1) + 0.15 * (len(categories) >= 2)
    score += 0.1 * bool(shape.numeric) - 0.25 * (len(shape.scores) >= 3)
    described = f" and {_names(categories)} describe them" if categories else ""
    reason = (
        f"{key.name} names each row{described}: a recommendation quiz can match a visitor's "
        "answers to the best row."
    )
    return ToolTypeSuggestion(kind="quiz", confidence=_clip(score), reason=reason)


def _calculator(shape: Shape, width: int) -> ToolTypeSuggestion | None:
    if not shape.numeric:
        return None
    score = 0.35 + 0.25 * bool(shape.rates) + 0.2 * (len(shape.ranges) >= 2)
    score += 0.1 * (shape.key is not None or bool(shape.ranges))
    score += 0.1 * (len(shape.numeric) * 2 >= width)
    score -= 0.15 * (len(shape.categories) >= 2) + 0.3 * (len(shape.scores) >= 3)
    values = shape.rates or shape.numeric
    by = [c.name for c in shape.ranges] or ([shape.key.name] if shape.key else [])
    keyed = f" keyed by {roles.listing(by)}" if by else ""
    reason = (
        f"{_names(values)} hold numbers{keyed}: a calculator can look up the visitor's "
        "figures and compute with them."
    )
    return ToolTypeSuggestion(kind="calculator", confidence=_clip(score), reason=reason)


def _assessment(shape: Shape, width: int) -> ToolTypeSuggestion | None:
    if len(shape.scores) < 2:
        return None
    score = 0.3 + 0.15 * (len(shape.scores) >= 3) + 0.45 * len(shape.scores) / width
    reason = (
        f"{_names(shape.scores)} hold scale scores or yes/no answers: they can become an "
        "assessment's scored questions."
    )
    return ToolTypeSuggestion(kind="assessment", confidence=_clip(score), reason=reason)


def roles_without_tool(columns: list[ColumnProfile], rows: int) -> list[FieldMapping]:
    """Suggested roles for a new tool: one lookup key, values to show, filters to ask."""
    shape = Shape.of(columns, rows)
    mappings = []
    for column in columns:
        found = _role(column, shape, rows)
        if found is not None:
            kind, confidence, reason = found
            mappings.append(
                FieldMapping(
                    column=column.name,
                    target=roles.identifier(column.name),
                    target_kind=kind,
                    confidence=confidence,
                    reason=reason,
                )
            )
    return mappings


def _role(column: ColumnProfile, shape: Shape, rows: int) -> tuple[TargetKind, float, str] | None:
    if column is shape.key:
        sure = 0.9 if roles.name_like(column) else 0.7
        return "lookup_key", sure, "Unique and never empty: it identifies each row."
    if roles.is_category(column, rows):
        return "filter", 0.75, f"{column.distinct_count} distinct values: a select input."
    if column.type == "boolean":
        return "filter", 0.7, "Yes/no values: a yes/no input."
    if roles.is_range_end(column) or column.type == "date":
        return "filter", 0.65, f"A {column.type} range the visitor's answer falls into."
    if column.numeric:
        sure = 0.8 if roles.is_rate(column) else 0.65
        return "lookup_value", sure, f"A {column.type} value to compute with or show."
    if column.type == "string" and column.distinct_count > 0:
        return "lookup_value", 0.5, "Text to show with the matching row."
    return None


def cleanup(columns: list[ColumnProfile], quality: Quality, rows: int) -> list[str]:
    """Optimisation suggestions in plain sentences, most useful first."""
    found: list[str] = []
    if rows == 0:
        return ["The data has no rows."]
    for column in columns:
        if column.type != "string" and column.consistency < 1:
            bad = _pct(100 * (1 - column.consistency))
            found.append(f"Column {column.name} has {bad} {_NOUNS[column.type]} values.")
        if column.best_other is not None:
            near, share = column.best_other
            found.append(
                f"Column {column.name} looks like {near} but only {_pct(100 * share)} of its "
                "values fit, so it is treated as text."
            )
        if column.null_pct >= EMPTY_PCT:
            found.append(f"Column {column.name} is {_pct(column.null_pct)} empty.")
        if column.distinct_count == 1 and rows > 1:
            found.append(
                f"Column {column.name} holds a single value; a tool gains nothing from it."
            )
    if quality.duplicate_rows:
        plural = "row" if quality.duplicate_rows == 1 else "rows"
        found.append(f"{quality.duplicate_rows:,} duplicate {plural}.")
    return found


def _pct(value: float) -> str:
    return f"{value:.0f}%" if value >= 1 or value == 0 else f"{value:.1f}%"
