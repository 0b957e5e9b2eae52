"""Turning a template and the creator's answers into a concrete, adapted tool definition."""

from __future__ import annotations

import re
from typing import Any

from keyvex.ai.models import BuildBrief
from keyvex.ai.planner._questions import COLOR_PAIRS, LEAD_TIMING, RESULT_STYLES
from keyvex.ai.planner._theme import with_pair
from keyvex.tools import CtaBlock, Theme, ToolDefinition, parse_tool, verify

Data = dict[str, Any]
HEX = re.compile(r"#[0-9a-fA-F]{6}")
#: How an audience-type answer reshapes each template's title.
TITLE_PATTERNS = {
    "roi-calculator": "What return will {lower} bring?",
    "time-savings-calculator": "How much is {lower} costing your team?",
    "website-quote-estimator": "{value} quote estimator",
    "email-marketing-quiz": "{value} quiz",
    "equipment-financing-calculator": "{value} financing payment calculator",
    "missed-recall-cost-calculator": "What are missed visits costing your {lower} practice?",
    "break-even-calculator": "Break-even calculator for {lower}",
}


def instantiate(template: ToolDefinition, brief: BuildBrief, answers: dict[str, Any]) -> Any:
    """(definition, notes): the template adapted to the brief and answers, still verified."""
    data = template.model_dump(mode="json")
    notes: list[str] = []
    _adapt_copy(data, template, brief, answers)
    _apply_theme(data, answers.get("brand_colors"))
    data["lead_capture"]["mode"] = _lead_mode(answers.get("lead_timing"), brief.lead_capture)
    if data["lead_capture"]["mode"] == "off":
        notes.append("Visitors are not asked for an email.")
    _apply_currency(data, answers.get("currency"))
    _apply_result_style(data, _choice(answers.get("result_style"), RESULT_STYLES))
    _apply_tiers(data, answers.get("tier_names"))
    _apply_cta(data, answers.get("next_step"), notes)
    _apply_horizon(data, answers.get("horizon"))
    tool = parse_tool(data)
    keep = answers.get("inputs")
    if isinstance(keep, list) and template.kind == "calculator":
        tool = _keep_inputs(tool, [str(k) for k in keep], notes)
    return tool, notes


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


def _adapt_copy(
    data: Data, template: ToolDefinition, brief: BuildBrief, answers: dict[str, Any]
) -> None:
    audience = brief.audience
    pattern = TITLE_PATTERNS.get(template.id)
    if audience and pattern:
        lower = audience[0].lower() + audience[1:]
        data["title"] = pattern.format(value=audience, lower=lower)[:200]
    elif audience and not template.title.endswith("?") and audience.lower() != "individuals":
        data["title"] = f"{template.title} for {audience}"[:200]
    lead = []
    if brief.industry:
        lead.append(f"Made for {brief.industry.lower()}.")
    if audience:
        lead.append(f"Built for {audience}.")
    data["description"] = " ".join([*lead, template.description]).strip()[:5000]


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


def _apply_currency(data: Data, value: Any) -> None:
    code = text_of(value).upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or code == data["currency"]:
        return
    old = data["currency"]
    data["currency"] = code
    for item in (*data["inputs"], *data["calculations"]):
        if item.get("currency") == old:
            item["currency"] = code


def _apply_result_style(data: Data, style: str | None) -> None:
    if style in (None, "chart"):
        return
    dropped = {"chart"} if style == "figures" else {"chart", "metric", "text"}
    kept = [b for b in data["results"] if b["type"] not in dropped]
    if kept:
        data["results"] = kept


def _apply_tiers(data: Data, value: Any) -> None:
    if not isinstance(value, dict):
        return
    ranged = sorted((o for o in data["outcomes"] if o.get("min_score") is not None),
                    key=lambda o: o["min_score"])  # fmt: skip
    for key, outcome in zip(("low", "mid", "high"), ranged, strict=False):
        title = str(value.get(key) or "").strip()
        if title:
            outcome["title"] = title[:200]


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


def _apply_horizon(data: Data, value: Any) -> None:
    found = re.match(r"\d+", text_of(value))
    years = next((i for i in data["inputs"] if i["id"] == "years"), None)
    if found and years is not None:
        low, high = years.get("min") or 1, years.get("max") or 50
        for case in data["test_cases"]:  # their expected values assumed the old default
            case["answers"].setdefault("years", years.get("default"))
        years["default"] = float(min(max(int(found.group()), low), high))


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
