"""The analysis report: column profiles, quality, suggested tool types and field mappings.

Shares (``consistency``, ``confidence`` and the quality parts) run from 0 to 1; fields named
``*_pct`` are percentages from 0 to 100.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ColumnType = Literal["string", "number", "currency", "percent", "date", "boolean"]
ToolKind = Literal["calculator", "quiz", "assessment"]
TargetKind = Literal["input", "lookup_key", "lookup_value", "filter"]
NUMERIC_TYPES: frozenset[str] = frozenset({"number", "currency", "percent"})

#: Quality score weights: completeness, type consistency, uniqueness (they sum to 1).
QUALITY_WEIGHTS = {"completeness": 0.4, "type_consistency": 0.4, "uniqueness": 0.2}


class ColumnProfile(BaseModel):
    """One column: its detected type, emptiness, cardinality, range and a few raw samples."""

    name: str
    type: ColumnType = "string"
    null_pct: float = Field(0.0, description="Empty cells, in percent of all rows.")
    distinct_count: int = Field(
        0,
        description=(
            "Distinct non-empty values (whole data). Exact, except from 100,000 rows on for a"
            " column with over 2,000 distinct values in the sample that is not a likely key:"
            " then a HyperLogLog estimate, typically within 2%."
        ),
    )
    distinct_estimated: bool = Field(
        False, description="True when distinct_count is a HyperLogLog estimate, not a count."
    )
    min: int | float | str | None = Field(
        None, description="Numbers as numbers, dates as ISO text."
    )
    max: int | float | str | None = None
    samples: list[str] = Field(default_factory=list, description="Up to 5 distinct raw values.")
    consistency: float = Field(1.0, description="Share of non-empty values matching the type.")
    currency: str | None = Field(None, description="ISO 4217 code of a currency column.")
    date_format: str | None = Field(None, description="strftime format, e.g. %d/%m/%Y.")
    #: For text columns: the share of values fitting the best other type (a near miss).
    best_other: tuple[ColumnType, float] | None = Field(None, exclude=True)

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


class Quality(BaseModel):
    """A 0-1 score: the weighted mean of its parts (weights in :data:`QUALITY_WEIGHTS`).

    ``completeness`` is 1 minus the empty share of all cells, ``type_consistency`` the mean
    column consistency, ``uniqueness`` 1 minus the share of rows repeating an earlier row.
    """

    score: float
    completeness: float
    type_consistency: float
    uniqueness: float
    duplicate_rows: int = Field(description="Rows that repeat an earlier row exactly.")
    duplicate_pct: float


class ToolTypeSuggestion(BaseModel):
    """A kind of tool the data suits, how sure we are, and why (naming the columns)."""

    kind: ToolKind
    confidence: float = Field(ge=0, le=1)
    reason: str


class FieldMapping(BaseModel):
    """A column's role in a tool: an input, a lookup table key or value, or a filter.

    With a tool, ``target`` is an input id or ``table.column``; without one it is the
    identifier the column would get in a new tool.
    """

    column: str
    target: str
    target_kind: TargetKind
    confidence: float = Field(ge=0, le=1)
    reason: str


class Analysis(BaseModel):
    """Everything :func:`keyvex.data.analysis.analyze` found in one dataset."""

    row_count: int = Field(description="Exact number of data rows, even when sampling.")
    column_count: int
    quality: Quality
    columns: list[ColumnProfile]
    suggested_tool_types: list[ToolTypeSuggestion] = Field(default_factory=list)
    field_mappings: list[FieldMapping] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)

    def column(self, name: str) -> ColumnProfile:
        """The profile of the column called ``name`` (KeyError when absent)."""
        for profile in self.columns:
            if profile.name == name:
                return profile
        raise KeyError(name)

    def to_cli_json(self) -> dict[str, Any]:
        """The `keyvex data analyze --json` document: everything the source's analysis page
        shows, so a script sees what a creator sees.

        ``row_count``, ``column_count``, ``quality`` (score and parts), per column every
        field of :class:`ColumnProfile` (name, type, null_pct, distinct_count,
        distinct_estimated, min, max, samples, consistency, currency, date_format; a field
        that does not apply is null rather than absent, so every column has the same keys),
        ``suggested_tool_types``, ``field_mappings`` and the clean-up ``suggestions``.
        """
        return {
            "row_count": self.row_count,
            "column_count": self.column_count,
            "quality": self.quality.model_dump(mode="json"),
            "columns": [c.model_dump(mode="json") for c in self.columns],
            "suggested_tool_types": [s.model_dump(mode="json") for s in self.suggested_tool_types],
            "field_mappings": [m.model_dump(mode="json") for m in self.field_mappings],
            "suggestions": list(self.suggestions),
        }
