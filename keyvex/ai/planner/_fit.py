"""The fit report of any built tool (offline or by a model) against its brief."""

from __future__ import annotations

from keyvex.knowledge import Fit, Plan, choose, find_plan, fit_of, understand
from keyvex.knowledge.plan import tool_text
from keyvex.tools import ToolDefinition


def fit_report(intent: str, tool: ToolDefinition, source_id: str | None) -> Fit:
    """How well ``tool`` covers the brief ``intent``.

    Offline tools carry the knowledge-base ``source_id`` they were composed from, so their
    fit follows the plan. A model's tool has none: its subject counts as covered only when
    the words that name the subject (the matching entry's terms, else the brief's own
    subject words) appear in the tool's text."""
    u = understand(intent)
    if source_id is not None:
        return fit_of(find_plan(source_id, u), tool)
    plan = choose(u)
    text = tool_text(tool)
    words = [t.rstrip("*") for t in plan.matched] or u.subject_words
    named = [w for w in words if f" {w}" in text]
    judged = Plan(u, plan.kind, plan.entry, plan.variant, named, composed=False)
    if not named and words:
        # nothing names the subject: the model's tool is about something else
        return fit_of(Plan(u, plan.kind, plan.entry, None, [], composed=False), tool)
    return fit_of(judged, tool)
