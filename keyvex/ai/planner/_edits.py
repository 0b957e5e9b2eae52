"""Plain-word edits the offline planner makes itself; anything else is named and refused.

A request is split into clauses ("make the button green and move question 5 to the top");
each clause goes to the first edit that recognises it (the order below matters: lead capture
and charts before generic "remove", options before "add a question"). The changed tool must
pass verification; a request that is already true answers "Already so" with no change.
"""

from __future__ import annotations

from keyvex.ai.agents import ALREADY_SO
from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import EDITOR_HINT, Change, Edit, refuse, same
from keyvex.ai.planner._edit_add import add_input_edit
from keyvex.ai.planner._edit_basic import colour_edit, currency_edit, lead_edit, text_edit
from keyvex.ai.planner._edit_chart import chart_edit
from keyvex.ai.planner._edit_inputs import field_value_edit, rename_input_edit
from keyvex.ai.planner._edit_lead_fields import lead_field_edit
from keyvex.ai.planner._edit_options import options_edit
from keyvex.ai.planner._edit_order import order_edit
from keyvex.ai.planner._edit_remove import (
    input_to_constant,
    remove_input,
    remove_input_edit,
    uses_of,
)
from keyvex.ai.planner._edit_replace import replace_text_edit, replace_wording
from keyvex.ai.planner._edit_results import cta_edit, headline_edit, outcome_text_edit
from keyvex.ai.planner._request import Request, split_clauses
from keyvex.tools import ToolDefinition, verify

CAN_DO = (
    "Offline I can add, remove, rename or move questions; change answer options and their "
    "points; change the headline, outcome texts, advice and call to action; replace a wording "
    'everywhere (\'replace "A" with "B"\'); show, remove or change the chart; set lead '
    "capture and its fields, colours, title and currency."
)
NEEDS_MODEL = (
    "I did not understand {part}, so nothing changed. " + CAN_DO + " Anything else needs an AI "
    "model (set KEYVEX_OPENAI_API_KEY or KEYVEX_ANTHROPIC_API_KEY)."
)
EDITS: tuple[Edit, ...] = (
    lead_field_edit,
    lead_edit,
    chart_edit,
    replace_text_edit,
    outcome_text_edit,
    text_edit,
    headline_edit,
    cta_edit,
    options_edit,
    order_edit,
    add_input_edit,
    remove_input_edit,
    field_value_edit,
    rename_input_edit,
    currency_edit,
    colour_edit,
)

__all__ = ["ALREADY_SO", "apply_edit", "input_to_constant", "remove_input", "uses_of"]


def apply_edit(tool: ToolDefinition, request: str) -> tuple[ToolDefinition, str]:
    """(changed, verified tool; what was done), or (the same tool; 'Already so: ...').

    Raises NeedsModel naming the part of the request the offline editor cannot do.
    """
    clauses = split_clauses(request) or [request]
    current, done, already = tool, [], []
    for clause in clauses:
        part = f"'{clause.strip()[:160]}'" if len(clauses) == 1 else f"the part '{clause[:160]}'"
        try:
            change = _one(current, clause, part)
        except NeedsModel as exc:
            if len(clauses) == 1 or "nothing changed" in exc.message.lower():
                raise
            raise NeedsModel(f"Nothing changed: {exc.message}") from None
        if same(change.tool, current):
            already.append(change.already or "the tool already does that.")
        else:
            done.append(change.done)
            current = change.tool
    if not done:
        return tool, f"{ALREADY_SO} {_sentences(already)} Nothing changed."
    report = verify(current)
    if report.errors:
        issue = report.errors[0]
        raise refuse(
            f"I did not make that change: the changed tool would fail its checks "
            f"({issue.path}: {issue.message.rstrip('.')}).",
            "make the change and fix that by hand",
        )
    return current, " ".join([*done, *(f"{ALREADY_SO} {a}" for a in already)])


def _one(tool: ToolDefinition, clause: str, part: str) -> Change:
    request = Request(clause)
    try:
        for edit in EDITS:
            change = edit(tool, request)
            if change is not None:
                return change
    except NeedsModel as exc:
        if "(Edit tool)" in exc.message:
            raise
        hint = EDITOR_HINT.format(what="make the change by hand")
        raise NeedsModel(f"{exc.message} Or {hint[0].lower()}{hint[1:]}") from None
    wording = replace_wording(clause)
    if wording is not None:
        raise refuse(f"No text of the tool says '{wording[0]}', so nothing changed.", "find it")
    raise refuse(NEEDS_MODEL.format(part=part), "make the change by hand")


def _sentences(parts: list[str]) -> str:
    return " ".join(p[:1].upper() + p[1:] for p in parts)
