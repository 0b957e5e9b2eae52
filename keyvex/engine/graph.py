"""Dependency ordering of calculations: a topological order, or the cycle that prevents one."""

from __future__ import annotations

from collections.abc import Mapping


def order_calculations(deps: Mapping[str, frozenset[str]]) -> tuple[list[str], list[str]]:
    """Return (order, cycle): dependencies first; cycle is [] or like ['a', 'b', 'a'].

    ``deps`` maps each calculation id to the names its formula reads; names that
    are not calculations (inputs, constants) are ignored. Ties keep declaration order.
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in deps:
        cycle = _visit(start, deps, state, order, [])
        if cycle:
            return order, cycle
    return order, []


def _visit(
    node: str,
    deps: Mapping[str, frozenset[str]],
    state: dict[str, int],
    order: list[str],
    path: list[str],
) -> list[str]:
    if state.get(node) == 2:
        return []
    if state.get(node) == 1:
        return path[path.index(node) :] + [node]
    state[node] = 1
    path.append(node)
    for name in sorted(deps[node]):
        if name in deps:
            cycle = _visit(name, deps, state, order, path)
            if cycle:
                return cycle
    path.pop()
    state[node] = 2
    order.append(node)
    return []
