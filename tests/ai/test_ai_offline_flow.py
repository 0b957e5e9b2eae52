"""The whole offline journey: questions, a verified build, every offline edit, usage records."""

from __future__ import annotations

import pytest

from keyvex.ai import (
    AIContext,
    BuildBrief,
    ConversationState,
    NeedsModel,
    build_tool,
    edit_tool,
    list_usage,
    next_turn,
)
from keyvex.ai.planner import build
from keyvex.ai.planner._questions import MAX_QUESTIONS, plan_questions
from keyvex.clock import now_iso
from keyvex.tools import ToolDefinition, list_templates, verify
from keyvex.tools._contrast import AA_TEXT, contrast_ratio

from .conftest import ProgressLog, converse

pytestmark = pytest.mark.anyio

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"


async def test_offline_flow_asks_at_most_six_questions_then_builds_a_verified_tool(
    ctx: AIContext, progress: ProgressLog
) -> None:
    turn, state = await converse(ctx, BRIEF)
    assert 3 <= len(state.asked) <= MAX_QUESTIONS
    assert "dental" in state.asked[0].prompt.lower() or state.asked[0].id == "practice_type"
    brief = turn.build_brief
    assert brief is not None and brief.template_id == "missed-recall-cost-calculator"
    assert "dental" in brief.explanation and brief.industry == "Dental practices"
    result = await build_tool(ctx, brief, state, progress)
    assert result.report.errors == []
    assert result.template_id == "missed-recall-cost-calculator"
    assert (result.attempts, result.fell_back) == (1, False)
    assert progress.stages[0] == "planning" and "verifying" in progress.stages


async def test_first_question_explains_the_template_choice(ctx: AIContext) -> None:
    turn = await next_turn(ctx, ConversationState(brief="Leadership style quiz for founders"))
    assert turn.kind == "question" and turn.question is not None
    assert "What kind of leader are you?" in turn.message


@pytest.mark.parametrize("how", ["flag", "words"])
async def test_just_build_it_builds_at_once(ctx: AIContext, how: str) -> None:
    brief = "Cyber security scorecard" + (" - just build it" if how == "words" else "")
    turn = await next_turn(ctx, ConversationState(brief=brief, build_now=how == "flag"))
    assert turn.kind == "ready" and turn.build_brief is not None
    assert turn.build_brief.template_id == "cyber-security-scorecard"


async def test_answers_adapt_title_colours_lead_capture_and_inputs(
    ctx: AIContext, progress: ProgressLog
) -> None:
    answers = {
        "offer": "A CRM rollout",
        "inputs": ["investment", "monthly_revenue_gain", "gross_margin", "months"],
        "currency": "EUR",
        "brand_colors": ["#ffd700", "#fffbea"],
        "lead_timing": "Before they see results",
        "result_style": "figures",
    }
    turn, state = await converse(ctx, "ROI calculator for a consulting engagement", answers)
    assert turn.build_brief is not None
    result = await build_tool(ctx, turn.build_brief, state, progress)
    tool = result.definition
    assert result.report.errors == []
    assert tool.title == "What return will a CRM rollout bring?"
    assert tool.currency == "EUR" and tool.lead_capture.mode == "before_results"
    assert [i.id for i in tool.inputs] == answers["inputs"]
    assert "monthly_cost_savings" in {c.id for c in tool.constants}
    assert not any(block.type == "chart" for block in tool.results)
    assert contrast_ratio(tool.theme.button_text, tool.theme.primary) >= AA_TEXT
    assert tool.theme.background == "#fffbea"


async def _built(ctx: AIContext, progress: ProgressLog, brief: str) -> ToolDefinition:
    turn = await next_turn(ctx, ConversationState(brief=brief, build_now=True))
    assert turn.build_brief is not None
    state = ConversationState(brief=brief, build_now=True)
    return (await build_tool(ctx, turn.build_brief, state, progress)).definition


