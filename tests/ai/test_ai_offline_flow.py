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
from keyvex.knowledge import Slots, compose, find_plan, knowledge_base, understand
from keyvex.tools import ToolDefinition, verify
from keyvex.tools._contrast import AA_TEXT, contrast_ratio

from .conftest import ProgressLog, converse

pytestmark = pytest.mark.anyio

BRIEF = (
    "A calculator showing restaurant owners how much time and money they save by "
    "outsourcing their books"
)


async def test_offline_flow_asks_at_most_six_questions_then_builds_a_verified_tool(
    ctx: AIContext, progress: ProgressLog
) -> None:
    turn, state = await converse(ctx, BRIEF)
    assert 3 <= len(state.asked) <= MAX_QUESTIONS
    asked = [q.id for q in state.asked]
    assert "audience" not in asked, "the brief already names restaurant owners"
    brief = turn.build_brief
    assert brief is not None and brief.template_id == "outsourcing-cost/bookkeeping"
    assert brief.industry == "Restaurants" and brief.audience == "restaurant owners"
    result = await build_tool(ctx, brief, state, progress)
    assert result.report.errors == []
    assert "bookkeeping" in result.definition.title.lower()
    assert "restaurant" in result.definition.title.lower()
    assert result.template_id == "outsourcing-cost/bookkeeping"
    assert result.fit["level"] == "high" and result.fit["missing"] == []
    assert (result.attempts, result.fell_back) == (1, False)
    assert progress.stages[0] == "planning" and "verifying" in progress.stages


async def test_first_question_says_what_was_understood_and_where_the_tool_comes_from(
    ctx: AIContext,
) -> None:
    turn = await next_turn(ctx, ConversationState(brief="GDPR readiness scorecard for agencies"))
    assert turn.kind == "question" and turn.question is not None
    assert "kind: assessment" in turn.message and "audience: agencies" in turn.message
    assert "GDPR" in turn.message and "'gdpr'" in turn.message


async def test_what_was_understood_keeps_names_in_their_case(ctx: AIContext) -> None:
    brief = "Scorecard: how ready is a small manufacturer for ISO 9001 certification?"
    turn = await next_turn(ctx, ConversationState(brief=brief))
    assert "subject: ISO 9001 certification" in turn.message  # not "iso 9001 certification"


async def test_a_brief_outside_the_knowledge_base_is_told_so_plainly(ctx: AIContext) -> None:
    brief = "A readiness scorecard for hobby beekeepers before winter"
    turn = await next_turn(ctx, ConversationState(brief=brief))
    assert "nothing reviewed on beekeepers" in turn.message or "nothing reviewed" in turn.message


@pytest.mark.parametrize("how", ["flag", "words"])
async def test_just_build_it_builds_at_once(ctx: AIContext, how: str) -> None:
    brief = "GDPR readiness scorecard" + (" - just build it" if how == "words" else "")
    turn = await next_turn(ctx, ConversationState(brief=brief, build_now=how == "flag"))
    assert turn.kind == "ready" and turn.build_brief is not None
    assert turn.build_brief.template_id == "gdpr-readiness"


async def test_a_stated_count_is_respected_and_not_asked_again(
    ctx: AIContext, progress: ProgressLog
) -> None:
    brief = "GDPR scorecard for law firms with 3 areas and 9 questions. I sell GDPR audits."
    turn, state = await converse(ctx, brief)
    assert "length" not in [q.id for q in state.asked]
    assert turn.build_brief is not None
    result = await build_tool(ctx, turn.build_brief, state, progress)
    tool = result.definition
    assert len(tool.inputs) == 9 and tool.scoring is not None and len(tool.scoring.categories) == 3
    assert "firm" in tool.title.lower()
    assert any("9 questions" in c for c in result.fit["covered"])
    assert any("GDPR audits" in c for c in result.fit["covered"])  # the creator's casing


