"""A brief's constraints as filters on a data source's rows.

``keyvex.knowledge.brief.understand`` reads constraints from a brief in two forms:
``only <what>`` ("only in stock", "only vegan", "only homes in springfield") and
``<comparison> <amount>[ <noun>]`` ("under $50", "at least 3 bedrooms", "max $500k").
Here each is matched against the columns of the data:

- ``only <what>``: a yes/no column whose label is in the phrase ("in stock" -> ``in_stock``
  is true); else a value of a text column that the phrase names as whole words ("for sale"
  -> ``status`` equals "For sale", "vegan" -> ``diet`` equals "Vegan"); else, for a
  one-word phrase, a text column with values that contain the word (``tags`` contains
  "vegan"). A phrase with a negation ("non-vegan") is left unmatched: matching its other
  words would keep exactly the rows the creator excluded.
- a comparison: money ($, EUR, "dollars") limits the money column (the one named like a
  price when there are several); a noun limits the number column it names ("bedrooms");
  a percentage, the percent column. ``under``/``below``/``less than`` are strict,
  ``at most``/``up to``/``max`` are not, and the same the other way.

Decisions: a constraint that matches no column is returned unmatched, never guessed (the tool
must not silently filter on the wrong column); the first matching column wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from keyvex.data._copy import flag_label, is_price, words_of
from keyvex.data._types import Dataset

STRICT = {"under": "lt", "below": "lt", "less than": "lt", "cheaper than": "lt",
          "over": "gt", "above": "gt", "more than": "gt"}  # fmt: skip
INCLUSIVE = {"at most": "lte", "up to": "lte", "no more than": "lte", "max": "lte",
             "maximum": "lte", "at least": "gte", "min": "gte", "minimum": "gte"}  # fmt: skip
MONEY = re.compile(r"[$€£¥₹]|\b(?:usd|eur|gbp|dollars?|euros?|pounds?)\b")
NUMERIC = ("number", "currency", "percent")


@dataclass(frozen=True, slots=True)
class RowFilter:
    """A constraint as a filter: keep rows whose ``column`` compares with ``value``."""

    constraint: str
    column: str
    op: str
    value: float | str | bool

    def formula(self, identifier: str) -> str:
        """The filter as a formula over a table column id (DataBinding.filter)."""
        if isinstance(self.value, bool):
            return f"{identifier} = {'TRUE' if self.value else 'FALSE'}"
        if isinstance(self.value, str):
            quoted = '"' + self.value.replace('"', "") + '"'
            if self.op == "contains":
                return f"CONTAINS(LOWER({identifier}), {quoted.lower()})"
            return f"{identifier} = {quoted}"
        symbol = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}[self.op]
        return f"{identifier} {symbol} {self.value:g}"


def match_constraints(
    constraints: Sequence[str], dataset: Dataset, types: Mapping[str, str]
) -> tuple[list[RowFilter], list[str]]:
    """(the filters the constraints become, the constraints no column matches)."""
    filters: list[RowFilter] = []
    unmatched: list[str] = []
    for constraint in constraints:
        found = (
            _only(constraint, dataset, types)
            if constraint.startswith("only ")
            else _comparison(constraint, dataset, types)
        )
        if found is None:
            unmatched.append(constraint)
        else:
            filters.append(found)
    return filters, unmatched


def _phrase_has(phrase: list[str], words: list[str]) -> bool:
    """Whether ``words`` occur in ``phrase`` in a row (singular and plural alike)."""
    if not words:
        return False
    norm = [w.rstrip("s") for w in phrase]
    want = [w.rstrip("s") for w in words]
    return any(norm[i : i + len(want)] == want for i in range(len(norm) - len(want) + 1))


NEGATIONS = frozenset({"non", "not", "no", "without", "except", "excluding", "never"})


def _only(constraint: str, dataset: Dataset, types: Mapping[str, str]) -> RowFilter | None:
    phrase = words_of(constraint.removeprefix("only "))
    if NEGATIONS & set(phrase):  # "only non-vegan": matching "vegan" would invert it
        return None
    for column in dataset.columns:
        if types.get(column) == "boolean" and _phrase_has(phrase, words_of(flag_label(column))):
            return RowFilter(constraint, column, "eq", True)
    texts = [c for c in dataset.columns if types.get(c, "string") == "string"]
    for column in texts:
        for value in _values(dataset, column):
            if _phrase_has(phrase, words_of(value)):
                return RowFilter(constraint, column, "eq", value)
    if len(phrase) == 1 and len(phrase[0]) > 2:  # one word: a tag among others ("vegan")
        for column in texts:
            if any(phrase[0] in words_of(v) for v in _values(dataset, column)):
                return RowFilter(constraint, column, "contains", phrase[0])
    return None


def _values(dataset: Dataset, column: str, limit: int = 200) -> list[str]:
    index = dataset.columns.index(column)
    seen: dict[str, None] = {}
    for row in dataset.rows:
        cell = row[index] if index < len(row) else None
        if isinstance(cell, str) and cell.strip():
            seen.setdefault(cell.strip(), None)
            if len(seen) >= limit:
                break
    return list(seen)


COMPARISON = re.compile(
    r"^(?P<op>under|below|less than|cheaper than|at most|up to|no more than|max|maximum|over|"
    r"above|more than|at least|min|minimum) (?P<amount>\S+)(?: (?P<noun>.+))?$"
)


def _comparison(constraint: str, dataset: Dataset, types: Mapping[str, str]) -> RowFilter | None:
    match = COMPARISON.match(constraint)
    if not match:
        return None
    amount = _amount(match.group("amount"))
    if amount is None:
        return None
    op = STRICT.get(match.group("op")) or INCLUSIVE[match.group("op")]
    noun = match.group("noun") or ""
    column = _compared_column(match.group("amount"), noun, dataset, types)
    if column is None:
        return None
    if types.get(column) == "percent" and "%" in match.group("amount"):
        amount /= 100  # formulas see percent cells as fractions, like the 15% literal
    return RowFilter(constraint, column, op, amount)


def _amount(text: str) -> float | None:
    found = re.search(r"(\d+(?:,\d{3})*(?:\.\d+)?)([km]?)", text.lower())
    if not found:
        return None
    value = float(found.group(1).replace(",", ""))
    return value * {"k": 1e3, "m": 1e6}.get(found.group(2), 1)


def _compared_column(
    amount: str, noun: str, dataset: Dataset, types: Mapping[str, str]
) -> str | None:
    numeric = [c for c in dataset.columns if types.get(c) in NUMERIC]
    if MONEY.search(f"{amount} {noun}"):
        money = [c for c in numeric if types.get(c) == "currency"]
        priced = [c for c in money if is_price(c)]
        chosen = priced or money
        return chosen[0] if chosen else None
    if noun:
        named = [c for c in numeric if _phrase_has(words_of(noun), words_of(c))]
        return named[0] if named else None
    if "%" in amount:
        percent = [c for c in numeric if types.get(c) == "percent"]
        return percent[0] if len(percent) == 1 else None
    return None
