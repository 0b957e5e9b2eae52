"""What a column looks like to a tool: a key, a category, a rate, a range end, a score."""

from __future__ import annotations

import re

from keyvex.data.analysis.models import ColumnProfile

NAME_WORDS = frozenset(
    "name title product item sku id key code model service plan package label course "
    "offer tier option brand".split()
)
RATE_WORDS = frozenset(
    "rate price cost fee premium multiple multiplier factor tariff charge hourly salary wage "
    "discount tax margin interest commission amount value revenue budget".split()
)
RANGE_WORDS = frozenset(
    "min max minimum maximum from to lower upper start end floor ceiling band bracket".split()
)
LIKERT_WORDS = frozenset(
    "agree disagree neutral never rarely sometimes often always poor fair good excellent".split()
)
MAX_CATEGORIES = 50


def tokens(text: str) -> list[str]:
    """Lower-case words of a header: 'unitPrice_USD' -> ['unit', 'price', 'usd']."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [t for t in re.split(r"[^a-z0-9]+", spaced.lower()) if t]


def identifier(name: str) -> str:
    """A formula-safe identifier for a column name ('Unit price' -> 'unit_price')."""
    ident = "_".join(tokens(name))[:64] or "column"
    return f"c_{ident}"[:64] if ident[0].isdigit() else ident


def non_null(column: ColumnProfile, rows: int) -> int:
    return round(rows * (1 - column.null_pct / 100))


def is_key(column: ColumnProfile, rows: int) -> bool:
    """Unique, (nearly) never empty text or number values: each row's identity."""
    filled = non_null(column, rows)
    return (
        column.type in {"string", "number"}
        and rows >= 2
        and column.null_pct < 1
        and column.distinct_count >= max(2, filled)
    )


def name_like(column: ColumnProfile) -> bool:
    return bool(NAME_WORDS.intersection(tokens(column.name)))


def is_category(column: ColumnProfile, rows: int) -> bool:
    """Text with few distinct values repeated across rows (a visitor could pick one)."""
    filled = non_null(column, rows)
    return (
        column.type == "string"
        and 2 <= column.distinct_count <= MAX_CATEGORIES
        and column.distinct_count <= max(2, filled // 2)
    )


def is_rate(column: ColumnProfile) -> bool:
    if not column.numeric:
        return False
    return column.type in {"currency", "percent"} or bool(RATE_WORDS & set(tokens(column.name)))


def is_range_end(column: ColumnProfile) -> bool:
    return column.numeric and bool(RANGE_WORDS & set(tokens(column.name)))


def is_score(column: ColumnProfile) -> bool:
    """Likert-like answers: small whole-number scales, yes/no, or agree/never words."""
    if column.type == "boolean":
        return True
    if column.type == "number":
        low, high = column.min, column.max
        return (
            isinstance(low, int | float)
            and isinstance(high, int | float)
            and float(low).is_integer()
            and float(high).is_integer()
            and 0 <= low < high <= 10
            and column.distinct_count <= 11
        )
    words = {w for sample in column.samples for w in tokens(sample)}
    return column.type == "string" and len(words & LIKERT_WORDS) >= 2


def listing(names: list[str], limit: int = 3) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more'."""
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
