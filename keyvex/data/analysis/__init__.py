"""Smart data analysis: column types, quality, suggested tool types and field mappings.

``analyze`` is synchronous and CPU-bound (polars); call it off the event loop with
``anyio.to_thread.run_sync``. ``refine_mappings`` asks the ``data_mapping`` AI process to
improve the heuristic mappings when a real model is configured.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from keyvex.data._types import Dataset, SourceError
from keyvex.data.analysis.models import (
    QUALITY_WEIGHTS,
    Analysis,
    ColumnProfile,
    ColumnType,
    FieldMapping,
    Quality,
    TargetKind,
    ToolTypeSuggestion,
)

if TYPE_CHECKING:
    from keyvex.data.analysis._ai import mapping_agent, refine_mappings
    from keyvex.tools import ToolDefinition

DEFAULT_SAMPLE_ROWS = 20_000


def analyze(
    data: Dataset | Path,
    *,
    tool: ToolDefinition | None = None,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
) -> Analysis:
    """Profile ``data`` (a Dataset, or a CSV/TSV/spreadsheet path) and suggest how to use it.

    Types and consistency come from the first ``sample_rows`` rows; row, empty, distinct and
    duplicate counts and min/max cover every row (from 100,000 rows on, the distinct count of
    a many-valued column that is not a likely key is an estimate: see
    :attr:`ColumnProfile.distinct_count`). With ``tool``, columns are mapped to its
    inputs and table columns; without, to the roles they could play in a new tool.
    Unreadable data raises :class:`~keyvex.data.SourceError`.
    """
    import polars as pl

    from keyvex.data.analysis import _mapping, _profile, _source, _suggest

    with _source.open_frame(data) as frame:
        try:
            found = _profile.profile(frame, sample_rows)
        except pl.exceptions.PolarsError as exc:
            name = data.name if isinstance(data, Path) else "The data"
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SourceError("format", f"{name} could not be read as CSV ({first}).") from None
        warnings = list(frame.warnings)
    quality = found.quality()
    rows = found.analysed_rows
    if tool is not None:
        mappings = _mapping.map_to_tool(found.columns, tool, rows)
    else:
        mappings = _suggest.roles_without_tool(found.columns, rows)
    if isinstance(data, Dataset) and data.truncated:
        warnings.append(f"Only the first {len(data.rows):,} of {data.row_count:,} rows were read.")
    return Analysis(
        row_count=found.row_count,
        column_count=len(found.columns),
        quality=quality,
        columns=found.columns,
        suggested_tool_types=_suggest.tool_types(found.columns, rows),
        field_mappings=mappings,
        suggestions=warnings + _suggest.cleanup(found.columns, quality, rows),
    )


_LAZY = {"refine_mappings": "keyvex.data.analysis._ai", "mapping_agent": "keyvex.data.analysis._ai"}


def __getattr__(name: str) -> Any:  # pydantic-ai loads only when the AI step is used
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'keyvex.data.analysis' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "QUALITY_WEIGHTS",
    "Analysis",
    "ColumnProfile",
    "ColumnType",
    "FieldMapping",
    "Quality",
    "TargetKind",
    "ToolTypeSuggestion",
    "analyze",
    "mapping_agent",
    "refine_mappings",
]
