"""A tool with its formulas compiled once and its calculations in dependency order, cached."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from keyvex import formula
from keyvex.engine.graph import order_calculations
from keyvex.errors import Invalid
from keyvex.tools.definition import DataTable, ToolDefinition
from keyvex.tools.results import Calculation, Outcome, TableRecommendationsBlock


class Formula(Protocol):
    """What the engine needs from a compiled formula."""

    names: frozenset[str]
    functions: frozenset[str]

    def evaluate(self, variables: Any = None, tables: Any = None) -> Any: ...


class ToolError(Invalid):
    """A definition the engine cannot run: a formula that does not parse, or a cycle."""

    title = "Tool cannot run"


@dataclass
class CompiledTool:
    """Everything run() needs that depends only on the definition.

    It holds the definition weakly, so the cache never keeps a tool alive.
    """

    tool_ref: weakref.ref[ToolDefinition]
    visibility: dict[str, Formula] = field(default_factory=dict)
    calculations: list[tuple[Calculation, Formula]] = field(default_factory=list)
    conditions: list[tuple[Outcome, Formula | None]] = field(default_factory=list)
    constants: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Compiled filter values of each "recommendations from table" block, by block index.
    table_filters: dict[int, list[Formula]] = field(default_factory=dict)
    #: Each such block's table rows in its sort order, computed on first use.
    table_order: dict[int, list[Any]] = field(default_factory=dict)
    #: Whether some formula calls TODAY() or NOW(): only then does run() hand it the time.
    reads_clock: bool = False

    @property
    def tool(self) -> ToolDefinition:
        tool = self.tool_ref()
        if tool is None:  # pragma: no cover - callers hold the tool while running it
            raise ToolError("The tool definition is gone.")
        return tool


_CACHE: dict[int, CompiledTool] = {}
_LOCK = threading.Lock()


def compile_tool(tool: ToolDefinition) -> CompiledTool:
    """The compiled form of ``tool``, built once per definition object (keyed by identity).

    Definitions are treated as immutable once run; build a new one to change it.
    """
    key = id(tool)
    cached = _CACHE.get(key)
    if cached is not None and cached.tool_ref() is tool:
        return cached
    compiled = _build(tool)
    with _LOCK:
        _CACHE[key] = compiled
    return compiled


def _forget(cache: dict[int, CompiledTool], key: int) -> Callable[[Any], None]:
    """A weakref callback bound to the dict itself (module globals vanish at exit)."""

    def callback(ref: Any) -> None:
        entry = cache.get(key)
        if entry is not None and entry.tool_ref is ref:
            del cache[key]

    return callback


def _build(tool: ToolDefinition) -> CompiledTool:
    compiled = CompiledTool(tool_ref=weakref.ref(tool, _forget(_CACHE, id(tool))))
    compiled.constants = {c.id: c.value for c in tool.constants}
    compiled.tables = {t.name: table_rows(t) for t in tool.tables}
    for index, block in enumerate(tool.results):
        if isinstance(block, TableRecommendationsBlock):
            compiled.table_filters[index] = [
                _compile(f.value, f"results[{index}].filters[{k}].value")
                for k, f in enumerate(block.filters)
            ]
    for index, item in enumerate(tool.inputs):
        if item.visible_if is not None:
            compiled.visibility[item.id] = _compile(item.visible_if, f"inputs[{index}].visible_if")
    by_id = {
        calc.id: (calc, _compile(calc.formula, f"calculations[{i}].formula"))
        for i, calc in enumerate(tool.calculations)
    }
    order, cycle = order_calculations({k: v[1].names for k, v in by_id.items()})
    if cycle:
        raise ToolError(f"Calculations form a cycle: {' -> '.join(cycle)}.")
    compiled.calculations = [by_id[calc_id] for calc_id in order]
    for index, outcome in enumerate(tool.outcomes):
        condition = outcome.condition
        source = _compile(condition, f"outcomes[{index}].condition") if condition else None
        compiled.conditions.append((outcome, source))
    compiled.reads_clock = any(not CLOCK_FUNCTIONS.isdisjoint(f.functions) for f in _all(compiled))
    return compiled


#: The functions that read the evaluation time (``formula.NOW_TABLE``).
CLOCK_FUNCTIONS = frozenset({"TODAY", "NOW"})


def _all(compiled: CompiledTool) -> list[Formula]:
    found = [*compiled.visibility.values(), *(f for _, f in compiled.calculations)]
    found += [f for _, f in compiled.conditions if f is not None]
    found += [f for filters in compiled.table_filters.values() for f in filters]
    return found


def table_rows(table: DataTable) -> list[dict[str, Any]]:
    """Rows as LOOKUP reads them: every column present, the key column first."""
    key = table.key_column or table.columns[0]
    columns = [key, *(c for c in table.columns if c != key)]
    return [{c: row.get(c) for c in columns} for row in table.rows]


def _compile(source: str, path: str) -> Formula:
    try:
        result: Formula = formula.compile(source)
    except formula.FormulaError as exc:
        raise ToolError(f"{path}: {exc.message}") from None
    return result
