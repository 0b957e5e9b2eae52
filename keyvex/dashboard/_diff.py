"""A unified diff of two tool definitions as classified lines (escaped by the template)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from keyvex.tools import ToolDefinition


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # "add", "del", "hunk", "meta" or "same"
    text: str


def _lines(definition: ToolDefinition) -> list[str]:
    data = definition.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False).splitlines()


def definition_diff(
    old: ToolDefinition, new: ToolDefinition, old_name: str, new_name: str
) -> list[DiffLine]:
    """The changes from ``old`` to ``new`` with three lines of context; empty when equal."""
    diff = difflib.unified_diff(
        _lines(old), _lines(new), fromfile=old_name, tofile=new_name, lineterm="", n=3
    )
    out: list[DiffLine] = []
    for line in diff:
        if line.startswith(("---", "+++")):
            kind = "meta"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        out.append(DiffLine(kind, line))
    return out
