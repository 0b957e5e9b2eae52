"""The offline planner's answers to the three agents: next turn, build, edit."""

from __future__ import annotations

from typing import Any

import jsonpatch

from keyvex.ai.models import BuildBrief, ConversationState, EditProposal, NeedsModel, Turn
from keyvex.ai.planner._edits import apply_edit
from keyvex.ai.planner._instantiate import instantiate, text_of
from keyvex.ai.planner._questions import AUDIENCE_IDS, LEAD_TIMING, RESULT_STYLES, plan_questions
from keyvex.ai.planner._scoring import detect_industry, explain, score_templates
from keyvex.tools import ToolDefinition, get_template, parse_tool

BUILD_NOW = ("just build it", "build it now", "just build")


def wants_build_now(state: ConversationState) -> bool:
    said = [state.brief, *(text_of(v) for v in state.answers.values())]
    return state.build_now or any(p in s.lower() for s in said for p in BUILD_NOW)


def next_turn(state: ConversationState) -> Turn:
    """Ask the chosen template's next unanswered question, or say it is ready to build."""
    matches = score_templates(state.brief)
    template = get_template(matches[0].template_id)
    pending = [q for q in plan_questions(template) if q.id not in state.answers]
    if wants_build_now(state) or not pending:
        brief = make_brief(state, template, explain(matches))
        return Turn(kind="ready", message=f"Building '{template.title}' now.", build_brief=brief)
    message = explain(matches) if not state.answers else ""
    return Turn(kind="question", message=message, question=pending[0])


def make_brief(state: ConversationState, template: ToolDefinition, why: str) -> BuildBrief:
    answers = state.answers
    audience_id = next((i for i in AUDIENCE_IDS if i in answers), None)
    keep = answers.get("inputs")
    return BuildBrief(
        intent=state.brief,
        audience=text_of(answers.get(audience_id)) if audience_id else "",
        industry=detect_industry(state.brief),
        kind=template.kind,
        key_inputs=[str(k) for k in keep] if isinstance(keep, list) else [],
        result_style=_label(answers.get("result_style"), RESULT_STYLES, "chart"),
        lead_capture=_label(answers.get("lead_timing"), LEAD_TIMING, template.lead_capture.mode),
        template_id=template.id,
        explanation=why,
    )


def _label(value: Any, table: dict[str, str], default: str) -> str:
    text = text_of(value)
    return text if text in table.values() else table.get(text, default)


def build(brief: BuildBrief, state: ConversationState) -> dict[str, Any]:
    """The builder's output: the brief's template instantiated with the answers."""
    template_id = brief.template_id or score_templates(brief.intent)[0].template_id
    tool, notes = instantiate(get_template(template_id), brief, state.answers)
    return {"definition": tool.model_dump(mode="json"), "notes": " ".join(notes)}


def edit(definition: dict[str, Any], request: str) -> dict[str, Any]:
    """The editor's output: a JSON Patch for a known command, or a refusal sentence."""
    tool = parse_tool(definition)
    try:
        changed, summary = apply_edit(tool, request)
    except NeedsModel as exc:
        return EditProposal(summary="", unsupported=exc.message).model_dump()
    patch = jsonpatch.make_patch(definition, changed.model_dump(mode="json"))
    return EditProposal(summary=summary, patch=list(patch)).model_dump()
