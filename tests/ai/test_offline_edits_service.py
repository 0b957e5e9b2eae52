"""Offline edits through the real service paths: the editor agent (verified, recorded) and the
co-creation change box of the real app on a live server, with no model configured; and
"already so" answers with a model that returns the tool unchanged."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from keyvex.ai import AIContext, NeedsModel, edit_tool, list_usage, use_models
from keyvex.clock import now_iso
from keyvex.settings import Settings
from keyvex.tools import ToolDefinition, get_template, verify
from keyvex.tools.templates import template_ids

from ..cocreate.conftest import Creator, LiveServer
from .conftest import ProgressLog

pytestmark = pytest.mark.anyio

SERVICE_EDITS = [
    ("time-savings-calculator", "add a question about number of locations",
     lambda t: t.inputs[-1].label == "Number of locations"),
    ("cyber-security-scorecard", "ask how often they review user access with options never, "
     "yearly, quarterly, monthly", lambda t: "review_user_access" in [i.id for i in t.inputs]),
    ("time-savings-calculator", "remove the staff count and use 5 instead",
     lambda t: {c.id: c.value for c in t.constants}.get("staff") == 5),
    ("time-savings-calculator", "rename the hourly cost question to 'Cost per hour'",
     lambda t: t.input("hourly_cost").label == "Cost per hour"),
    ("cyber-security-scorecard", "set the points for 'Every year' to 2",
     lambda t: t.input("phishing_training").options[2].points == 2),
    ("ai-readiness-assessment", "change the advice for the exploring tier to 'Pick one use case.'",
     lambda t: t.outcomes[0].recommendations == ["Pick one use case."]),
    ("roi-calculator", "point the call to action at https://example.com/book",
     lambda t: [b for b in t.results if b.type == "cta"][0].url == "https://example.com/book"),
    ("roi-calculator", "make the chart a pie chart",
     lambda t: [b for b in t.results if b.type == "chart"][0].chart == "donut"),
    ("email-marketing-quiz", "move question 5 to the top",
     lambda t: t.steps[0].inputs == ["welcome"]),
    ("roi-calculator", "ask for the email before the results",
     lambda t: t.lead_capture.mode == "before_results"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("template", "request_text", "check"), SERVICE_EDITS, ids=[e[1][:40] for e in SERVICE_EDITS]
)
async def test_the_editor_service_applies_offline_structural_edits_verified(
    ctx: AIContext, progress: ProgressLog, template: str, request_text: str, check: Any
) -> None:
    result = await edit_tool(ctx, get_template(template), request_text, progress)
    assert result.patch and result.summary and not result.summary.startswith("Already so")
    assert result.report.errors == [] and verify(result.definition).errors == []
    assert check(result.definition)
    assert "verifying" in progress.stages


@pytest.mark.parametrize("template", template_ids())
async def test_every_template_takes_structural_edits_through_the_service(
    ctx: AIContext, progress: ProgressLog, template: str
) -> None:
    tool = get_template(template)
    added = "add a question about number of locations"
    if tool.scoring is not None and tool.scoring.quiz_type == "knowledge":
        added = "add a yes/no question 'Is SPF a DNS record?', correct answer yes"
    elif tool.scoring is not None and tool.scoring.quiz_type == "outcome":
        first, second = tool.outcomes[0].title, tool.outcomes[1].title
        added = f"ask whether they plan ahead with options 'Yes' for {first}, 'No' for {second}"
    for request_text in (added, "move the last question to the top", "don't ask for email"):
        result = await edit_tool(ctx, tool, request_text, progress)
        assert result.report.errors == [] and result.patch, (template, request_text)
        tool = result.definition
    assert tool.lead_capture.mode == "off"


async def test_removing_an_input_formulas_use_is_refused_by_the_service(
    ctx: AIContext, progress: ProgressLog
) -> None:
    with pytest.raises(NeedsModel) as caught:
        await edit_tool(ctx, get_template("break-even-calculator"), "remove the price", progress)
    assert "margin_per_unit" in caught.value.message and "use 120 instead" in caught.value.message


async def test_an_already_true_request_answers_already_so_offline(
    ctx: AIContext, progress: ProgressLog
) -> None:
    green = await edit_tool(ctx, get_template("roi-calculator"), "make the button green", progress)
    tool = green.definition
    result = await edit_tool(ctx, tool, "make the button green", progress)
    assert result.summary.startswith("Already so:") and "green" in result.summary
    assert result.patch == [] and result.definition == tool and result.report.errors == []
    records = [r for r in await list_usage(ctx.app, now_iso()[:10]) if r["process"] == "editor"]
    assert [r["success"] for r in records] == [True, True]  # one request each, no retries


class Unchanged:
    """A model that answers every edit with the tool exactly as it was sent."""

    def __init__(self, **answer: Any) -> None:
        self.answer = answer
        self.calls = 0

    def _args(self, messages: list[ModelMessage]) -> str:
        self.calls += 1
        if self.answer:
            return json.dumps(self.answer)
        request = messages[0].parts[-1].content  # type: ignore[union-attr]
        definition = json.loads(request)["definition"]  # type: ignore[arg-type]
        return json.dumps({"summary": "Made the button green.", "definition": definition})

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, self._args(messages))])

    async def stream(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[DeltaToolCalls]:
        yield {0: DeltaToolCall(name=info.output_tools[0].name, json_args=self._args(messages))}

    def model(self) -> FunctionModel:
        return FunctionModel(self, stream_function=self.stream)


async def _green(ctx: AIContext, progress: ProgressLog) -> ToolDefinition:
    return (
        await edit_tool(ctx, get_template("roi-calculator"), "make it green", progress)
    ).definition


async def test_a_model_returning_the_unchanged_tool_answers_already_so(
    ctx: AIContext, progress: ProgressLog
) -> None:
    tool = await _green(ctx, progress)
    model = Unchanged()
    use_models(ctx.app, "editor", ("openai:gpt-test", model.model()))
    result = await edit_tool(ctx, tool, "make the button green", progress)
    assert result.summary.startswith("Already so:") and "nothing changed" in result.summary
    assert result.patch == [] and result.definition == tool and model.calls == 1


async def test_a_model_saying_already_so_with_no_patch_is_not_retried(
    ctx: AIContext, progress: ProgressLog
) -> None:
    tool = await _green(ctx, progress)
    model = Unchanged(summary="Already so: the button is already green.", patch=[])
    use_models(ctx.app, "editor", ("anthropic:claude-test", model.model()))
    result = await edit_tool(ctx, tool, "green buttons please", progress)
    assert result.summary == "Already so: the button is already green."
    assert result.patch == [] and model.calls == 1


# ---- the co-creation change box of the real app ----------------------------------------------


@pytest.fixture
def server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(settings) as live:
        yield live


@pytest.fixture
def creator(server: LiveServer) -> Iterator[Creator]:
    person = Creator(server, "erin@example.com")
    yield person
    person.close()


def _change(creator: Creator, sid: str, after: int, request: str) -> list[dict[str, Any]]:
    response = creator.post(f"/create/sessions/{sid}/changes", {"request": request})
    assert response.status_code == 202, response.text
    return creator.events(sid, after=after)


def _said(events: list[dict[str, Any]]) -> str:
    return "".join(e["data"].get("delta", "") for e in events if e["event"] == "text")


def test_the_change_box_makes_structural_edits_and_answers_already_so(creator: Creator) -> None:
    sid = creator.start("Break-even calculator for restaurants", build_now=True)
    events = creator.events(sid, after=0)
    tool_id = next(e["data"] for e in events if e["event"] == "tool")["tool_id"]

    # A request the offline editor cannot do names it and points at this tool's editor.
    events = _change(creator, sid, events[-1]["id"], "remove the average price per customer")
    error = next(e["data"]["message"] for e in events if e["event"] == "error")
    assert "margin_per_unit" in error and "monthly_revenue" in error
    assert f"(Edit tool, /dashboard/tools/{tool_id}/edit)" in error
    assert "tool" not in [e["event"] for e in events]

    # Said with a value (the one the refusal suggests), the input becomes a constant.
    suggested = re.search(r"and use (\S+) instead", error)
    assert suggested is not None, error
    request = f"remove the price and use {suggested.group(1)} instead"
    events = _change(creator, sid, events[-1]["id"], request)
    version = next(e["data"] for e in events if e["event"] == "tool")
    assert version["version"] == 2 and version["errors"] == 0

    events = _change(creator, sid, events[-1]["id"], "add a question about number of locations")
    assert next(e["data"] for e in events if e["event"] == "tool")["version"] == 3
    assert "Number of locations" in _said(events)

    # Already true: a clear answer, no error and no new version.
    events = _change(creator, sid, events[-1]["id"], "add a question about number of locations")
    assert [e["event"] for e in events if e["event"] in ("tool", "error")] == []
    assert _said(events).startswith("Already so:")
    session = creator.session(sid)
    assert session["status"] == "ready" and session["tool_version"] == 3

    # The published page works out a number where the price was, never "not reachable".
    published = creator.post(f"/create/sessions/{sid}/publish")
    assert published.status_code == 200, published.text
    slug = published.json()["slug"]
    result = creator.post(f"/t/{slug}/result", {"answers": {}}, csrf=False)
    assert result.status_code == 200, result.text
    headline = result.json()["result"]["blocks"][0]["text"]
    assert "not reachable" not in headline and any(ch.isdigit() for ch in headline)


def test_with_a_model_the_change_box_answers_already_so_and_offers_the_editor_on_failure(
    server: LiveServer, creator: Creator
) -> None:
    sid = creator.start("An ROI calculator for dental practices", build_now=True)
    events = creator.events(sid, after=0)
    tool_id = next(e["data"] for e in events if e["event"] == "tool")["tool_id"]

    use_models(server.state, "editor", ("openai:gpt-test", Unchanged().model()))
    events = _change(creator, sid, events[-1]["id"], "make the button green")
    assert _said(events).startswith("Already so:")
    assert [e["event"] for e in events if e["event"] in ("tool", "error")] == []

    broken = {"summary": "Done.", "patch": [{"op": "replace", "path": "/nope", "value": 1}]}
    use_models(server.state, "editor", ("openai:gpt-test", Unchanged(**broken).model()))
    events = _change(creator, sid, events[-1]["id"], "make the button green")
    error = next(e["data"]["message"] for e in events if e["event"] == "error")
    assert "after 3 tries" in error and f"/dashboard/tools/{tool_id}/edit" in error
    assert creator.session(sid)["tool_version"] == 1
