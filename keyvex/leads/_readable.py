"""A lead for people: labels instead of variable names, values as the tool formats them.

Labels come from the tool definition given (the dashboard passes the version the lead was
captured with); values are the texts the visitor saw (a lead keeps them in ``display``),
formatted again from the raw answer only for leads stored without them. Names the definition
does not know are shown as words ("company_size" -> "Company size").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keyvex.engine import format_answer, format_calculation, format_plain
from keyvex.leads.models import Lead
from keyvex.tools import ToolDefinition

EMPTY = "–"


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled value; ``name`` is the variable it comes from (for ids and tests)."""

    name: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class LeadView:
    contact: list[Row]
    answers: list[Row]
    results: list[Row]
    score: str | None


def words(name: str) -> str:
    """A variable name as words: 'monthly_revenue_gain' -> 'Monthly revenue gain'."""
    text = name.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else name


def readable_lead(lead: Lead, definition: ToolDefinition | None) -> LeadView:
    if definition is None:
        return LeadView(
            contact=[Row(k, words(k), v or EMPTY) for k, v in lead.contact.items()],
            answers=[Row(k, words(k), format_plain(v) or EMPTY) for k, v in lead.answers.items()],
            results=[],
            score=_score(lead),
        )
    return LeadView(
        contact=_contact(lead, definition),
        answers=_answers(lead, definition),
        results=_results(lead, definition),
        score=_score(lead),
    )


def _contact(lead: Lead, definition: ToolDefinition) -> list[Row]:
    fields = definition.lead_capture.fields
    rows = [Row(f.id, f.label, lead.contact[f.id] or EMPTY) for f in fields if f.id in lead.contact]
    known = {f.id for f in fields}
    rows += [Row(k, words(k), v or EMPTY) for k, v in lead.contact.items() if k not in known]
    return rows


def _answers(lead: Lead, definition: ToolDefinition) -> list[Row]:
    rows: list[Row] = []
    for item in definition.inputs:
        if item.id not in lead.answers:
            continue
        raw = lead.answers[item.id]
        shown = lead.display.get(item.id) or format_answer(item, raw, definition.currency)
        rows.append(Row(item.id, item.label or words(item.id), shown or EMPTY))
    known = {item.id for item in definition.inputs}
    rows += [
        Row(k, words(k), format_plain(v) or EMPTY)
        for k, v in lead.answers.items()
        if k not in known
    ]
    return rows


def _results(lead: Lead, definition: ToolDefinition) -> list[Row]:
    rows: list[Row] = []
    for calc in definition.calculations:
        shown = lead.display.get(calc.id)
        if not shown and calc.id in lead.values:
            shown = format_calculation(calc, lead.values[calc.id], definition.currency)
        if shown:
            rows.append(Row(calc.id, calc.label or words(calc.id), shown))
    for category in definition.scoring.categories if definition.scoring else []:
        shown = lead.display.get(category.id)
        if shown:
            rows.append(Row(category.id, category.title, shown))
    return rows


def _score(lead: Lead) -> str | None:
    """'18 of 25 (72%)' for a scored lead, as the result page shows it."""
    scores: dict[str, Any] = lead.scores or {}
    if lead.score is None and not scores:
        return None
    total, top, percent = scores.get("total"), scores.get("max"), scores.get("percent")
    parts = [format_plain(total if total is not None else lead.score)]
    if top:
        parts.append(f"of {format_plain(top)}")
    if percent is not None:
        parts.append(f"({format_plain(round(float(percent)))}%)")
    return " ".join(parts)
