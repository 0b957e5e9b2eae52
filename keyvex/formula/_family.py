"""The shape every family of built-in functions exports, and the helpers families share.

A family module (``_fn_maths.py``, ``_fn_stats.py`` ...) defines one ``FAMILY = Family(...)``:

* ``arities``: name -> Arity (minimum, maximum or None, one-line summary with an example);
* ``eager``: name -> implementation taking the evaluated argument values (a tuple) and
  returning a value or raising ``Fail``; an error argument short-circuits before the call
  unless the name is in ``tolerant`` (ISERROR, COUNT ... see error values as arguments);
* ``compilers``: name -> compiler for functions that evaluate only what they need or read
  tables (IF, IFERROR, LET, VLOOKUP ...): it gets the argument nodes, their compiled
  closures and the call's Site, and returns the closure;
* ``tables``: name -> the position of the argument that names a data table (VLOOKUP's
  second); that argument is a table name, not a value, and the call is never constant;
* ``script``: the browser file implementing the family, ``formula.js`` (always loaded) or
  ``formula-more.js`` (loaded only by pages whose formulas call one of its functions).

``_functions.py`` merges every family into FUNCTIONS, EAGER, COMPILERS, TOLERANT and SCRIPTS;
a name lives in exactly one family.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ._errors import Fail
from ._site import Site
from ._values import Scalar, Value, check_number, to_number

Args = tuple[Value, ...]
Node = dict[str, Any]
Variables = Mapping[str, object]
Tables = Mapping[str, object]
Fn = Callable[[Variables, Tables], Value]
Eager = Callable[[Args], Value]
Compiler = Callable[[list[Node], list[Fn], Site], Fn]
CORE_SCRIPT = "formula.js"
MORE_SCRIPT = "formula-more.js"


class Arity(NamedTuple):
    """How many values a function takes (`maximum` None: any number), a one-line summary, the
    kind of value it gives ("number", "text", "boolean" or "any"), whether every value it
    takes must be a number, and else `kinds`: per value "n" (number), "b" (TRUE/FALSE), "t"
    (text), "l" (list), "T" (table name) or "a" (anything), the last letter repeating. Static
    analysis reports a constant that cannot be a number or TRUE/FALSE where one is needed."""

    minimum: int
    maximum: int | None
    summary: str
    result: str = "any"
    numeric: bool = False
    kinds: str = ""


def number_fn(minimum: int, maximum: int | None, summary: str) -> Arity:
    """A function of numbers giving a number."""
    return Arity(minimum, maximum, summary, "number", True, "n")


def typed(minimum: int, maximum: int | None, summary: str, result: str, kinds: str) -> Arity:
    """A function whose values have the kinds given letter by letter (see Arity)."""
    return Arity(minimum, maximum, summary, result, False, kinds)


@dataclass(frozen=True)
class Family:
    """One family of built-in functions (see the module docstring)."""

    arities: Mapping[str, Arity]
    eager: Mapping[str, Eager] = field(default_factory=dict)
    compilers: Mapping[str, Compiler] = field(default_factory=dict)
    tolerant: frozenset[str] = frozenset()
    tables: Mapping[str, int] = field(default_factory=dict)
    script: str = CORE_SCRIPT

    def __post_init__(self) -> None:
        implemented = set(self.eager) | set(self.compilers)
        assert implemented == set(self.arities), implemented ^ set(self.arities)
        assert not set(self.eager) & set(self.compilers)
        assert self.tolerant <= set(self.eager)


def items(args: Args) -> Iterator[Scalar]:
    """The argument values with lists flattened."""
    for arg in args:
        if isinstance(arg, list):
            yield from arg
        else:
            yield arg  # type: ignore[misc]


def numbers(args: Args) -> list[float]:
    """The values as numbers, lists flattened, blanks and empty text skipped."""
    return [to_number(item) for item in items(args) if item is not None and item != ""]


def power(base: float, exponent: float) -> float:
    if base == 0.0 and exponent < 0:
        raise Fail("DIV_ZERO", "Zero to a negative power is a division by zero")
    if base < 0 and not exponent.is_integer():
        raise Fail("NUM", "A negative number to a fractional power is not a real number")
    try:
        return check_number(math.pow(base, exponent))
    except OverflowError:
        raise Fail("NUM", "The result is too large to be a number") from None


def divide(numerator: float, denominator: float) -> float:
    if denominator == 0.0:
        raise Fail("DIV_ZERO", "Division by zero")
    return check_number(numerator / denominator)
