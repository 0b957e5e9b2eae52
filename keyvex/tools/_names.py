"""Which names a tool's formulas and texts may use, and which names each part refers to."""

from __future__ import annotations

from collections.abc import Iterator

from keyvex.tools._common import SCORE_NAMES
from keyvex.tools.definition import ToolDefinition
from keyvex.tools.results import ChartBlock, CtaBlock, HeadlineBlock, MetricBlock, TextBlock

PLACEHOLDER_PATTERN = r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"


def input_names(tool: ToolDefinition) -> set[str]:
    return {i.id for i in tool.inputs} | {c.id for c in tool.constants}


def formula_names(tool: ToolDefinition) -> set[str]:
    """Names calculations and outcome conditions can read."""
    names = input_names(tool) | {c.id for c in tool.calculations} | set(tool.categories)
    if tool.scoring is not None:
        names |= SCORE_NAMES
    return names


def texts(tool: ToolDefinition) -> Iterator[tuple[str, str]]:
    """Every (path, text) that may hold {{placeholders}} shown to visitors."""
    for index, block in enumerate(tool.results):
        path = f"results[{index}]"
        if isinstance(block, HeadlineBlock):
            yield f"{path}.text", block.text
            yield f"{path}.subtext", block.subtext
        elif isinstance(block, TextBlock):
            yield f"{path}.text", block.text
        elif isinstance(block, MetricBlock):
            yield f"{path}.description", block.description
        elif isinstance(block, CtaBlock):
            yield f"{path}.text", block.text
    for index, outcome in enumerate(tool.outcomes):
        yield f"outcomes[{index}].description", outcome.description
        for k, text in enumerate(outcome.recommendations):
            yield f"outcomes[{index}].recommendations[{k}]", text
    for index, category in enumerate(tool.scoring.categories if tool.scoring else []):
        yield f"scoring.categories[{index}].recommendation", category.recommendation


def block_refs(tool: ToolDefinition) -> Iterator[tuple[str, str]]:
    """(path, name) of metric values and chart series."""
    for index, block in enumerate(tool.results):
        if isinstance(block, MetricBlock):
            yield f"results[{index}].value", block.value
        elif isinstance(block, ChartBlock):
            for k, name in enumerate(block.series):
                yield f"results[{index}].series[{k}]", name
