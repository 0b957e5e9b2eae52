"""Plain-language edits the offline planner understands; anything else needs an AI model."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._theme import with_background, with_primary, with_text
from keyvex.ai.planner._vocabulary import COLORS, CURRENCIES, STOP_WORDS, contains, normalise
from keyvex.tools import Theme, ToolDefinition, parse_tool

NEEDS_MODEL = (
    "The offline planner can change colours, the title, headline or button text, lead capture, "
    "the currency, or remove an input; '{request}' needs an AI model (set KEYVEX_OPENAI_API_KEY "
    "or KEYVEX_ANTHROPIC_API_KEY)."
)
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
TEXT_TARGETS = {
    "title": "title",
    "name": "title",
    "headline": "headline",
    "subtitle": "description",
    "description": "description",
    "cta": "cta",
    "call to action": "cta",
    "button text": "cta",
    "button label": "cta",
    "email button": "lead_button",
}
QUOTED = re.compile(r"""["“‘](?P<text>[^"”’]+)["”’]|(?<!\w)'(?P<single>[^']+)'(?!\w)""")
PLAIN = re.compile(r"(?:\bto\b|:)\s+(?P<text>.+)$", re.IGNORECASE)
Edit = Callable[[ToolDefinition, str], tuple[ToolDefinition, str] | None]


def apply_edit(tool: ToolDefinition, request: str) -> tuple[ToolDefinition, str]:
    """(changed tool, one-sentence summary), or NeedsModel when no offline command fits."""
    for edit in (_text_edit, _lead_edit, _currency_edit, _remove_edit, _colour_edit):
        outcome = edit(tool, request)
        if outcome is not None:
            return outcome
    raise NeedsModel(NEEDS_MODEL.format(request=request.strip()[:120]))


def _with(tool: ToolDefinition, update: Callable[[dict[str, Any]], None]) -> ToolDefinition:
    data = tool.model_dump(mode="json")
    update(data)
    return parse_tool(data)


def _text_edit(tool: ToolDefinition, request: str) -> tuple[ToolDefinition, str] | None:
    text = normalise(request)
    target = next((t for w, t in TEXT_TARGETS.items() if contains(text, w)), None)
    if target is None:
        return None
    value = _new_text(request.strip())
    if not value:
        return None

    def update(data: dict[str, Any]) -> None:
        if target in ("title", "description"):
            data[target] = value
        elif target == "lead_button":
            data["lead_capture"]["button_label"] = value
        else:
            kind, key = ("headline", "text") if target == "headline" else ("cta", "label")
            blocks = [b for b in data["results"] if b["type"] == kind]
            if not blocks:
                raise NeedsModel(f"This tool has no {target}; adding one needs an AI model.")
            blocks[0][key] = value

    return _with(tool, update), f"Changed the {target.replace('_', ' ')} to '{value}'."


def _new_text(request: str) -> str:
    quoted = QUOTED.search(request)
    if quoted:
        return (quoted.group("text") or quoted.group("single") or "").strip()[:200]
    plain = PLAIN.search(request)
    return plain.group("text").strip().rstrip(".")[:200] if plain else ""


LEAD_PHRASES = [
    (("turn off lead capture", "no lead capture", "don't ask for", "do not ask for", "no email",
      "remove the email", "without email", "lead capture off", "disable lead capture"), "off"),
    (("before the results", "before results", "before they see"), "before_results"),
    (("after the results", "after results", "after they see"), "after_results"),
    (("teaser", "unlock"), "teaser"),
    (("turn on lead capture", "ask for email", "ask for an email", "ask for their email",
      "collect leads", "collect emails", "lead capture on", "enable lead capture"),
     "after_results"),
]  # fmt: skip


def _lead_edit(tool: ToolDefinition, request: str) -> tuple[ToolDefinition, str] | None:
    text = normalise(request)
    if not any(w in text for w in (" email", " lead", " results", " teaser", " unlock")):
        return None
    mode = next((m for phrases, m in LEAD_PHRASES if any(contains(text, p) for p in phrases)), None)
    if mode is None:
        return None

    def update(data: dict[str, Any]) -> None:
        data["lead_capture"]["mode"] = mode

    label = {"off": "off", "before_results": "before the results", "teaser": "as a teaser"}
    where = label.get(mode, "after the results")
    return _with(tool, update), f"Lead capture is now {where}."


