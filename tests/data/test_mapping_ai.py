"""AI refinement of field mappings: offline keeps the heuristics, a model's answer is validated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic_ai.models
import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from keyvex.ai import AIContext, list_usage, use_models
from keyvex.app import App, build_app
from keyvex.clock import now_iso
from keyvex.data import Dataset
from keyvex.data.analysis import Analysis, analyze, mapping_agent, refine_mappings
from keyvex.settings import Settings
from keyvex.tools import ToolDefinition, get_template

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_app(tmp_path: Path, **settings: Any) -> Iterator[App]:
    app = build_app(Settings(env="test", data_dir=tmp_path / "data", **settings))
    yield app
    app.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from make_app(tmp_path)


@pytest.fixture
def keyed_app(tmp_path: Path) -> Iterator[App]:
    yield from make_app(tmp_path, openai_api_key="sk-test")


TOOL = get_template("business-valuation-estimate")
ROWS: list[list[Any]] = [
    ["services", "4", "$1,200,000", "Consulting"],
    ["saas", "8", "$800,000", "Software"],
    ["retail", "3.5", "$600,000", "Shops"],
]


def sector_analysis(tool: ToolDefinition | None = TOOL) -> Analysis:
    columns = ["Sector", "Valuation factor", "Revenue", "Notes"]
    return analyze(Dataset(columns=columns, rows=ROWS), tool=tool)


class Answer:
    """A FunctionModel body answering with fixed mappings and keeping what it was sent."""

    def __init__(self, mappings: list[dict[str, Any]]) -> None:
        self.mappings = mappings
        self.prompts: list[dict[str, Any]] = []

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        part = messages[-1].parts[-1]
        assert isinstance(part, UserPromptPart) and isinstance(part.content, str)
        self.prompts.append(json.loads(part.content))
        args = json.dumps({"mappings": self.mappings})
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, args)])


def mapping(column: str, target: str, kind: str = "lookup_value") -> dict[str, Any]:
    return {"column": column, "target": target, "target_kind": kind, "confidence": 0.9,
            "reason": "the factor is the industry multiple"}  # fmt: skip


async def test_with_only_the_offline_planner_the_heuristics_are_the_answer(app: App) -> None:
    analysis = sector_analysis()
    refined = await refine_mappings(analysis, TOOL, AIContext(app, user_id="u1"))
    assert refined == analysis
    assert await list_usage(app, now_iso()[:10]) == []


async def test_a_model_answer_replaces_the_heuristic_mapping_of_its_column(app: App) -> None:
    answer = Answer(
        [
            mapping("Valuation factor", "industry_multiples.multiple"),
            mapping("Sector", "industry_multiples.industry", "lookup_key"),
        ]
    )
    use_models(app, "data_mapping", ("openai:scripted", FunctionModel(answer)))
    analysis = sector_analysis()
    assert "Valuation factor" not in {m.column for m in analysis.field_mappings}
    refined = await refine_mappings(analysis, TOOL, AIContext(app, user_id="u1"))
    factor = [m for m in refined.field_mappings if m.column == "Valuation factor"]
    assert [(m.target, m.target_kind) for m in factor] == [
        ("industry_multiples.multiple", "lookup_value")
    ]
    assert factor[0].reason == "AI: the factor is the industry multiple"
    sector = [m for m in refined.field_mappings if m.column == "Sector"]
    assert [m.target for m in sector] == ["industry_multiples.industry"]
    [record] = await list_usage(app, now_iso()[:10])
    assert (record["process"], record["provider"], record["success"]) == (
        "data_mapping",
        "openai",
        True,
    )


async def test_unknown_columns_and_targets_in_the_answer_are_dropped(app: App) -> None:
    answer = Answer(
        [
            mapping("Turnover", "annual_revenue", "input"),  # no such column
            mapping("Revenue", "yearly_sales", "input"),  # no such target
            mapping("Revenue", "annual_revenue", "lookup_key"),  # real: kind corrected
        ]
    )
    use_models(app, "data_mapping", ("openai:scripted", FunctionModel(answer)))
    refined = await refine_mappings(sector_analysis(), TOOL, AIContext(app))
    columns = {m.column for m in refined.field_mappings}
    assert "Turnover" not in columns
    assert all(m.target != "yearly_sales" for m in refined.field_mappings)
    revenue = [m for m in refined.field_mappings if m.column == "Revenue"]
    assert [(m.target, m.target_kind) for m in revenue] == [("annual_revenue", "input")]


async def test_the_model_sees_column_summaries_with_at_most_five_samples(app: App) -> None:
    answer = Answer([])
    use_models(app, "data_mapping", ("openai:scripted", FunctionModel(answer)))
    rows = [[f"row {i}", str(i)] for i in range(50)]
    analysis = analyze(Dataset(columns=["Name", "Score"], rows=rows))
    await refine_mappings(analysis, None, AIContext(app))
    [prompt] = answer.prompts
    assert prompt["task"] == "data_mapping" and prompt["tool"] is None
    assert [c["name"] for c in prompt["columns"]] == ["Name", "Score"]
    assert all(len(c["samples"]) <= 5 for c in prompt["columns"])
    assert "row 7" not in json.dumps(prompt)


async def test_without_a_tool_targets_must_be_identifiers(app: App) -> None:
    answer = Answer([mapping("Sector", "sector key", "lookup_key"), mapping("Notes", "notes")])
    use_models(app, "data_mapping", ("openai:scripted", FunctionModel(answer)))
    refined = await refine_mappings(sector_analysis(None), None, AIContext(app))
    by_column = {m.column: m for m in refined.field_mappings}
    assert by_column["Sector"].reason.startswith("AI: ") is False
    assert by_column["Notes"].reason.startswith("AI: ")


async def test_a_configured_model_can_be_overridden_on_the_agent(keyed_app: App) -> None:
    answer = Answer([mapping("Valuation factor", "industry_multiples.multiple")])
    with mapping_agent.override(model=FunctionModel(answer)):
        refined = await refine_mappings(sector_analysis(), TOOL, AIContext(keyed_app))
    assert len(answer.prompts) == 1
    assert any(m.reason.startswith("AI: ") for m in refined.field_mappings)
