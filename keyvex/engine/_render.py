"""Rendering result blocks: placeholders filled, metrics and chart points resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from keyvex.engine import _format
from keyvex.engine._result import ChartPoint, RenderedBlock
from keyvex.tools.definition import ToolDefinition
from keyvex.tools.results import (
    ChartBlock,
    CtaBlock,
    HeadlineBlock,
    MetricBlock,
    OutcomeBlock,
    RecommendationsBlock,
    ResultBlock,
    TableRecommendationsBlock,
    TextBlock,
    placeholder_host,
)

if TYPE_CHECKING:
    from keyvex.engine._result import Result


def render_blocks(tool: ToolDefinition, result: Result) -> list[RenderedBlock]:
    return [_render(tool, block, result) for block in tool.results]


def label_of(tool: ToolDefinition, name: str) -> str:
    """The human label of a calculation, category, input or score name."""
    for calc in tool.calculations:
        if calc.id == name:
            return calc.label
    for category in tool.scoring.categories if tool.scoring else []:
        if category.id == name:
            return category.title
    for item in tool.inputs:
        if item.id == name:
            return item.label
    return {"score": "Score", "score_percent": "Score", "max_score": "Maximum score"}.get(
        name, name
    )


def _render(tool: ToolDefinition, block: ResultBlock, result: Result) -> RenderedBlock:
    fill = result.display
    if isinstance(block, HeadlineBlock):
        return RenderedBlock(
            type="headline",
            text=_format.fill(block.text, fill),
            subtext=_format.fill(block.subtext, fill),
        )
    if isinstance(block, TextBlock):
        return RenderedBlock(type="text", text=_format.fill(block.text, fill))
    if isinstance(block, MetricBlock):
        return RenderedBlock(
            type="metric",
            label=block.label or label_of(tool, block.value),
            value=result.value(block.value),
            display=fill.get(block.value, ""),
            text=_format.fill(block.description, fill),
        )
    if isinstance(block, ChartBlock):
        return _chart(tool, block, result)
    if isinstance(block, OutcomeBlock):
        outcome = result.outcome
        title, text = (outcome.title, outcome.description) if outcome else ("", "")
        return RenderedBlock(type="outcome", title=title, text=text)
    if isinstance(block, RecommendationsBlock):
        return RenderedBlock(
            type="recommendations", title=block.title, items=result.recommendations
        )
    if isinstance(block, TableRecommendationsBlock):  # rows are chosen by run() (_tables)
        return RenderedBlock(type="table_recommendations", title=block.title)
    assert isinstance(block, CtaBlock)
    # No link to a placeholder domain reaches a page (runtime.js leaves a CTA without one out).
    url = "" if placeholder_host(block.url) is not None else block.url
    return RenderedBlock(
        type="cta", label=block.label, url=url, text=_format.fill(block.text, fill)
    )


def _chart(tool: ToolDefinition, block: ChartBlock, result: Result) -> RenderedBlock:
    names = block.series if block.source == "calculations" else tool.categories
    points = []
    for name in names:
        value = result.value(name)
        number = float(value) if isinstance(value, int | float) else None
        points.append(
            ChartPoint(
                id=name,
                label=label_of(tool, name),
                value=number,
                display=result.display.get(name, ""),
            )
        )
    top = block.max if block.max is not None else (100.0 if block.source == "categories" else None)
    return RenderedBlock(type="chart", chart=block.chart, title=block.title, points=points, max=top)
