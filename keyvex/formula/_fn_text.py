"""Text functions: CONCAT, TEXTJOIN, LEFT, RIGHT, MID, TRIM, SUBSTITUTE, FIND, SEARCH, PROPER,
REPT, EXACT, VALUE, and TEXT and FIXED with spreadsheet number formats ("#,##0.00", "0%").

Positions and lengths count characters (Unicode code points), from 1 as in a spreadsheet.
"""

from __future__ import annotations

import math
import re

from ._errors import MAX_TEXT, Fail
from ._family import MORE_SCRIPT, Args, Eager, Family, items, typed
from ._fn_dates import format_date, has_date_codes
from ._values import (
    Value,
    check_text,
    format_number,
    round_digits,
    text_to_number,
    to_bool,
    to_number,
    to_text,
)

_AMOUNT = re.compile(
    r"([+-]?)[$€£]?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)(%?)"
)


def _count(args: Args, index: int, default: float, name: str) -> int:
    number = math.trunc(to_number(args[index])) if len(args) > index else default
    if number < 0:
        raise Fail("ARG", f"{name} needs a count of 0 or more")
    return int(min(number, MAX_TEXT + 1))


def _concat(args: Args) -> Value:
    return check_text("".join(to_text(item) for item in items(args)))


def _textjoin(args: Args) -> Value:
    delimiter, skip_empty = to_text(args[0]), to_bool(args[1])
    texts = [to_text(item) for item in items(args[2:])]
    return check_text(delimiter.join(text for text in texts if text or not skip_empty))


def _left(args: Args) -> Value:
    return to_text(args[0])[: _count(args, 1, 1, "LEFT")]


def _right(args: Args) -> Value:
    text, count = to_text(args[0]), _count(args, 1, 1, "RIGHT")
    return text[len(text) - count :] if count else ""


def _mid(args: Args) -> Value:
    text, start = to_text(args[0]), math.trunc(to_number(args[1]))
    if start < 1:
        raise Fail("ARG", "MID needs a start position of 1 or more")
    count = _count(args, 2, 0, "MID")
    return text[start - 1 : start - 1 + count] if start <= len(text) else ""


def _trim(args: Args) -> Value:
    return re.sub(" +", " ", to_text(args[0]).strip(" "))


def _substitute(args: Args) -> Value:
    text, old, new = to_text(args[0]), to_text(args[1]), to_text(args[2])
    if not old:
        return text
    if len(args) < 4:
        return check_text(text.replace(old, new))
    instance = math.trunc(to_number(args[3]))
    if instance < 1:
        raise Fail("ARG", "SUBSTITUTE needs an instance of 1 or more")
    position = -1
    for _ in range(int(min(instance, len(text) + 1))):
        position = text.find(old, position + 1)
        if position < 0:
            return text
    return check_text(text[:position] + new + text[position + len(old) :])


def _finder(insensitive: bool) -> Eager:
    name = "SEARCH" if insensitive else "FIND"

    def run(args: Args) -> Value:
        needle, haystack = to_text(args[0]), to_text(args[1])
        start = math.trunc(to_number(args[2])) if len(args) > 2 else 1
        if insensitive:
            needle, haystack = needle.lower(), haystack.lower()
        if not needle or start < 1 or start > len(haystack):
            raise Fail("TYPE", f"{name} needs some text to find and a start within the text")
        found = haystack.find(needle, int(start) - 1)
        if found < 0:
            raise Fail("TYPE", f"{name} did not find the text")
        return float(found + 1)

    return run


def _proper(args: Args) -> Value:
    out, after_letter = [], False
    for char in to_text(args[0]):
        out.append(char.lower() if after_letter else char.upper())
        after_letter = char.isalpha()
    return check_text("".join(out))


def _rept(args: Args) -> Value:
    text, count = to_text(args[0]), _count(args, 1, 0, "REPT")
    if len(text) * count > MAX_TEXT:
        raise Fail("LIMIT", f"A text would be longer than {MAX_TEXT:,} characters")
    return text * count


def _value(args: Args) -> Value:
    value = args[0]
    if isinstance(value, list):
        raise Fail("TYPE", "VALUE needs one value, not a list")
    if not isinstance(value, str):
        return to_number(value)
    text = value.strip(" \t\r\n")
    match = _AMOUNT.fullmatch(text)
    if match is None or not any(char.isdigit() for char in match.group(2).partition("e")[0]):
        raise Fail("TYPE", f'VALUE cannot read "{value[:30]}" as a number')
    sign, digits, percent = match.groups()
    number = text_to_number(sign + digits.replace(",", ""))
    return number / 100.0 if percent else number


def _digits_text(number: float, decimals: int) -> tuple[str, str]:
    """The whole and fraction digits of a non-negative number already rounded to `decimals`."""
    if number >= 1e21:
        return format_number(number), ""
    text = f"{number:.{decimals}f}"
    whole, _, fraction = text.partition(".")
    return whole, fraction


_TOKEN = re.compile(r'"([^"]*)"|\\(.)|([0#?,.])|(.)', re.S)


