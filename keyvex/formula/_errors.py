"""Formula errors: the public exception, diagnostics and the in-language error value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MAX_SOURCE = 2000
MAX_DEPTH = 64
MAX_TEXT = 10_000


class FormulaError(Exception):
    """A formula that does not parse, or whose final value is an error."""

    def __init__(self, code: str, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position

    def __repr__(self) -> str:
        return f"FormulaError({self.code!r}, {self.message!r}, {self.position!r})"


@dataclass(frozen=True)
class Diagnostic:
    """One finding of static analysis, with the character offset it points at."""

    code: str
    message: str
    position: int | None
    severity: Literal["error", "warning"] = "error"


class ErrorValue:
    """An error as a value: it flows through operators and functions until the end."""

    __slots__ = ("code", "message", "position")

    def __init__(self, code: str, message: str, position: int | None) -> None:
        self.code = code
        self.message = message
        self.position = position

    def __repr__(self) -> str:
        return f"ErrorValue({self.code!r}, {self.message!r}, {self.position!r})"

    def to_exception(self) -> FormulaError:
        return FormulaError(self.code, self.message, self.position)


class Fail(Exception):
    """Raised inside operators and functions; the evaluator turns it into an ErrorValue."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text
