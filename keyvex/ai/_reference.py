"""What a model must know to build Keyvex tools, generated from the code so it cannot drift:
the formula language (from the function registry), the result-block types (from the
ToolDefinition schema) and one complete worked example (composed from the knowledge base)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, get_args

from keyvex.formula import FUNCTIONS
from keyvex.knowledge import Slots, compose, find_plan, understand
from keyvex.tools import ResultBlock, ToolDefinition

OPERATORS = """\
Literals: 12, 1.5, 2e3, 15% (= 0.15), "text" or 'text', true/false.
Names: the ids of inputs, constants, calculations and scoring values (score, max_score,
score_percent, each category id = that category's percent), case-sensitive.
Operators, loosest first: or; and; not; = == != <> < <= > >=; & (join text); + -; * /;
unary - +; ^ (power, right-associative, -2^2 is -4). Parentheses group.
Blank (unanswered) is 0 in arithmetic and "" in text. Percent inputs are entered as percent
points and formulas see the fraction (an input of 30 reads as 0.3). Errors (DIV_ZERO, TYPE,
NAME, ARG, NUM, NA for "nothing found", LIMIT) propagate; IF evaluates only the branch it
takes; IFERROR(x, fallback) and IFNA catch them. Numbers compare equal to 15 significant
digits (0.1 + 0.2 = 0.3 is TRUE). Text compares without case. TRUE/FALSE are not numbers.
LET(name, value, ..., result) names intermediate values. There are no list literals: lists
come from multi-select or list inputs and from TABLECOLUMN(table, "column"). Tables are named
by their name: LOOKUP(table, key, "column"), VLOOKUP(key, table, column_number, FALSE),
INDEX(table, row, column). Criteria of COUNTIF/SUMIF/SUMIFS/AVERAGEIF(S)/MINIFS/MAXIFS are a
value or text such as ">4", "<>north", "app*". TEXT(x, "#,##0.00"), TEXT(x, "0%") and
FIXED(x, 2) write numbers as text. Dates are day numbers (DATE(2024, 1, 31) + 1): a date
input gives its day number, end - start is days, DATEDIF(start, TODAY(), "y") is an age,
TEXT(d, "d mmm yyyy") writes one, and a calculation with format "date" shows one."""


def _arity(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return f"{minimum}+ arguments"
    return f"{minimum} argument" if minimum == maximum == 1 else (
        f"{minimum} arguments" if minimum == maximum else f"{minimum}-{maximum} arguments"
    )  # fmt: skip


def formula_reference() -> str:
    """The formula language: operators and every function with its arity and summary."""
    lines = [OPERATORS, "Functions (names are case-insensitive):"]
    for name, arity in sorted(FUNCTIONS.items()):
        named = arity.summary.upper().startswith(name)
        summary = arity.summary if named else f"{name}: {arity.summary}"
        gives = f"; gives {arity.result}" if arity.result != "any" else ""
        lines.append(f"- {summary} [{_arity(arity.minimum, arity.maximum)}{gives}]")
    return "\n".join(lines)


def block_reference() -> str:
    """Every result-block type with its fields, from the schema."""
    union = get_args(get_args(ResultBlock)[0])
    lines = ["Result blocks (`results`, shown in order; texts may use {{id}} placeholders):"]
    for block in union:
        kind = get_args(block.model_fields["type"].annotation)[0]
        fields = [f for f in block.model_fields if f != "type"]
        doc = (block.__doc__ or "").strip().splitlines()[0]
        lines.append(f"- {kind}: {doc} Fields: {', '.join(fields) or 'none'}.")
    return "\n".join(lines)


@cache
def worked_example() -> str:
    """One complete, verified tool definition as compact JSON."""
    brief = "Bookkeeping outsourcing calculator for restaurant owners"
    plan = find_plan("outsourcing-cost/bookkeeping", understand(brief))
    tool = compose(plan, Slots(audience="restaurant owners", business="restaurant"))
    return json.dumps(tool.model_dump(mode="json", exclude_defaults=True), separators=(",", ":"))


def closest_examples(intent: str, limit: int = 2) -> list[dict[str, Any]]:
    """The knowledge-base tools closest to a brief, as worked examples for a model."""
    from keyvex.knowledge.plan import candidates

    u = understand(intent)
    examples: list[dict[str, Any]] = []
    for plan in candidates(u)[:limit]:
        tool: ToolDefinition = compose(plan, Slots(audience=u.audience, offer=u.offer))
        examples.append(tool.model_dump(mode="json", exclude_defaults=True))
    return examples
