"""Specialised closures for binary operators on numbers, with names and constants inlined.

Values read straight from the variables are checked to be finite floats (NaN and infinity
take the slow path, which reports NUM); values from other closures are always finite.

Each variant reads a variable or a constant directly instead of calling a leaf closure;
anything that is not a plain float (or a failure) falls back to the operator's slow path,
which implements the full rules, so the variants only change speed, never results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._errors import Fail
from ._values import INF, Value

Variables = Mapping[str, object]
Tables = Mapping[str, object]
Fn = Callable[[Variables, Tables], Value]
Slow = Callable[[Value, Value], Value]
Apply = Callable[[float, float], Any]
LooseApply = Callable[[Any, Any], Any]
_SLOW_ERRORS = (ArithmeticError, ValueError, LookupError, Fail)


def _operand(node: dict[str, Any], fn: Fn, constant: bool) -> tuple[str, Any]:
    if node["type"] == "name":
        return "name", node["name"]
    if constant:
        value = fn({}, {})
        if type(value) is float:
            return "const", value
    return "fn", fn


def specialise(
    apply: Apply,
    nodes: tuple[dict[str, Any], dict[str, Any]],
    fns: tuple[Fn, Fn],
    constants: tuple[bool, bool],
    slow: Slow,
) -> Fn:
    """The fastest closure computing `apply(left, right)` for these operand shapes."""
    left_fn, right_fn = fns
    left_kind, left = _operand(nodes[0], left_fn, constants[0])
    right_kind, right = _operand(nodes[1], right_fn, constants[1])
    maker = _VARIANTS.get((left_kind, right_kind), _fn_fn)
    return maker(apply, left, right, left_fn, right_fn, slow)


def _name_name(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        try:
            a = variables[left]
            b = variables[right]
            if type(a) is float and type(b) is float and a - a == b - b == 0.0:
                result = apply(a, b)
                if result - result == 0.0:
                    return result  # type: ignore[no-any-return]
        except _SLOW_ERRORS:
            pass
        return slow(lfn(variables, tables), rfn(variables, tables))

    return run


def _name_const(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        try:
            a = variables[left]
            if type(a) is float and a - a == 0.0:
                result = apply(a, right)
                if result - result == 0.0:
                    return result  # type: ignore[no-any-return]
        except _SLOW_ERRORS:
            pass
        return slow(lfn(variables, tables), right)

    return run


def _const_name(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        try:
            b = variables[right]
            if type(b) is float and b - b == 0.0:
                result = apply(left, b)
                if result - result == 0.0:
                    return result  # type: ignore[no-any-return]
        except _SLOW_ERRORS:
            pass
        return slow(left, rfn(variables, tables))

    return run


def _name_fn(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        b = right(variables, tables)
        try:
            a = variables[left]
            if type(a) is float and type(b) is float and a - a == 0.0:
                result = apply(a, b)
                if result - result == 0.0:
                    return result  # type: ignore[no-any-return]
        except _SLOW_ERRORS:
            pass
        return slow(lfn(variables, tables), b)

    return run


def _fn_name(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a = left(variables, tables)
        try:
            b = variables[right]
            if type(a) is float and type(b) is float and b - b == 0.0:
                result = apply(a, b)
                if result - result == 0.0:
                    return result  # type: ignore[no-any-return]
        except _SLOW_ERRORS:
            pass
        return slow(a, rfn(variables, tables))

    return run


def _fn_const(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a = left(variables, tables)
        if type(a) is float:
            try:
                result = apply(a, right)
                if result - result == 0.0:  # finite (and True for comparisons)
                    return result  # type: ignore[no-any-return]
            except _SLOW_ERRORS:
                pass
        return slow(a, right)

    return run


def _const_fn(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        b = right(variables, tables)
        if type(b) is float:
            try:
                result = apply(left, b)
                if result - result == 0.0:  # finite (and True for comparisons)
                    return result  # type: ignore[no-any-return]
            except _SLOW_ERRORS:
                pass
        return slow(left, b)

    return run


def _fn_fn(apply: Apply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a = lfn(variables, tables)
        b = rfn(variables, tables)
        if type(a) is float and type(b) is float:
            try:
                result = apply(a, b)
                if result - result == 0.0:  # finite (and True for comparisons)
                    return result  # type: ignore[no-any-return]
            except _SLOW_ERRORS:
                pass
        return slow(a, b)

    return run


_VARIANTS = {
    ("name", "name"): _name_name,
    ("name", "const"): _name_const,
    ("const", "name"): _const_name,
    ("name", "fn"): _name_fn,
    ("fn", "name"): _fn_name,
    ("fn", "const"): _fn_const,
    ("const", "fn"): _const_fn,
}


# For + - * the operands need no checks: any operand that is not a finite number either
# raises (text, blank, lists, errors) or gives a result that is not a finite float.
_LOOSE_ERRORS = (ArithmeticError, TypeError, LookupError)


def specialise_arithmetic(
    apply: LooseApply,
    nodes: tuple[dict[str, Any], dict[str, Any]],
    fns: tuple[Fn, Fn],
    constants: tuple[bool, bool],
    slow: Slow,
) -> Fn:
    """Like `specialise`, for an `apply` (*) that needs no check on its operands."""
    left_fn, right_fn = fns
    left_kind, left = _operand(nodes[0], left_fn, constants[0])
    right_kind, right = _operand(nodes[1], right_fn, constants[1])
    maker = _LOOSE_VARIANTS.get((left_kind, right_kind), _loose_fn_fn)
    return maker(apply, left, right, left_fn, right_fn, slow)


# + and -: a result that may have cancelled out to almost nothing (under 2^-48 of the left
# operand) takes the slow path, which snaps it to 0 when the operands are equal to 15
# significant digits (``_approx.approx_add``). The test ``r*r > a*a*2^-96 >= 2^-1022`` lets
# through only results with |r| >= |a| * 2^-48 (rounding is monotonic, and scaling by a power
# of two is exact while the product stays a normal number), with no abs() calls; a zero left
# operand cannot cancel. ``a + sign * b`` is exactly a + b (sign 1) or a - b (sign -1).
_S2 = 2.0**-96
_NORMAL = 2.0**-1022


def specialise_sum(
    sign: float,
    nodes: tuple[dict[str, Any], dict[str, Any]],
    fns: tuple[Fn, Fn],
    constants: tuple[bool, bool],
    slow: Slow,
) -> Fn:
    """The fastest closure for ``left + sign * right`` (+ or -) with these operand shapes."""
    left_fn, right_fn = fns
    left_kind, left = _operand(nodes[0], left_fn, constants[0])
    right_kind, right = _operand(nodes[1], right_fn, constants[1])
    maker = _SUM_VARIANTS.get((left_kind, right_kind), _sum_fn_fn)
    # ``sign`` is typed Any in the variants: ``sign * b`` takes any value b (text, lists
    # and blanks raise TypeError there and go to the slow path).
    return maker(sign, left, right, left_fn, right_fn, slow)


def _left_limit(left: float) -> tuple[float, bool]:
    """For a constant left operand: the bound on r*r, and whether it is 0 (nothing cancels)."""
    bound = left * left * _S2
    return (bound if bound >= _NORMAL else INF), left == 0.0


def _sum_name_name(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        try:
            a: Any = variables[left]
            r = a + sign * variables[right]
            if type(r) is float and r - r == 0.0 and (r * r > a * a * _S2 >= _NORMAL or a == 0.0):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(lfn(variables, tables), rfn(variables, tables))

    return run


def _sum_name_const(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    step = sign * right

    def run(variables: Variables, tables: Tables) -> Value:
        try:
            a: Any = variables[left]
            r = a + step
            if type(r) is float and r - r == 0.0 and (r * r > a * a * _S2 >= _NORMAL or a == 0.0):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(lfn(variables, tables), right)

    return run


def _sum_const_name(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    bound, free = _left_limit(left)

    def run(variables: Variables, tables: Tables) -> Value:
        try:
            r = left + sign * variables[right]
            if type(r) is float and r - r == 0.0 and (r * r > bound or free):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(left, rfn(variables, tables))

    return run


def _sum_name_fn(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        b = right(variables, tables)
        try:
            a: Any = variables[left]
            r = a + sign * b
            if type(r) is float and r - r == 0.0 and (r * r > a * a * _S2 >= _NORMAL or a == 0.0):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(lfn(variables, tables), b)

    return run


def _sum_fn_name(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a: Any = left(variables, tables)
        try:
            r = a + sign * variables[right]
            if type(r) is float and r - r == 0.0 and (r * r > a * a * _S2 >= _NORMAL or a == 0.0):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(a, rfn(variables, tables))

    return run


def _sum_fn_const(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    step = sign * right

    def run(variables: Variables, tables: Tables) -> Value:
        a: Any = left(variables, tables)
        try:
            r = a + step
            if type(r) is float and r - r == 0.0 and (r * r > a * a * _S2 >= _NORMAL or a == 0.0):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(a, right)

    return run


def _sum_const_fn(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    bound, free = _left_limit(left)

    def run(variables: Variables, tables: Tables) -> Value:
        b = right(variables, tables)
        try:
            r = left + sign * b
            if type(r) is float and r - r == 0.0 and (r * r > bound or free):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(left, b)

    return run


def _sum_fn_fn(sign: Any, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a: Any = lfn(variables, tables)
        b = rfn(variables, tables)
        try:
            r = a + sign * b
            if type(r) is float and r - r == 0.0 and (r * r > a * a * _S2 >= _NORMAL or a == 0.0):
                return r
        except _LOOSE_ERRORS:
            pass
        return slow(a, b)

    return run


_SUM_VARIANTS = {
    ("name", "name"): _sum_name_name,
    ("name", "const"): _sum_name_const,
    ("const", "name"): _sum_const_name,
    ("name", "fn"): _sum_name_fn,
    ("fn", "name"): _sum_fn_name,
    ("fn", "const"): _sum_fn_const,
    ("const", "fn"): _sum_const_fn,
}


# *: nothing cancels out, so the operands and result need only the checks above.
def _loose_name_name(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        try:
            result = apply(variables[left], variables[right])
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(lfn(variables, tables), rfn(variables, tables))

    return run


def _loose_name_const(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        try:
            result = apply(variables[left], right)
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(lfn(variables, tables), right)

    return run


def _loose_const_name(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        try:
            result = apply(left, variables[right])
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(left, rfn(variables, tables))

    return run


def _loose_name_fn(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        b = right(variables, tables)
        try:
            result = apply(variables[left], b)
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(lfn(variables, tables), b)

    return run


def _loose_fn_name(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a = left(variables, tables)
        try:
            result = apply(a, variables[right])
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(a, rfn(variables, tables))

    return run


def _loose_fn_const(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a = left(variables, tables)
        try:
            result = apply(a, right)
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(a, right)

    return run


def _loose_const_fn(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        b = right(variables, tables)
        try:
            result = apply(left, b)
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(left, b)

    return run


def _loose_fn_fn(apply: LooseApply, left: Any, right: Any, lfn: Fn, rfn: Fn, slow: Slow) -> Fn:
    def run(variables: Variables, tables: Tables) -> Value:
        a = lfn(variables, tables)
        b = rfn(variables, tables)
        try:
            result = apply(a, b)
            if type(result) is float and result - result == 0.0:
                return result
        except _LOOSE_ERRORS:
            pass
        return slow(a, b)

    return run


_LOOSE_VARIANTS = {
    ("name", "name"): _loose_name_name,
    ("name", "const"): _loose_name_const,
    ("const", "name"): _loose_const_name,
    ("name", "fn"): _loose_name_fn,
    ("fn", "name"): _loose_fn_name,
    ("fn", "const"): _loose_fn_const,
    ("const", "fn"): _loose_const_fn,
}
