"""Offline edits of one question: its label, help, unit, default, range and required."""

from __future__ import annotations

import re
from typing import Any

from keyvex.ai.planner._change import (
    Change,
    Data,
    changed,
    number_text,
)
from keyvex.ai.planner._request import (
    Request,
    content_words,
    find_input,
    label_of,
    parse_number,
    quoted_texts,
)
from keyvex.tools import Input, ToolDefinition

RENAME = re.compile(
    r"^(?:rename|relabel|reword|rephrase|retitle|call|change|set|update|edit|make)\b\s*"
    r"(?P<target>.*?)\s*(?:\b(?:to|as|into|so it reads|to read|to say|with)\b:?|:)\s*"
    r"(?P<new>['\"“‘].+|[^'\"“‘]+)$",
    re.IGNORECASE,
)
SHOULD_SAY = re.compile(
    r"^(?P<target>.+?)\s+(?:should|must|could|needs to|has to)\s+(?:say|read|be called|be "
    r"labell?ed|be worded|ask|be)\s*:?\s*(?P<new>['\"“‘].+)$",
    re.IGNORECASE,
)
FIELD_WORDS = {
    "help": ("help", "help text", "hint", "explanation", "tooltip", "description"),
    "placeholder": ("placeholder",),
    "unit": ("unit", "units"),
    "label": ("label", "wording", "text", "title", "name", "question text"),
}


def rename_input_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """'rename the staff question to "Team size"', 'change the help of question 2 to ...'."""
    found = RENAME.match(request.raw) or SHOULD_SAY.match(request.raw)
    called = re.match(r"^(?:call|name|title)\s+(?P<target>.+?)\s+(?P<new>['\"“‘].+)$", request.raw)
    if called is not None:
        found = called
    if found is None:
        return None
    target, new = found.group("target"), found.group("new").strip()
    quoted = quoted_texts(request.raw)
    if len(quoted) >= 2:
        new = quoted[-1]
    elif quoted and quoted_texts(new):
        new = quoted_texts(new)[0]
    new = new.strip().strip("'\"“”‘’").rstrip(".") if not quoted_texts(found.group("new")) else new
    field, target_said = _field(target), target
    target = re.sub(
        r"\b(?:the\s+)?(?:help text|help|hint|explanation|tooltip|description|placeholder|"
        r"units?|label|wording|question text|text|title|name)\s+(?:of|for|on)\b|'s\s+\w+$",
        " ",
        target,
        flags=re.IGNORECASE,
    )
    item = (
        find_input(target, tool, required=False)
        if content_words(target) or re.search(r"\d", target)
        else None
    )
    if item is None or not new:
        return None
    plain_verb = request.verb in ("set", "make", "update", "edit", "change")
    reads_as_label = bool(quoted) or _names_field(target_said) or new.rstrip().endswith("?")
    if field == "label" and plain_verb and not reads_as_label:
        return None  # 'set X to 10' is a value and 'change X to a yes/no' a type, not a label
    return _set_field(tool, item, field, new[:200])


def _names_field(target: str) -> bool:
    return any(
        f" {name} " in f" {target.lower()} " for names in FIELD_WORDS.values() for name in names
    )


def _field(target: str) -> str:
    words = f" {target.lower()} "
    for field, names in FIELD_WORDS.items():
        if any(f" {name} " in words for name in names):
            return field
    return "label"


def _set_field(tool: ToolDefinition, item: Input, field: str, value: str) -> Change:
    name = label_of(item, tool)

    def update(data: Data) -> None:
        entry = next(i for i in data["inputs"] if i["id"] == item.id)
        entry[field] = value

    what = {"label": "label", "help": "help text", "placeholder": "placeholder", "unit": "unit"}
    result = changed(tool, update)
    return Change(
        result,
        f"Changed the {what[field]} of {name} to '{value}' (its id stays {item.id}).",
        f"The {what[field]} of {name} is already '{value}'.",
    )


def field_value_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """Default, minimum, maximum or required of one question."""
    kinds = {
        "default": r"default(?: value| answer)?|pre-?filled value|starting value",
        "min": r"minimum|min|lowest(?: value)?|smallest(?: value)?",
        "max": r"maximum|max|highest(?: value)?|largest(?: value)?|upper limit|limit",
    }
    for field, words in kinds.items():
        found = re.search(rf"\b(?:{words})\b", request.raw, re.IGNORECASE)
        if found and not request.has("points", "point", "score"):
            return _numeric_field(tool, request, field, found)
    required = re.search(
        r"\b(?:make|set)\s+(?P<t>.+?)\s+(?P<how>required|optional|mandatory)\b",
        request.raw,
        re.IGNORECASE,
    )
    if required:
        item = find_input(required.group("t"), tool, required=False)
        if item is None:
            return None
        must = required.group("how").lower() != "optional"
        result = changed(tool, lambda d: _set(d, item.id, "required", must))
        how = "required" if must else "optional"
        return Change(
            result,
            f"{label_of(item, tool)} is now {how}.",
            f"{label_of(item, tool)} is already {how}.",
        )
    return None


def _numeric_field(tool: ToolDefinition, request: Request, field: str, found: Any) -> Change | None:
    rest = request.raw[: found.start()] + " " + request.raw[found.end() :]
    target = re.sub(r"\b(?:set|change|make|update|the|of|for|to|at|on|is|be)\b", " ", rest)
    target = re.sub(r"[-−]?\d[\d,]*(?:\.\d+)?\s*[kK]?%?", " ", target)
    placed = re.search(r"\b(?:question|input|field|q)\s*\d+", rest, re.IGNORECASE)
    item = find_input(placed.group() if placed else target, tool, required=False)
    numbers = re.findall(r"(?<![\w])[-−]?\d[\d,]*(?:\.\d+)?\s*[kK]?%?", rest)
    numbers = [n for n in numbers if not placed or n.strip() not in placed.group()]
    if item is None or not numbers:
        return None
    if item.type not in ("number", "currency", "percent", "slider"):
        return None
    value = parse_number(numbers[-1])
    old = item.default

    def update(data: Data) -> None:
        _set(data, item.id, field, value)
        if field == "default" and old is not None:  # cases that relied on it keep their answer
            for case in data["test_cases"]:
                case["answers"].setdefault(item.id, old)

    result = changed(tool, update)
    name = {"min": "minimum", "max": "maximum", "default": "default"}[field]
    return Change(
        result,
        f"The {name} of {label_of(item, tool)} is now {number_text(value)}.",
        f"The {name} of {label_of(item, tool)} is already {number_text(value)}.",
    )


def _set(data: Data, input_id: str, field: str, value: Any) -> None:
    next(i for i in data["inputs"] if i["id"] == input_id)[field] = value
