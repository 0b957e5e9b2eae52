"""Logic and check functions: IFERROR, IFNA, XOR, SWITCH, ISNUMBER, ISTEXT, ISERROR, LET."""

from __future__ import annotations

from ._errors import ErrorValue, Fail
from ._family import Args, Arity, Family, Fn, Node, Tables, Variables, items, typed
from ._site import Site
from ._values import Value, compare, to_bool


def _iferror(nodes: list[Node], args: list[Fn], site: Site, only: str | None = None) -> Fn:
    value_fn, fallback = args

    def run(variables: Variables, tables: Tables) -> Value:
        value = value_fn(variables, tables)
        if type(value) is ErrorValue and (only is None or value.code == only):
            return fallback(variables, tables)
        return value

    return run


def _ifna(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    return _iferror(nodes, args, site, "NA")


def _switch(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    subject, rest = args[0], args[1:]
    pairs = list(zip(rest[::2], rest[1::2], strict=False))
    default = rest[-1] if len(rest) % 2 else None

    def run(variables: Variables, tables: Tables) -> Value:
        value = subject(variables, tables)
        if type(value) is ErrorValue:
            return value
        for case, result in pairs:
            candidate = case(variables, tables)
            if type(candidate) is ErrorValue:
                return candidate
            try:
                if compare(value, candidate) == 0:
                    return result(variables, tables)
            except Fail as failure:
                return site.fail(failure)
        if default is not None:
            return default(variables, tables)
        return site.error("NA", "SWITCH found no case matching its value")

    return run


def _let(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
    names = [node.get("name") if node["type"] == "name" else None for node in nodes[:-1:2]]
    if None in names:
        error = site.error("ARG", "LET needs a name before each value, as in LET(x, 2, x * x)")
        return lambda variables, tables: error
    bindings = list(zip(names, args[1:-1:2], strict=True))
    body = args[-1]

    def run(variables: Variables, tables: Tables) -> Value:
        scope = dict(variables)
        for name, value_fn in bindings:
            value = value_fn(scope, tables)
            if type(value) is ErrorValue:
                return value
            scope[name] = value  # type: ignore[index]
        return body(scope, tables)

    return run


def _xor(args: Args) -> Value:
    return sum(to_bool(item) for item in items(args)) % 2 == 1


FAMILY = Family(
    arities={
        "IFERROR": Arity(2, 2, "IFERROR(value, fallback): fallback when value is an error"),
        "IFNA": Arity(2, 2, "IFNA(value, fallback): fallback when value is NA (nothing found)"),
        "XOR": typed(
            1, None, "XOR(a, b, ...): TRUE when an odd number of values are true", "boolean", "b"
        ),
        "SWITCH": Arity(
            3, None, "SWITCH(x, case1, result1, ..., default): the result of the case equal to x"
        ),
        "ISNUMBER": Arity(1, 1, "ISNUMBER(x): TRUE when x is a number", "boolean"),
        "ISTEXT": Arity(1, 1, "ISTEXT(x): TRUE when x is text", "boolean"),
        "ISERROR": Arity(1, 1, "ISERROR(x): TRUE when x is an error", "boolean"),
        "LET": Arity(
            3, None, "LET(name, value, ..., result): result with the names set: LET(x, 2, x * x)"
        ),
    },
    eager={
        "XOR": _xor,
        "ISNUMBER": lambda args: type(args[0]) is float,
        "ISTEXT": lambda args: isinstance(args[0], str),
        "ISERROR": lambda args: type(args[0]) is ErrorValue,
    },
    compilers={"IFERROR": _iferror, "IFNA": _ifna, "SWITCH": _switch, "LET": _let},
    tolerant=frozenset({"ISNUMBER", "ISTEXT", "ISERROR"}),
)
