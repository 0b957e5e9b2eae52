"""The conversation is planned in one request: answers that follow the plan cost no model
request, an answer in the creator's own words re-plans, and a model-built tool takes at most
three requests (plan, build, one repair)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from keyvex.ai import list_usage, use_models
from keyvex.clock import now_iso
from keyvex.knowledge import Slots, compose, find_plan, understand

BRIEF = "A GDPR readiness scorecard"  # says no audience: the planner asks for one


def _processes(server: Any) -> list[str]:
    records = anyio.run(list_usage, server.state, now_iso()[:10])
    return [r["process"] for r in records]


def test_answers_that_follow_the_plan_need_one_conversation_request(
    server: Any, creator: Any
) -> None:
    sid = creator.start(BRIEF)
    events = creator.answer_all(sid, after=0)
    assert sum(e["event"] == "question" for e in events) >= 4
    assert _processes(server).count("conversation") == 1
    assert _processes(server).count("builder") == 1


def test_an_answer_in_the_creator_s_own_words_re_plans(server: Any, creator: Any) -> None:
    sid = creator.start(BRIEF)

    def own_words(question: Any) -> Any:
        return "beekeeping clubs" if question.id == "audience" else None

    creator.answer_all(sid, after=0, choose=own_words)
    assert _processes(server).count("conversation") == 2
    said = [m["text"] for m in creator.session(sid)["messages"] if m["role"] == "user"]
    assert "beekeeping clubs" in said


def _scripted(answers: list[dict[str, Any]]) -> FunctionModel:
    """A model answering each request with the next scripted output (streamed or not)."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        args = json.dumps(answers.pop(0))
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, args)])

    async def stream(
        messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[DeltaToolCalls]:
        args = json.dumps(answers.pop(0))
        yield {0: DeltaToolCall(name=info.output_tools[0].name, json_args=args)}

    return FunctionModel(respond, stream_function=stream)


def test_a_model_built_tool_takes_at_most_three_requests(server: Any, creator: Any) -> None:
    question = {
        "id": "audience",
        "prompt": "Who is it for?",
        "input_type": "text",
        "default": "agencies",
    }
    colours = {
        "id": "colours",
        "prompt": "Which colours?",
        "input_type": "select",
        "options": [{"value": "blue", "label": "Blue"}, {"value": "red", "label": "Red"}],
        "default": "blue",
    }
    brief = {"intent": BRIEF, "kind": "assessment", "audience": "agencies"}
    plan = {
        "kind": "question",
        "message": "Two questions.",
        "question": question,
        "plan": [colours],
        "build_brief": brief,
    }
    tool = compose(find_plan("gdpr-readiness", understand(BRIEF)), Slots())
    broken = tool.model_dump(mode="json")
    broken["outcomes"][0]["recommendations"] = []
    broken["results"][0]["text"] = "Score {{no_such_value}}"
    use_models(server.state, "conversation", ("openai:scripted", _scripted([plan])))
    use_models(server.state, "builder", ("openai:scripted", _scripted([
        {"definition": broken, "notes": "first try"},
        {"definition": tool.model_dump(mode="json"), "notes": "repaired"},
    ])))  # fmt: skip
    sid = creator.start(BRIEF)
    events = creator.answer_all(sid, after=0)
    assert [e["data"]["question"]["id"] for e in events if e["event"] == "question"] == [
        "audience",
        "colours",
    ]
    built = next(e["data"] for e in events if e["event"] == "tool")
    assert built["errors"] == 0 and built["fit"]["level"] in ("high", "medium")
    processes = _processes(server)
    assert processes.count("conversation") == 1 and processes.count("builder") == 2
    assert len(processes) <= 3
