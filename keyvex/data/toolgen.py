"""A recommendation quiz built from a data source: the deterministic "tool from this data".

From the creator's choices (which column names an item, which columns visitors choose from,
which number they set a limit on, which columns each recommendation shows) and the brief's
constraints it builds a ToolDefinition whose table is bound to the source. Co-creation
sessions with a source attached use it to build (offline and with a model alike), then edit
it as usual.

It reads as written by a person (decisions where the issue was silent):
- a text column becomes "Which category do you prefer?" with its values plus "No
  preference" (which leaves that filter out); a yes/no column becomes a yes/no question
  "In stock only?" (yes keeps the rows where it is true, no shows all);
- the limit column becomes "What is your budget?" for money, else "What is the highest
  rating you want?", filtered with ``lte`` and sorted on;
- labels come from column names in words ("deal_value" -> "Deal value"); each question
  is asked once: no step titles repeat it (the public page numbers the questions);
- the description counts the questions the tool really asks ("Answer 3 quick questions");
- with only a limit to set (no preference to express) the tool is a calculator whose
  recommendations follow the budget live, since an outcome quiz needs two reachable outcomes;
- the brief's constraints ("only what's in stock", "under $50", "vegan only") become the
  table binding's filter, so rows they exclude never reach the public page, and a column a
  constraint fixes is not asked about; a money cap on the limit column caps the budget.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from keyvex.data import _copy
from keyvex.data._brief_filters import RowFilter, match_constraints
from keyvex.data._coerce import coerce_column, guess_type
from keyvex.data._types import Dataset
from keyvex.errors import Invalid
from keyvex.tools import ToolDefinition, parse_tool

ANY = "any"
MAX_OPTIONS = 12
NUMERIC = ("number", "currency", "percent")


def identifier(name: str, taken: set[str]) -> str:
    """A formula-safe, unique id for a source column name ('Price (USD)' -> 'price_usd')."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "column"
    if base[0].isdigit():
        base = f"c_{base}"
    if base in {"and", "or", "not", "true", "false", "score", "max_score", "score_percent"}:
        base = f"{base}_col"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def distinct_values(dataset: Dataset, column: str, limit: int = MAX_OPTIONS + 1) -> list[str]:
    index = dataset.columns.index(column)
    seen: dict[str, None] = {}
    for row in dataset.rows:
        cell = row[index] if index < len(row) else None
        if cell is None or str(cell).strip() == "":
            continue
        seen.setdefault(str(cell).strip()[:200], None)
        if len(seen) >= limit:
            break
    return list(seen)


def column_types(analysis: Mapping[str, Any] | None, dataset: Dataset) -> dict[str, str]:
    """Each column's analysed type, guessed from the rows where the analysis has none."""
    known = {c["name"]: c["type"] for c in (analysis or {}).get("columns", [])}
    for index, column in enumerate(dataset.columns):
        if column not in known:
            cells = [r[index] if index < len(r) else None for r in dataset.rows[:5000]]
            known[column] = guess_type(cells)
    return known


MATCHES = {
    "id": "matches",
    "title": "Your best matches",
    "description": "These fit what you told us best.",
}
BROWSE = {
    "id": "browse",
    "title": "A few good places to start",
    "description": "You are open to anything, so here are some of our favourites.",
}


def brief_filters(
    constraints: Sequence[str], dataset: Dataset, analysis: Mapping[str, Any] | None
) -> tuple[list[RowFilter], list[str]]:
    """The brief's constraints as row filters on this data, and those no column matches."""
    return match_constraints(constraints, dataset, column_types(analysis, dataset))


def key_like(dataset: Dataset, column: str) -> bool:
    """Every non-empty value differs from the others (a name, an address, an email):
    a question listing them all would be a list of the items, not a preference."""
    index = dataset.columns.index(column)
    values = [
        str(r[index]).strip() for r in dataset.rows if index < len(r) and r[index] not in (None, "")
    ]
    return len(values) > 2 and len(set(values)) == len(values)


def filter_candidates(
    dataset: Dataset, analysis: Mapping[str, Any] | None, exclude: Sequence[str] = ()
) -> list[str]:
    """Columns visitors can choose from: text with 2-12 values that repeat, and yes/no."""
    types = column_types(analysis, dataset)
    out = []
    for column in dataset.columns:
        kind = types.get(column, "string")
        if column in exclude or kind in NUMERIC or kind == "date":
            continue
        if kind != "boolean" and key_like(dataset, column):
            continue
        if 2 <= len(distinct_values(dataset, column)) <= MAX_OPTIONS:
            out.append(column)
    return out