def format_text(number: float, pattern: str) -> str:
    """A number written with a spreadsheet format such as "#,##0.00", "0%" or "$#,##0"."""
    if pattern.strip().lower() == "general":
        return format_number(number)
    sections = _sections(pattern)
    section, signed = sections[0], True
    if number < 0 and len(sections) > 1:
        section, signed = sections[1], False
    elif number == 0 and len(sections) > 2:
        section = sections[2]
    tokens = [
        (m.group(3) or "", m.group(1) or m.group(2) or m.group(4) or "")
        for m in _TOKEN.finditer(section)
    ]
    places = [index for index, (code, _) in enumerate(tokens) if code in ("0", "#", "?")]
    if not places:
        raise Fail("ARG", f'TEXT does not know the format "{pattern[:30]}"')
    first, last = places[0], places[-1]
    prefix = "".join(literal for code, literal in tokens[:first] if not code or code in ",.")
    suffix = "".join(literal for code, literal in tokens[last + 1 :])
    body = [code for code, _ in tokens[first : last + 1] if code]
    literal_inside = "".join(literal for code, literal in tokens[first : last + 1] if not code)
    percent = (prefix + suffix + literal_inside).count("%")
    whole_codes, point, fraction_codes = "".join(body).partition(".")
    decimals = sum(code in "0#?" for code in fraction_codes)
    required = len(fraction_codes.rstrip("#?").replace(",", ""))
    value = abs(number) * 100.0**percent
    rounded = round_digits(value, decimals, "half")
    whole, fraction = _digits_text(rounded, decimals)
    fraction = fraction[: max(required, len(fraction.rstrip("0")))]
    minimum = whole_codes.count("0")
    whole = whole.lstrip("0").rjust(minimum, "0")
    if "," in whole_codes and whole.isdigit():
        whole = f"{int(whole):,}"
    text = whole + (point if fraction or point and required else "") + fraction
    sign = "-" if signed and number < 0 and rounded != 0.0 else ""
    return check_text(sign + prefix + text + literal_inside + suffix)


def _sections(pattern: str) -> list[str]:
    sections, current, quoted = [], "", False
    for char in pattern:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return [*sections, current]


def _text(args: Args) -> Value:
    value, pattern = args[0], to_text(args[1])
    if isinstance(value, str):
        try:
            value = text_to_number(value) if value.strip(" \t\r\n") else value
        except Fail:
            return value
        if isinstance(value, str):
            return value
    if has_date_codes(pattern):
        return check_text(format_date(to_number(value), pattern))
    return format_text(to_number(value), pattern)


def _fixed(args: Args) -> Value:
    number = to_number(args[0])
    decimals = math.trunc(to_number(args[1])) if len(args) > 1 else 2
    if decimals > 100:
        raise Fail("ARG", "FIXED shows at most 100 decimals")
    plain = len(args) > 2 and to_bool(args[2])
    if decimals < 0:
        number, decimals = round_digits(number, int(max(decimals, -400)), "half"), 0
    pattern = ("0" if plain else "#,##0") + ("." + "0" * int(decimals) if decimals > 0 else "")
    return format_text(number, pattern)


FAMILY = Family(
    arities={
        "CONCAT": typed(
            1,
            None,
            'CONCAT(a, b, ...): the values as one text: CONCAT("a", 1) is "a1"',
            "text",
            "t",
        ),
        "TEXTJOIN": typed(
            3,
            None,
            'TEXTJOIN(between, skip_empty, a, ...): TEXTJOIN(", ", TRUE, list)',
            "text",
            "tbt",
        ),
        "LEFT": typed(
            1, 2, 'LEFT(text, n=1): the first n characters: LEFT("Hello", 2) is "He"', "text", "tn"
        ),
        "RIGHT": typed(1, 2, "RIGHT(text, n=1): the last n characters", "text", "tn"),
        "MID": typed(
            3,
            3,
            'MID(text, start, n): n characters from start: MID("Hello", 2, 3) is "ell"',
            "text",
            "tnn",
        ),
        "TRIM": typed(
            1, 1, "TRIM(text): without spaces at the ends or doubled inside", "text", "t"
        ),
        "SUBSTITUTE": typed(
            3, 4, "SUBSTITUTE(text, old, new, instance=all): old replaced by new", "text", "tttn"
        ),
        "FIND": typed(
            2, 3, "FIND(find, text, start=1): position of find, case-sensitive", "number", "ttn"
        ),
        "SEARCH": typed(
            2, 3, "SEARCH(find, text, start=1): position of find, any case", "number", "ttn"
        ),
        "PROPER": typed(1, 1, 'PROPER(text): each word capitalised: "Jane Doe"', "text", "t"),
        "REPT": typed(2, 2, 'REPT(text, n): the text n times: REPT("*", 3) is "***"', "text", "tn"),
        "EXACT": typed(
            2, 2, "EXACT(a, b): TRUE when the texts are equal, case included", "boolean", "tt"
        ),
        "VALUE": typed(
            1, 1, 'VALUE(text): the number written: VALUE("$1,250") is 1250', "number", "a"
        ),
        "TEXT": typed(
            2,
            2,
            'TEXT(x, format): x written as format: TEXT(0.256, "0.0%") is "25.6%"',
            "text",
            "at",
        ),
        "FIXED": typed(
            1,
            3,
            'FIXED(x, decimals=2, no_commas=FALSE): FIXED(1234.567) is "1,234.57"',
            "text",
            "nnb",
        ),
    },
    eager={
        "CONCAT": _concat,
        "TEXTJOIN": _textjoin,
        "LEFT": _left,
        "RIGHT": _right,
        "MID": _mid,
        "TRIM": _trim,
        "SUBSTITUTE": _substitute,
        "FIND": _finder(False),
        "SEARCH": _finder(True),
        "PROPER": _proper,
        "REPT": _rept,
        "EXACT": lambda args: to_text(args[0]) == to_text(args[1]),
        "VALUE": _value,
        "TEXT": _text,
        "FIXED": _fixed,
    },
    script=MORE_SCRIPT,
)
