"""Split formula text into tokens, each with its character offsets."""

from __future__ import annotations

import re
from typing import NamedTuple

from ._errors import MAX_SOURCE, FormulaError

_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TWO_CHAR = {"==": "==", "!=": "!=", "<=": "<=", ">=": ">=", "<>": "!="}
_ONE_CHAR = {"+", "-", "*", "/", "^", "&", "(", ")", ",", "<", ">", "="}
_SPACE = " \t\r\n"


class Token(NamedTuple):
    kind: str  # "number", "text", "name", "op" or "end"
    value: str | float
    pos: int
    end: int


def _error(code: str, message: str, position: int) -> FormulaError:
    return FormulaError(code, message, position)


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, ending with an "end" token; FormulaError if it cannot be read."""
    if len(source) > MAX_SOURCE:
        raise FormulaError(
            "LIMIT",
            f"The formula is {len(source):,} characters long; the limit is {MAX_SOURCE:,}.",
            MAX_SOURCE,
        )
    nul = source.find("\x00")
    if nul >= 0:
        raise _error("PARSE", f"The formula contains a NUL character at position {nul}.", nul)
    tokens: list[Token] = []
    i, size = 0, len(source)
    while i < size:
        char = source[i]
        if char in _SPACE:
            i += 1
        elif char in "\"'":
            tokens.append(_text(source, i))
            i = tokens[-1].end
        elif match := _NUMBER.match(source, i):
            tokens.append(_number(source, match.group(), i, match.end()))
            i = tokens[-1].end
        elif match := _NAME.match(source, i):
            name = match.group()
            if name.startswith("__"):
                raise _error(
                    "NAME", f"Names cannot start with two underscores ({name} at position {i}).", i
                )
            tokens.append(Token("name", name, i, match.end()))
            i = match.end()
        elif source[i : i + 2] in _TWO_CHAR:
            tokens.append(Token("op", _TWO_CHAR[source[i : i + 2]], i, i + 2))
            i += 2
        elif char in _ONE_CHAR:
            tokens.append(Token("op", "==" if char == "=" else char, i, i + 1))
            i += 1
        elif char == "%":
            raise _error("PARSE", f"A % sign must directly follow a number (position {i}).", i)
        else:
            shown = char if char.isprintable() else f"U+{ord(char):04X}"
            raise _error("PARSE", f"Unexpected character '{shown}' at position {i}.", i)
    tokens.append(Token("end", "", size, size))
    return tokens


def _number(source: str, text: str, start: int, end: int) -> Token:
    value = float(text)
    if end < len(source) and source[end] == "%":
        value /= 100.0
        end += 1
    if value == float("inf"):
        raise _error("NUM", f"The number {text} at position {start} is too large.", start)
    return Token("number", value, start, end)


def _text(source: str, start: int) -> Token:
    quote = source[start]
    parts: list[str] = []
    i = start + 1
    while True:
        close = source.find(quote, i)
        if close < 0:
            raise _error(
                "PARSE",
                f"The text starting at position {start} is missing its closing {quote} quote.",
                start,
            )
        parts.append(source[i:close])
        if source[close + 1 : close + 2] == quote:
            parts.append(quote)
            i = close + 2
        else:
            return Token("text", "".join(parts), start, close + 1)