def numeric_columns(analysis: Mapping[str, Any] | None, dataset: Dataset) -> list[str]:
    """Number columns, prices first, then other money (a budget is the limit visitors set
    most often)."""
    types = column_types(analysis, dataset)
    numeric = [name for name in dataset.columns if types.get(name) in NUMERIC]
    return sorted(
        numeric,
        key=lambda name: (types.get(name) != "currency", not _copy.is_price(name)),
    )


def _max_of(dataset: Dataset, column: str, kind: str) -> float:
    index = dataset.columns.index(column)
    values = coerce_column([r[index] if index < len(r) else None for r in dataset.rows], kind)
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return float(max(numbers)) if numbers else 100.0


def _decimals(dataset: Dataset, column: str, kind: str) -> int:
    """Decimals a shown value needs: as many as the data has (at most 2; money 0 when every
    amount is whole, else 2)."""
    index = dataset.columns.index(column)
    values = coerce_column([r[index] if index < len(r) else None for r in dataset.rows], kind)
    scale = 100 if kind == "percent" else 1
    numbers = [v * scale for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    places = max((len(f"{n:.6f}".rstrip("0").split(".")[1]) for n in numbers), default=0)
    if kind == "currency":
        return 0 if places == 0 else 2
    return min(places, 2)


def build_recommendation_quiz(
    *,
    source_id: str,
    source_name: str,
    dataset: Dataset,
    analysis: Mapping[str, Any] | None,
    title_column: str,
    filter_columns: Sequence[str],
    limit_column: str | None,
    show_columns: Sequence[str],
    title: str | None = None,
    constraints: Sequence[str] = (),
) -> ToolDefinition:
    """The definition (validated; not yet verified or stored). ``constraints`` are the
    brief's (``Understanding.constraints``); those no column matches are left out."""
    types = column_types(analysis, dataset)
    rules, _ = brief_filters(constraints, dataset, analysis)
    fixed = {rule.column for rule in rules if rule.op in ("eq", "contains")}
    asked = [c for c in dict.fromkeys(filter_columns) if c != title_column and c not in fixed]
    wanted = [title_column, *asked, *show_columns, *(r.column for r in rules)]
    if limit_column:
        wanted.append(limit_column)
    unknown = [c for c in wanted if c not in dataset.columns]
    if unknown:
        raise Invalid(f"The data has no column '{unknown[0]}'.", fields={"columns": unknown[0]})
    taken: set[str] = set()
    ids = {column: identifier(column, taken) for column in dict.fromkeys(wanted)}
    inputs: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    for column in asked:
        item, row_filter = _question(dataset, column, types, ids[column], taken)
        inputs.append(item)
        filters.append(row_filter)
    if limit_column:
        item, row_filter = _limit_question(dataset, limit_column, types, ids, rules)
        inputs.append(item)
        filters.append(row_filter)
    if not inputs:
        raise Invalid("Choose at least one column visitors answer about.")
    show = [
        {"column": ids[c], "label": _copy.column_label(c),
         "format": _format_of(types.get(c, "string")),
         "decimals": _decimals(dataset, c, types.get(c, "string")) if types.get(c) in NUMERIC
         else 0}
        for c in dict.fromkeys(show_columns) if c != title_column
    ]  # fmt: skip
    currency = next(
        (c.get("currency") for c in (analysis or {}).get("columns", []) if c.get("currency")),
        None,
    )
    name = title or f"Find your best match in our {_copy.in_sentence(source_name)}"[:120]
    binding: dict[str, Any] = {"source_id": source_id, "column_map": dict(_swap(ids))}
    if rules:
        binding["filter"] = " and ".join(rule.formula(ids[rule.column]) for rule in rules)
    definition = {
        "id": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "data-quiz",
        "title": name,
        "description": f"Answer {_copy.plural(len(inputs), 'quick question')} to see the best "
        f"matches from our {_copy.in_sentence(source_name)}.",
        "kind": "quiz",
        "currency": currency or "USD",
        "tags": ["recommendation", "data"],
        "inputs": inputs,
        "scoring": {"quiz_type": "outcome"},
        "outcomes": [MATCHES, BROWSE],
        "tables": [
            {
                "name": "items",
                "columns": list(ids.values()),
                "key_column": ids[title_column],
                "binding": binding,
            }
        ],
        "results": [
            {"type": "outcome"},
            {
                "type": "table_recommendations",
                "table": "items",
                "title": "Recommended for you",
                "title_column": ids[title_column],
                "filters": filters,
                "sort_by": ids[limit_column] if limit_column else None,
                "limit": 3,
                "show": show,
                "empty_text": _empty_text(inputs),
            },
        ],
    }
    return parse_tool(_as_calculator(definition))


def _question(
    dataset: Dataset, column: str, types: Mapping[str, str], column_id: str, taken: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A visitor's question about one column and the table filter its answer drives."""
    input_id = identifier(f"want_{column_id}", taken)
    if types.get(column) == "boolean":
        options = [
            {"value": "yes", "label": "Yes", "outcome_points": {"matches": 1}},
            {"value": "no", "label": "No", "outcome_points": {"browse": 1}},
        ]
        item = {"id": input_id, "type": "yes_no", "label": _copy.flag_question(column),
                "options": options, "default": "yes"}  # fmt: skip
        return item, {"column": column_id, "op": "eq", "value": f'IF({input_id}, TRUE, "")'}
    values = distinct_values(dataset, column)[:MAX_OPTIONS]
    options = [{"value": v, "label": v, "outcome_points": {"matches": 1}} for v in values] + [
        {"value": ANY, "label": "No preference", "outcome_points": {"browse": 1}}
    ]
    item = {"id": input_id, "type": "radio", "label": _copy.choice_question(column),
            "options": options, "default": ANY}  # fmt: skip
    value = f'IF({input_id} = "{ANY}", "", {input_id})'
    return item, {"column": column_id, "op": "eq", "value": value}


def _limit_question(
    dataset: Dataset,
    column: str,
    types: Mapping[str, str],
    ids: Mapping[str, str],
    rules: Sequence[RowFilter],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The budget (or other upper limit) question; a brief's cap on the column caps it."""
    kind = types.get(column, "number")
    # Percent cells are fractions to formulas; a percent input takes points (5 means 5%)
    # and formulas see it as a fraction too, so both sides compare alike.
    scale = 100 if kind == "percent" else 1
    top = round(_max_of(dataset, column, kind) * scale, 9)
    caps = [
        round(float(r.value) * scale, 9)
        for r in rules
        if r.column == column and r.op in ("lt", "lte")
    ]
    highest = min(caps) if caps else (100 if kind == "percent" else max(top * 10, 1))
    money = kind == "currency"
    item = {
        "id": "limit",
        "type": {"currency": "currency", "percent": "percent"}.get(kind, "number"),
        "label": _copy.limit_question(column, money),
        "min": 0,
        "max": highest,
        "default": min(top, highest),
    }
    return item, {"column": ids[column], "op": "lte", "value": "limit"}


def _as_calculator(definition: dict[str, Any]) -> dict[str, Any]:
    """A tool whose only question is a limit (a budget) as a calculator: its
    recommendations follow the number live as the visitor types, and with no preference
    to express there is no outcome to pick ("No preference" is what makes a second one)."""
    inputs = definition["inputs"]
    if any("browse" in o.get("outcome_points", {}) for i in inputs for o in i.get("options", [])):
        return definition
    calculator = {k: v for k, v in definition.items() if k not in ("scoring", "outcomes")}
    calculator["kind"] = "calculator"
    calculator["results"] = [b for b in definition["results"] if b["type"] != "outcome"]
    return calculator


def _empty_text(inputs: Sequence[Mapping[str, Any]]) -> str:
    """What to try when nothing matches, naming only the questions the tool has."""
    tips = []
    if any(i["type"] == "radio" for i in inputs):
        tips.append("choose 'No preference' on a question")
    if any(i["type"] == "yes_no" for i in inputs):
        tips.append("answer 'No' to a yes/no question")
    if any(i["id"] == "limit" for i in inputs):
        budget = inputs[-1]["label"] == _copy.limit_question("price", True)
        tips.append("raise your budget" if budget else "raise the limit")
    return f"Nothing matches all your answers yet: {' or '.join(tips)}."


def _format_of(kind: str) -> str:
    return {"currency": "currency", "percent": "percent", "number": "number"}.get(kind, "text")


def _swap(ids: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(ident, column) for column, ident in ids.items()]
