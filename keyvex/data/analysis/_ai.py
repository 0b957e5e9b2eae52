"""AI refinement of field mappings through the ``data_mapping`` process, validated and merged.

The model sees column summaries only (name, type, emptiness, cardinality, range and at most
five sample values), never the rows. With only the offline planner configured the heuristic
mappings are the answer and no model is called.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field
from pydantic_ai import Agent

from keyvex.ai.models import AIContext
from keyvex.ai.registry import Process
from keyvex.ai.side import run_on_live_models
from keyvex.data.analysis._mapping import targets
from keyvex.data.analysis.models import Analysis, FieldMapping, TargetKind
from keyvex.tools import ToolDefinition

PROCESS: Process = "data_mapping"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")

INSTRUCTIONS = """\
You map the columns of a creator's data to an interactive tool (calculator, quiz or assessment).
The user message is JSON: {"task": "data_mapping", "columns": [...], "tool": {...} or null,
"heuristic": [...]}. Each column has a name, type, null_pct, distinct_count, min, max and up to
five sample values. With a tool, map columns to its inputs (target = input id, target_kind
"input") and its tables (target = "table.column", target_kind "lookup_key" for the table's key
column, else "lookup_value"). Without a tool, give each useful column a role: "lookup_key" (one
unique column naming each row), "lookup_value" (values to compute with or show) or "filter"
(values a visitor picks from or a range), with an identifier as target. Use only the column
names and targets given. Improve on the heuristic mappings; give each a confidence (0-1) and a
short reason."""


class ProposedMapping(BaseModel):
    """One mapping as the model proposes it (validated before use)."""

    column: str
    target: str
    target_kind: TargetKind
    confidence: float = Field(ge=0, le=1)
    reason: str = Field(default="", max_length=300)


class MappingProposal(BaseModel):
    """The data_mapping agent's answer."""

    mappings: list[ProposedMapping]


mapping_agent = Agent(
    None, output_type=MappingProposal, instructions=INSTRUCTIONS, name=PROCESS, retries=1
)


async def refine_mappings(
    analysis: Analysis, tool: ToolDefinition | None, ctx: AIContext
) -> Analysis:
    """``analysis`` with the AI's valid mappings merged in (heuristics kept when offline,
    when the model fails, or for columns the model left out)."""
    prompt = json.dumps(payload(analysis, tool))
    result = await run_on_live_models(ctx, PROCESS, mapping_agent, prompt)
    if result is None:
        return analysis
    accepted = validated(result.output.mappings, analysis, tool)
    return analysis.model_copy(update={"field_mappings": merged(analysis.field_mappings, accepted)})


def payload(analysis: Analysis, tool: ToolDefinition | None) -> dict[str, Any]:
    """What the model is told: column summaries, the tool's targets, the heuristic answer."""
    keep = ("name", "type", "null_pct", "distinct_count", "min", "max", "samples", "currency")
    columns = [c.model_dump(mode="json", include=set(keep)) for c in analysis.columns]
    described = None
    if tool is not None:
        described = {
            "kind": tool.kind,
            "inputs": [
                {
                    "id": i.id,
                    "label": i.label,
                    "type": i.type,
                    "options": [o.value for o in i.options],
                }
                for i in tool.inputs
            ],
            "tables": [
                {"name": t.name, "columns": t.columns, "key_column": t.key_column or t.columns[0]}
                for t in tool.tables
            ],
        }
    heuristic = [m.model_dump(mode="json") for m in analysis.field_mappings]
    return {"task": "data_mapping", "columns": columns, "tool": described, "heuristic": heuristic}


def validated(
    proposed: list[ProposedMapping], analysis: Analysis, tool: ToolDefinition | None
) -> list[FieldMapping]:
    """The proposals naming a real column and a real target (unknown ones dropped)."""
    columns = {c.name for c in analysis.columns}
    kinds: dict[str, TargetKind] = {t.target: t.kind for t in targets(tool)} if tool else {}
    accepted: list[FieldMapping] = []
    seen: set[tuple[str, str]] = set()
    for item in proposed:
        if item.column not in columns or (item.column, item.target) in seen:
            continue
        if tool is not None:
            if item.target not in kinds:
                continue
            kind = kinds[item.target]
        elif _IDENTIFIER.match(item.target):
            kind = item.target_kind
        else:
            continue
        seen.add((item.column, item.target))
        reason = f"AI: {item.reason.strip() or 'suggested by the model.'}"
        accepted.append(
            FieldMapping(
                column=item.column,
                target=item.target,
                target_kind=kind,
                confidence=item.confidence,
                reason=reason,
            )
        )
    return accepted


def merged(heuristic: list[FieldMapping], ai: list[FieldMapping]) -> list[FieldMapping]:
    """AI mappings replace the heuristic ones for their columns and targets."""
    columns = {m.column for m in ai}
    taken = {m.target for m in ai}
    kept = [m for m in heuristic if m.column not in columns and m.target not in taken]
    return ai + kept