def _currency_edit(tool: ToolDefinition, request: str) -> tuple[ToolDefinition, str] | None:
    text = normalise(request)
    code = next((c for w, c in CURRENCIES.items() if contains(text, w) or w in request), None)
    if code is None:
        return None
    old = tool.currency

    def update(data: dict[str, Any]) -> None:
        data["currency"] = code
        for item in (*data["inputs"], *data["calculations"]):
            if item.get("currency") in (old, code):
                item["currency"] = code

    return _with(tool, update), f"Figures are now shown in {code}."


def _remove_edit(tool: ToolDefinition, request: str) -> tuple[ToolDefinition, str] | None:
    found = re.search(r"\b(?:remove|delete|drop|hide)\b(.+)", request, re.IGNORECASE)
    if found is None:
        return None
    words = set(normalise(found.group(1)).split()) - STOP_WORDS - {"input", "question", "field"}
    scored = []
    for item in tool.inputs:
        names = set(normalise(item.label).split()) | set(item.id.lower().split("_"))
        scored.append((len(words & (names - STOP_WORDS)), item.id, item.label))
    best = max(scored, default=(0, "", ""))
    if best[0] == 0:
        return None
    if len(tool.inputs) == 1:
        raise NeedsModel("A tool needs at least one input, so the last one cannot be removed.")
    return remove_input(tool, best[1]), f"Removed the input '{best[2]}'."


def remove_input(tool: ToolDefinition, input_id: str) -> ToolDefinition:
    """Calculators keep the value as a constant; quizzes and assessments drop the question."""
    if tool.kind == "calculator":
        return input_to_constant(tool, input_id)

    def update(data: dict[str, Any]) -> None:
        data["inputs"] = [i for i in data["inputs"] if i["id"] != input_id]
        _drop_from_steps_and_cases(data, input_id, None)

    return _with(tool, update)


def input_to_constant(tool: ToolDefinition, input_id: str) -> ToolDefinition:
    """Replace an input by a constant holding its default, so every formula still works."""
    item = tool.input(input_id)
    answer = item.default
    if answer is None:
        answer = (
            item.min if item.min is not None else (item.options[0].value if item.options else 0)
        )
    if isinstance(answer, list):
        raise NeedsModel(f"'{item.label}' is a multiple choice; removing it needs an AI model.")
    value = answer / 100 if item.type == "percent" and isinstance(answer, int | float) else answer

    def update(data: dict[str, Any]) -> None:
        data["inputs"] = [i for i in data["inputs"] if i["id"] != input_id]
        data["constants"].append({"id": input_id, "value": value, "label": item.label})
        _drop_from_steps_and_cases(data, input_id, answer)

    return _with(tool, update)


def _drop_from_steps_and_cases(data: dict[str, Any], input_id: str, kept: Any) -> None:
    for step in data["steps"]:
        step["inputs"] = [i for i in step["inputs"] if i != input_id]
    data["steps"] = [s for s in data["steps"] if s["inputs"]]
    cases = []
    for case in data["test_cases"]:
        if input_id in case["answers"]:
            if kept is None or case["answers"][input_id] != kept:
                continue  # its expected values assumed another answer
            del case["answers"][input_id]
        cases.append(case)
    data["test_cases"] = cases


def _colour_edit(tool: ToolDefinition, request: str) -> tuple[ToolDefinition, str] | None:
    text = normalise(request)
    hexes = HEX.findall(request)
    names = sorted((n for n in COLORS if contains(text, n)), key=len, reverse=True)
    if not hexes and not names:
        return None
    color = hexes[0].lower() if hexes else COLORS[names[0]]
    said = hexes[0] if hexes else names[0]
    if contains(text, "background"):
        theme, part = with_background(tool.theme, color), "background"
    elif contains(text, "text") or contains(text, "font"):
        theme, part = with_text(tool.theme, color), "text colour"
    elif contains(text, "accent"):
        theme, part = tool.theme.model_copy(update={"accent": color}), "accent colour"
    else:
        theme, part = with_primary(tool.theme, color), "button colour"

    def update(data: dict[str, Any]) -> None:
        data["theme"] = Theme.model_validate(theme).model_dump(mode="json")

    return _with(tool, update), f"Changed the {part} to {said} (contrast kept at WCAG AA)."
