"""The offline planner's answers to the three agents: next turn, build, edit.

The planner composes tools from the knowledge base (``keyvex.knowledge``): it reads the
brief, chooses a reviewed entry (or says plainly that it has none and builds the closest
structure in the creator's words), asks only what the brief left open, and builds.
"""

from __future__ import annotations

from typing import Any

import jsonpatch

from keyvex.ai.models import BuildBrief, ConversationState, EditProposal, NeedsModel, Turn
from keyvex.ai.planner._edits import apply_edit
from keyvex.ai.planner._instantiate import adapt, text_of
from keyvex.ai.planner._questions import LEAD_TIMING, RESULT_STYLES, plan_questions
from keyvex.knowledge import Plan, Slots, Understanding, choose, compose, find_plan, understand
from keyvex.knowledge.brief import KIND_NAMES
from keyvex.knowledge.plan import topic_of
from keyvex.tools import ToolDefinition, parse_tool
from keyvex.tools.currencies import currency_code

BUILD_NOW = ("just build it", "build it now", "just build")


def wants_build_now(state: ConversationState) -> bool:
    said = [state.brief, *(text_of(v) for v in state.answers.values())]
    return state.build_now or any(p in s.lower() for s in said for p in BUILD_NOW)


def slots_for(u: Understanding, answers: dict[str, Any]) -> Slots:
    """The brief's words, overridden by the creator's answers, for composing the tool."""
    audience = text_of(answers.get("audience")) or u.audience
    length = text_of(answers.get("length"))
    industry = understand(audience).industry if "audience" in answers else None
    industry = industry or u.industry
    return Slots(
        audience=audience[:120],
        business=industry.business if industry else "",
        offer=u.offer,
        currency=_currency(answers.get("currency")) or (u.currency or ""),
        questions=u.questions or (int(length) if length.isdigit() else None),
        categories=u.categories,
    )


def _currency(value: Any) -> str:
    return currency_code(text_of(value)) or ""


def explain(plan: Plan) -> str:
    """What was understood and where the tool will come from, in a few plain sentences."""
    u = plan.understanding
    understood = "; ".join(_label_lower(line) for line in u.summary()) or "a general goal"
    text = f"Here is what I understood: {understood}."
    if plan.generic:
        what = u.subject or " ".join(u.subject_words) or "this subject"
        return (
            f"{text} My knowledge base has nothing reviewed on {what}, so I will build "
            f"{_a(KIND_NAMES[plan.kind])} with a general structure in your words and list "
            "what you need to fill in (in the editor, or with an AI model configured)."
        )
    assert plan.entry is not None
    matched = ", ".join(f"'{t.rstrip('*')}'" for t in plan.matched[:4])
    return (
        f"{text} I will build {_a(KIND_NAMES[plan.kind])} on {topic_of(plan)} from the "
        f"reviewed knowledge base ('{plan.source_id}'), matched on {matched}."
    )


def _label_lower(line: str) -> str:
    """'Subject: ISO 9001 certification' -> 'subject: ISO 9001 certification' (names keep
    their case; only the label joins the sentence in lower case)."""
    label, colon, value = line.partition(": ")
    return f"{label.lower()}{colon}{value}" if colon else line.lower()


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def next_turn(state: ConversationState) -> Turn:
    """Ask the next question the brief left open, or say it is ready to build."""
    u = understand(state.brief)
    plan = choose(u)
    draft = compose(plan, slots_for(u, state.answers))
    pending = [q for q in plan_questions(plan, u, draft) if q.id not in state.answers]
    if wants_build_now(state) or not pending:
        brief = make_brief(state, plan, draft)
        return Turn(kind="ready", message=f"Building '{draft.title}' now.", build_brief=brief)
    message = explain(plan) if not state.answers else ""
    return Turn(
        kind="question", message=message, question=pending[0], plan=pending[1:],
        build_brief=make_brief(state, plan, draft),
    )  # fmt: skip


def make_brief(state: ConversationState, plan: Plan, draft: ToolDefinition) -> BuildBrief:
    answers, u = state.answers, plan.understanding
    keep = answers.get("inputs")
    return BuildBrief(
        intent=state.brief,
        audience=text_of(answers.get("audience")) or u.audience,
        industry=u.industry.label if u.industry else "",
        kind=draft.kind,
        key_inputs=[str(k) for k in keep] if isinstance(keep, list) else [],
        result_style=_label(answers.get("result_style"), RESULT_STYLES, "chart"),
        lead_capture=_label(answers.get("lead_timing"), LEAD_TIMING, draft.lead_capture.mode),
        template_id=plan.source_id,
        explanation=explain(plan),
    )


def _label(value: Any, table: dict[str, str], default: str) -> str:
    text = text_of(value)
    return text if text in table.values() else table.get(text, default)


def build(brief: BuildBrief, state: ConversationState) -> dict[str, Any]:
    """The builder's output: the planned entry composed with the brief's words and answers."""
    u = understand(brief.intent)
    plan = find_plan(brief.template_id, u)
    answers = dict(state.answers)
    if brief.audience and "audience" not in answers:
        answers["audience"] = brief.audience
    tool = compose(plan, slots_for(u, answers))
    tool, notes = adapt(tool, brief, answers)
    return {
        "definition": tool.model_dump(mode="json"),
        "notes": " ".join(notes),
        "source": plan.source_id,
    }


def edit(definition: dict[str, Any], request: str) -> dict[str, Any]:
    """The editor's output: a JSON Patch for a known command, or a refusal sentence."""
    tool = parse_tool(definition)
    try:
        changed, summary = apply_edit(tool, request)
    except NeedsModel as exc:
        return EditProposal(summary="", unsupported=exc.message).model_dump()
    patch = jsonpatch.make_patch(definition, changed.model_dump(mode="json"))
    return EditProposal(summary=summary, patch=list(patch)).model_dump()
