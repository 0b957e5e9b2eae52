"""Where a node sits in the source, to turn a failure into a readable error value."""

from __future__ import annotations

from typing import Any

from ._errors import ErrorValue, Fail


class Site:
    """Where a node sits in the source, to turn a failure into a readable error value."""

    __slots__ = ("pos", "snippet")

    def __init__(self, node: dict[str, Any], source: str | None) -> None:
        self.pos: int | None = node.get("pos")
        end = node.get("end")
        self.snippet = ""
        if source is not None and self.pos is not None and end is not None:
            text = source[self.pos : end]
            self.snippet = text if len(text) <= 60 else ""

    def error(self, code: str, text: str) -> ErrorValue:
        text = text[:1].upper() + text[1:]
        if self.snippet:
            return ErrorValue(code, f"{text} in '{self.snippet}'.", self.pos)
        if self.pos is not None:
            return ErrorValue(code, f"{text} at position {self.pos}.", self.pos)
        return ErrorValue(code, f"{text}.", None)

    def fail(self, failure: Fail) -> ErrorValue:
        return self.error(failure.code, failure.text)
