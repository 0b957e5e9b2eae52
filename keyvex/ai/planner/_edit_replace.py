"""'Replace X with Y everywhere': one wording changed in every text a visitor or creator reads.

The words are matched whole and without regard to case; each match takes the case of the
text it replaces (a sentence's first word keeps its capital, "ISO 9001" stays as written when
the match was lower case). Only human texts change: titles, descriptions, labels, help,
options' labels, outcomes, advice, result blocks and lead-form wording. Ids, formulas,
conditions, option values and links never do, so nothing the calculations read can break.
"""

from __future__ import annotations

import re
from typing import Any

from keyvex.ai.planner._change import Change, Data, changed
from keyvex.ai.planner._request import Request
from keyvex.tools import ToolDefinition

#: Keys whose string values are texts people read (everything else is left alone).
TEXT_KEYS = frozenset(
    {
        "title", "description", "label", "help", "placeholder", "text", "subtext", "unit",
        "recommendation", "recommendations", "consent_text", "button_label", "subtitle",
        "start_label", "success_message", "prompt", "intro", "heading",
    }
)  # fmt: skip
#: Parts of a definition that hold no visitor text (data, theme, tests, creator questions).
SKIPPED = frozenset({"tables", "theme", "test_cases", "followup_questions", "data_bindings"})
_EVERYWHERE = (
    r"(?:\s+(?:everywhere|throughout|in all (?:the )?texts?|in every text|across the tool))?"
)
_TEXT = r"""["“”‘']?(?P<{name}>[^"“”‘’]+?)["“”‘’]?"""
PATTERNS = [
    re.compile(
        r"^(?:replace|substitute)\s+(?:the (?:word|words|phrase|text)\s+|every\s+|all\s+)?"
        + _TEXT.format(name="old")
        + r"\s+(?:with|by)\s+"
        + _TEXT.format(name="new")
        + _EVERYWHERE
        + r"\.?$",
        re.IGNORECASE,
    ),
    re.compile(  # quoted: "change every question to required" is not about wording
        r"^(?:change|rename|turn)\s+(?:every|all|each)\s+(?:mention of\s+|occurrence of\s+)?"
        r"[\"“‘'](?P<old>[^\"“”‘’]+)[\"”’']\s+(?:to|into)\s+"
        + _TEXT.format(name="new")
        + _EVERYWHERE
        + r"\.?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:change|rename|turn)\s+"
        + _TEXT.format(name="old")
        + r"\s+(?:to|into)\s+"
        + _TEXT.format(name="new")
        + r"\s+(?:everywhere|throughout|in all (?:the )?texts?|across the tool)\.?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:say|use|write)\s+"
        + _TEXT.format(name="new")
        + r"\s+instead of\s+"
        + _TEXT.format(name="old")
        + r"(?:\s+everywhere)?\.?$",
        re.IGNORECASE,
    ),  # fmt: skip
]
MAX_WORDING = 120


def replace_text_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """Recognises 'replace A with B', 'change every A to B', 'change A to B everywhere' and
    'use B instead of A'; None for any other request."""
    wording = replace_wording(request.raw)
    if wording is None:
        return None
    old, new = wording
    pattern = re.compile(r"(?<!\w)" + re.escape(old) + r"(?!\w)", re.IGNORECASE)
    count = 0

    def update(data: Data) -> None:
        nonlocal count
        count = _replace_in(data, pattern, new)

    result = changed(tool, update)
    if count == 0:
        return None  # not about the tool's wording after all (or nothing says it): others try
    times = "once" if count == 1 else f"{count} times"
    return Change(result, f"Replaced '{old}' with '{new}' ({times}).")


def replace_wording(raw: str) -> tuple[str, str] | None:
    """(old, new) when the request asks to replace one wording with another."""
    text = raw.strip()
    for pattern in PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        old, new = found.group("old").strip(" '\""), found.group("new").strip(" '\"")
        if old and new and old.lower() != new.lower() and max(len(old), len(new)) <= MAX_WORDING:
            return old, new
    return None


def _replace_in(node: Any, pattern: re.Pattern[str], new: str, key: str = "") -> int:
    """Replace in the human texts below ``node`` (a JSON form); returns how many matches."""
    count = 0
    if isinstance(node, dict):
        for name, value in node.items():
            if name in SKIPPED:
                continue
            if isinstance(value, str) and name in TEXT_KEYS:
                node[name], found = _swap(value, pattern, new)
                count += found
            elif isinstance(value, list) and name in TEXT_KEYS:
                for index, item in enumerate(value):
                    if isinstance(item, str):
                        value[index], found = _swap(item, pattern, new)
                        count += found
                    else:
                        count += _replace_in(item, pattern, new, name)
            elif isinstance(value, dict | list):
                count += _replace_in(value, pattern, new, name)
    elif isinstance(node, list):
        for item in node:
            count += _replace_in(item, pattern, new, key)
    return count


def _swap(text: str, pattern: re.Pattern[str], new: str) -> tuple[str, int]:
    def one(found: re.Match[str]) -> str:
        return _cased(found.group(), new)

    return pattern.subn(one, text)


def _cased(matched: str, new: str) -> str:
    """``new`` in the case of the text it replaces: capitalised stays capitalised, shouting
    stays shouting; otherwise exactly as the creator wrote it ("ISO 9001" keeps its case)."""
    if matched.isupper() and len(matched) > 1 and not new.isupper():
        return new.upper()
    if matched[:1].isupper() and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new