EDITS = [
    ("make the button green", lambda t: t.theme.primary == "#15803d"),
    ("Make the background navy", lambda t: t.theme.background == "#1e3a8a"),
    ('change the title to "Your practice leak check"',
     lambda t: t.title == "Your practice leak check"),
    ("set the headline to: You could win back {{recoverable}} a year",
     lambda t: t.results[0].text == "You could win back {{recoverable}} a year"),
    ("change the CTA text to 'Book a recall audit'",
     lambda t: [b for b in t.results if b.type == "cta"][0].label == "Book a recall audit"),
    ("turn off lead capture", lambda t: t.lead_capture.mode == "off"),
    ("ask for their email before the results", lambda t: t.lead_capture.mode == "before_results"),
    ("show euros", lambda t: t.currency == "EUR"),
    ("use pounds", lambda t: t.currency == "GBP"),
    ("remove the treatment value input",
     lambda t: "treatment_value" not in [i.id for i in t.inputs]),
]  # fmt: skip


@pytest.mark.parametrize(("request_text", "check"), EDITS, ids=[e[0] for e in EDITS])
async def test_offline_editor_command_gives_a_verified_patch(
    ctx: AIContext, progress: ProgressLog, request_text: str, check: object
) -> None:
    tool = await _built(ctx, progress, "Dental missed recall cost calculator")
    result = await edit_tool(ctx, tool, request_text, progress)
    assert result.report.errors == [] and verify(result.definition).errors == []
    assert result.patch and result.summary
    assert callable(check) and check(result.definition)
    theme = result.definition.theme
    assert contrast_ratio(theme.button_text, theme.primary) >= AA_TEXT
    assert contrast_ratio(theme.text, theme.background) >= AA_TEXT


async def test_removing_a_quiz_question_keeps_the_quiz_valid(
    ctx: AIContext, progress: ProgressLog
) -> None:
    tool = await _built(ctx, progress, "Leadership style quiz")
    result = await edit_tool(ctx, tool, "remove the mistake question", progress)
    assert "mistake" not in [i.id for i in result.definition.inputs]
    assert result.report.errors == []


async def test_other_requests_need_an_ai_model(ctx: AIContext, progress: ProgressLog) -> None:
    tool = await _built(ctx, progress, "Break-even calculator")
    with pytest.raises(NeedsModel, match="needs an AI model"):
        await edit_tool(ctx, tool, "add an input for team size", progress)


async def test_every_offline_call_is_recorded_at_zero_cost(
    ctx: AIContext, progress: ProgressLog
) -> None:
    turn, state = await converse(ctx, BRIEF)
    assert turn.build_brief is not None
    result = await build_tool(ctx, turn.build_brief, state, progress)
    await edit_tool(ctx, result.definition, "make the button green", progress)
    records = await list_usage(ctx.app, now_iso()[:10])
    processes = [r["process"] for r in records]
    assert processes.count("conversation") == len(state.asked) + 1
    assert processes.count("builder") == 1 and processes.count("editor") == 1
    for record in records:
        assert record["provider"] == "offline" and record["cost_usd"] == 0
        assert record["success"] is True and record["fallback_used"] is False
        assert record["input_tokens"] > 0 and record["output_tokens"] > 0
        assert (record["user_id"], record["session_id"]) == ("user-1", "session-1")
        assert record["GSI1PK"] == f"PROCESS#{record['process']}"
        assert record["GSI2PK"] == "PROVIDER#offline"


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.id)
@pytest.mark.parametrize("variant", ["defaults", "changed"])
def test_every_template_instantiates_to_a_verified_tool(
    template: ToolDefinition, variant: str
) -> None:
    questions = plan_questions(template)
    answers = {q.id: q.default for q in questions}
    if variant == "changed":
        answers |= {
            "brand_colors": "ember",
            "lead_timing": "Don't ask for an email",
            "result_style": "summary",
            "currency": "GBP",
        }
        if "inputs" in answers:
            answers["inputs"] = answers["inputs"][:-1]
    brief = BuildBrief(intent=template.title, kind=template.kind, template_id=template.id)
    output = build(brief, ConversationState(brief=template.title, answers=answers))
    tool = ToolDefinition.model_validate(output["definition"])
    assert verify(tool).errors == []
    assert len(questions) <= MAX_QUESTIONS
