"""Applying the creator's answers on presentation to a composed tool definition."""

from __future__ import annotations

import re
from typing import Any

from keyvex.ai.models import BuildBrief
from keyvex.ai.planner._questions import COLOR_PAIRS, LEAD_TIMING, RESULT_STYLES
from keyvex.ai.planner._theme import with_pair
from keyvex.tools import CtaBlock, Theme, ToolDefinition, parse_tool, verify

Data = dict[str, Any]
HEX = re.compile(r"#[0-9a-fA-F]{6}")


def adapt(tool: ToolDefinition, brief: BuildBrief, answers: dict[str, Any]) -> Any:
    """(definition, notes): a composed tool with the creator's answers on presentation
    applied (colours, lead timing, result style, call to action, fixed inputs)."""
    data = tool.model_dump(mode="json")
    notes: list[str] = []
    _apply_theme(data, answers.get("brand_colors"))
    data["lead_capture"]["mode"] = _lead_mode(answers.get("lead_timing"), brief.lead_capture)
    if data["lead_capture"]["mode"] == "off":
        notes.append("Visitors are not asked for an email.")
    _apply_result_style(data, _choice(answers.get("result_style"), RESULT_STYLES))
    _apply_cta(data, answers.get("next_step"), notes)
    changed = parse_tool(data)
    keep = answers.get("inputs")
    if isinstance(keep, list) and changed.kind == "calculator":
        changed = _keep_inputs(changed, [str(k) for k in keep], notes)
    return changed, notes


def text_of(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    return "" if value is None else str(value).strip()


def _choice(value: Any, table: dict[str, str]) -> str | None:
    text = text_of(value)
    if text in table.values():
        return text
    return table.get(text)


def _lead_mode(value: Any, fallback: str) -> str:
    return _choice(value, LEAD_TIMING) or fallback


def colour_pair(value: Any) -> tuple[str, str] | None:
    """Two hex colours from a list, a {primary, background} dict, a preset or '#a, #b'."""
    if isinstance(value, dict):
        value = [value.get("primary", ""), value.get("background", "")]
    if isinstance(value, str):
        preset = next((p for p in COLOR_PAIRS if value in (p[0], p[1])), None)
        value = [preset[2], preset[3]] if preset else HEX.findall(value)
    if isinstance(value, list) and len(value) == 2 and all(HEX.fullmatch(str(v)) for v in value):
        return str(value[0]), str(value[1])
    return None


def _apply_theme(data: Data, value: Any) -> None:
    pair = colour_pair(value)
    if pair is not None:
        theme = with_pair(Theme.model_validate(data["theme"]), *pair)
        data["theme"] = theme.model_dump(mode="json")


def _apply_result_style(data: Data, style: str | None) -> None:
    if style in (None, "chart"):
        return
    dropped = {"chart"} if style == "figures" else {"chart", "metric", "text"}
    kept = [b for b in data["results"] if b["type"] not in dropped]
    if kept:
        data["results"] = kept


def _apply_cta(data: Data, value: Any, notes: list[str]) -> None:
    if not isinstance(value, dict):
        return
    for block in data["results"]:
        if block["type"] != "cta":
            continue
        label = str(value.get("label") or block["label"]).strip()[:200]
        url = str(value.get("url") or block["url"]).strip()
        try:
            CtaBlock(type="cta", label=label, url=url)
        except ValueError:
            notes.append(f"The link '{url}' is not a web, mailto or tel address; kept the old one.")
            url = block["url"]
        block.update(label=label, url=url)


def _keep_inputs(tool: ToolDefinition, keep: list[str], notes: list[str]) -> ToolDefinition:
    """Inputs not kept become constants with their default value, if the tool still verifies."""
    dropped = [i for i in tool.inputs if i.id not in keep]
    if not dropped or len(dropped) == len(tool.inputs):
        return tool
    from keyvex.ai.planner._edits import input_to_constant

    changed = tool
    for item in dropped:
        changed = input_to_constant(changed, item.id)
    if verify(changed).errors:
        notes.append("Kept every input: fixing some of them would break the calculations.")
        return tool
    labels = ", ".join(i.label for i in dropped)
    notes.append(f"Fixed at their typical values instead of asked: {labels}.")
    return changed