async def test_answers_adapt_colours_lead_capture_currency_and_inputs(
    ctx: AIContext, progress: ProgressLog
) -> None:
    answers = {
        "inputs": ["hours_per_month", "hourly_cost", "provider_fee"],
        "currency": "EUR",
        "brand_colors": ["#ffd700", "#fffbea"],
        "lead_timing": "Before they see results",
        "result_style": "figures",
        "next_step": {"label": "Get a payroll quote", "url": "https://example.org/quote"},
    }
    turn, state = await converse(ctx, "Payroll outsourcing calculator for cafe owners", answers)
    assert turn.build_brief is not None
    result = await build_tool(ctx, turn.build_brief, state, progress)
    tool = result.definition
    assert result.report.errors == []
    assert "payroll" in tool.title.lower()
    assert tool.currency == "EUR" and tool.lead_capture.mode == "before_results"
    assert [i.id for i in tool.inputs] == answers["inputs"]
    assert "tools_cost" in {c.id for c in tool.constants}
    assert not any(block.type == "chart" for block in tool.results)
    cta = next(b for b in tool.results if b.type == "cta")
    assert (cta.label, cta.url) == ("Get a payroll quote", "https://example.org/quote")
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
    ('change the title to "Your bookkeeping cost check"',
     lambda t: t.title == "Your bookkeeping cost check"),
    ("set the headline to: You could save {{annual_saving}} a year",
     lambda t: t.results[0].text == "You could save {{annual_saving}} a year"),
    ("change the CTA text to 'Book a bookkeeping call'",
     lambda t: [b for b in t.results if b.type == "cta"][0].label == "Book a bookkeeping call"),
    ("turn off lead capture", lambda t: t.lead_capture.mode == "off"),
    ("ask for their email before the results", lambda t: t.lead_capture.mode == "before_results"),
    ("show euros", lambda t: t.currency == "EUR"),
    ("use pounds", lambda t: t.currency == "GBP"),
    ("remove the mistakes cost input and use 800 instead",
     lambda t: "mistakes_cost" not in [i.id for i in t.inputs]
     and {c.id: c.value for c in t.constants}["mistakes_cost"] == 800),
]  # fmt: skip


@pytest.mark.parametrize(("request_text", "check"), EDITS, ids=[e[0] for e in EDITS])
async def test_offline_editor_command_gives_a_verified_patch(
    ctx: AIContext, progress: ProgressLog, request_text: str, check: object
) -> None:
    tool = await _built(ctx, progress, "Bookkeeping outsourcing calculator")
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
    tool = await _built(ctx, progress, "Which pricing model fits me? A quiz for freelancers")
    result = await edit_tool(ctx, tool, "remove the risk question", progress)
    assert "risk" not in [i.id for i in result.definition.inputs]
    assert result.report.errors == []


async def test_other_requests_need_an_ai_model(ctx: AIContext, progress: ProgressLog) -> None:
    tool = await _built(ctx, progress, "Cleaning outsourcing calculator")
    with pytest.raises(NeedsModel, match="needs an AI model"):
        await edit_tool(ctx, tool, "rewrite every question as a limerick", progress)


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


def _entries() -> list[tuple[str, str]]:
    kb = knowledge_base()
    briefs = [
        (f"{m.title} ({v.id})", m.id + "/" + v.id) for m in kb.calculators for v in m.variants
    ]
    briefs += [(e.title, e.id) for e in (*kb.assessments, *kb.outcomes, *kb.facts)]
    return briefs


@pytest.mark.parametrize(("title", "source"), _entries(), ids=[s for _, s in _entries()])
@pytest.mark.parametrize("variant", ["defaults", "changed"])
def test_every_knowledge_base_entry_builds_a_verified_tool_through_the_planner(
    title: str, source: str, variant: str
) -> None:
    u = understand(title)
    plan = find_plan(source, u)
    draft = compose(plan, Slots())
    questions = plan_questions(plan, u, draft)
    answers = {q.id: q.default for q in questions}
    if variant == "changed":
        answers |= {
            "brand_colors": "ember",
            "lead_timing": "Don't ask for an email",
            "result_style": "summary",
            "currency": "GBP",
            "length": "6",
        }
        if "inputs" in answers:
            answers["inputs"] = answers["inputs"][:-1]
    brief = BuildBrief(intent=title, kind=draft.kind, template_id=source)
    output = build(brief, ConversationState(brief=title, answers=answers))
    tool = ToolDefinition.model_validate(output["definition"])
    assert output["source"] == source
    assert verify(tool).errors == []
    assert len(questions) <= MAX_QUESTIONS
