"""The browser payload: the part of a published tool the public runtime needs, as safe JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from keyvex import formula
from keyvex.engine import CURRENCY_SYMBOLS, compile_tool, label_of
from keyvex.tools import ChartBlock, MetricBlock, ToolDefinition
from keyvex.tools.results import placeholder_host

# A step title that only counts ("Question 3 of 7"): the progress bar says it, always right.
_COUNTER = re.compile(r"^\s*[A-Za-z]+\s+\d+\s+(?:of|/)\s+\d+\s*$")
# Characters that could end the <script> element or confuse an HTML/JS parser.
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def ast(source: str | None) -> dict[str, Any] | None:
    """A formula's AST without source positions (the runtime does not need them)."""
    return None if source is None else _strip(formula.compile(source).to_json())


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k not in ("pos", "end")}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def steps_of(tool: ToolDefinition) -> list[dict[str, Any]]:
    """The pages the visitor goes through; quizzes without steps get one question per page."""
    if tool.steps:
        return [
            {"id": s.id, "title": s.title, "description": s.description, "inputs": s.inputs}
            for s in tool.steps
        ]
    if tool.kind == "calculator":
        return [
            {"id": "all", "title": "", "description": "", "inputs": [i.id for i in tool.inputs]}
        ]
    return [{"id": i.id, "title": "", "description": "", "inputs": [i.id]} for i in tool.inputs]


def _screen(
    inputs: list[str], step: int | None, title: str = "", description: str = "", kicker: str = ""
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "kicker": kicker,
        "inputs": inputs,
        "step": step,
    }


def screens_of(tool: ToolDefinition) -> list[dict[str, Any]]:
    """What the page shows at once, per ``presentation.layout``.

    One per screen: a quiz or assessment shows one question per screen (its declared step's
    title above it as a kicker), a calculator one declared step (or one input) per screen.
    All on one: the declared steps as titled sections, or one section with every input.
    ``step`` is the funnel step the screen counts as (keyvex.analytics counts declared
    steps, else a quiz's questions), None when the screen is not counted.
    """
    declared = [
        _screen(list(s.inputs), n + 1, s.title, s.description) for n, s in enumerate(tool.steps)
    ]
    if tool.presentation.layout_for(tool.kind) == "all_on_one":
        for screen in declared:
            screen["step"] = None
        return declared or [_screen([i.id for i in tool.inputs], None)]
    if tool.kind == "calculator":
        return declared or [_screen([i.id], None) for i in tool.inputs]
    if not declared:
        return [_screen([i.id], n + 1) for n, i in enumerate(tool.inputs)]
    screens = []
    for group in declared:
        for k, input_id in enumerate(group["inputs"]):
            described = group["description"] if k == 0 else ""
            kicker = "" if _COUNTER.match(group["title"]) else group["title"]
            screens.append(_screen([input_id], group["step"], "", described, kicker))
    return screens


def _input(tool: ToolDefinition, index: int) -> dict[str, Any]:
    item = tool.inputs[index]
    return {
        "id": item.id,
        "type": item.type,
        "label": item.label,
        "required": item.required,
        "default": item.default,
        "min": item.min,
        "max": item.max,
        "unit": item.unit,
        "currency": item.currency or tool.currency,
        # Points and correct answers stay on the server: the page never needs them.
        "options": [{"value": o.value, "label": o.label, "na": o.is_na} for o in item.options],
        "visible": ast(item.visible_if),
    }


def _labels(tool: ToolDefinition) -> dict[str, str]:
    names: set[str] = set()
    for block in tool.results:
        if isinstance(block, MetricBlock):
            names.add(block.value)
        elif isinstance(block, ChartBlock):
            names.update(block.series if block.source == "calculations" else tool.categories)
    return {name: label_of(tool, name) for name in sorted(names)}


def build_payload(tool: ToolDefinition, *, slug: str, version: int) -> dict[str, Any]:
    """Everything runtime.js reads; never test cases, follow-ups, points or bindings."""
    compiled = compile_tool(tool)
    calcs = [
        {
            "id": calc.id,
            "ast": ast(calc.formula),
            "deps": sorted(source.names),
            "format": calc.format,
            "currency": calc.currency or tool.currency,
            "decimals": calc.decimals,
            "unit": calc.unit,
        }
        for calc, source in compiled.calculations
    ]
    return {
        "slug": slug,
        "version": version,
        "kind": tool.kind,
        "layout": tool.presentation.layout_for(tool.kind),
        # The result page leads with the score, except in an outcome quiz (no right answers).
        "big_score": tool.scoring is not None and tool.scoring.quiz_type != "outcome",
        "currency": tool.currency,
        "symbols": CURRENCY_SYMBOLS,
        "inputs": [_input(tool, i) for i in range(len(tool.inputs))],
        "steps": steps_of(tool),
        "constants": dict(compiled.constants),
        "calcs": calcs,
        "outcomes": [
            {
                "id": o.id,
                "title": o.title,
                "description": o.description,
                "cond": ast(o.condition),
                "ranged": o.ranged,
                "recs": o.recommendations,
            }
            for o in tool.outcomes
        ],
        "blocks": [_block(block) for block in tool.results],
        "labels": _labels(tool),
        "lead": tool.lead_capture.model_dump(mode="json"),
        "tables": compiled.tables,
    }


def _block(block: Any) -> dict[str, Any]:
    data: dict[str, Any] = block.model_dump(mode="json")
    if data["type"] == "cta" and placeholder_host(data["url"]) is not None:
        # A button to example.com leads nowhere: the page shows none until the creator gives
        # a real link (verification warns about it); runtime.js skips a CTA without a link.
        data["url"] = ""
    if data["type"] == "table_recommendations":
        data["filters"] = [
            {"column": f["column"], "op": f["op"], "ast": ast(f["value"])} for f in data["filters"]
        ]
    return data


def payload_json(payload: dict[str, Any]) -> str:
    """JSON safe to place inside <script type="application/json"> (no way to close it)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _UNSAFE.items():
        text = text.replace(char, escaped)
    return text
