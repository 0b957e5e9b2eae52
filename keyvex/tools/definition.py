"""The ToolDefinition document: a calculator, quiz or assessment as validated data."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from keyvex.tools._common import (
    CurrencyCode,
    Formula,
    Identifier,
    LongText,
    ShortText,
    Slug,
    Strict,
    StructureError,
    Title,
)
from keyvex.tools._presentation import Presentation
from keyvex.tools._theme import LeadCapture, Theme
from keyvex.tools.inputs import AnswerValue, Input, Step
from keyvex.tools.results import Calculation, Constant, Outcome, ResultBlock, Scoring

SCHEMA_VERSION = 1
ToolKind = Literal["calculator", "quiz", "assessment"]


class DataBinding(Strict):
    """Where a table's rows come from: a data source of the creator (``keyvex.data``).

    ``column_map`` maps each table column to the source column it reads (a column missing
    from the map reads the source column of the same name); ``filter`` is a formula over
    the table's columns that keeps a source row when true. Publishing and every sync copy
    the matching rows into a snapshot the public page reads; ``rows`` stays the fallback.
    """

    source_id: ShortText = Field(min_length=1)
    column_map: dict[Identifier, ShortText] = Field(default_factory=dict)
    filter: Formula | None = None


class DataTable(Strict):
    """A table LOOKUP can read: its columns, optional static rows, optional binding."""

    name: Identifier
    columns: list[Identifier] = Field(min_length=1)
    key_column: Identifier | None = Field(default=None, description="Defaults to the first column.")
    rows: list[dict[Identifier, float | str | bool | None]] = Field(default_factory=list)
    binding: DataBinding | None = None


class ToolTestCase(Strict):
    """Answers and what the tool must produce for them (checked by verification)."""

    __test__ = False  # not a pytest class

    name: ShortText = Field(min_length=1)
    answers: dict[Identifier, AnswerValue] = Field(default_factory=dict)
    expected: dict[Identifier, float | str | bool] = Field(
        default_factory=dict, description="Calculation, category or score name -> value."
    )
    tolerance: float = Field(default=0.01, ge=0, description="Absolute tolerance for numbers.")
    expected_outcome: Identifier | None = None
    notes: LongText = Field(default="", description="How the expected values were worked out.")


FollowupType = Literal[
    "select", "multiselect", "color_pair", "yes_no_maybe", "text", "textarea", "multipart"
]


class FollowupPart(Strict):
    """One field of a multipart follow-up question."""

    id: Identifier
    prompt: ShortText = Field(min_length=1)
    input_type: Literal["text", "select", "number"] = "text"
    options: list[ShortText] = Field(default_factory=list)


class FollowupQuestion(Strict):
    """A question an AI asks a creator to adapt this tool to their business."""

    id: Identifier
    prompt: LongText = Field(min_length=1)
    input_type: FollowupType
    options: list[ShortText] = Field(default_factory=list)
    parts: list[FollowupPart] = Field(default_factory=list)
    applies_to: list[ShortText] = Field(
        default_factory=list, description="Paths of the definition this answer adapts."
    )


class ToolDefinition(Strict):
    """A complete interactive tool. Ids of inputs, constants, calculations and categories
    share one namespace that formulas and {{placeholders}} read."""

    schema_version: Literal[1] = 1
    id: Slug
    title: Title
    description: LongText = ""
    kind: ToolKind
    currency: CurrencyCode = "USD"
    tags: list[ShortText] = Field(default_factory=list)
    keywords: list[ShortText] = Field(default_factory=list)
    inputs: list[Input] = Field(min_length=1)
    steps: list[Step] = Field(default_factory=list)
    constants: list[Constant] = Field(default_factory=list)
    calculations: list[Calculation] = Field(default_factory=list)
    scoring: Scoring | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    results: list[ResultBlock] = Field(default_factory=list)
    lead_capture: LeadCapture = Field(default_factory=LeadCapture)
    theme: Theme = Field(default_factory=Theme)
    presentation: Presentation = Field(default_factory=Presentation)
    tables: list[DataTable] = Field(default_factory=list)
    test_cases: list[ToolTestCase] = Field(default_factory=list)
    followup_questions: list[FollowupQuestion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_structure(self) -> ToolDefinition:
        from keyvex.tools._structure import structure_issues

        issues = structure_issues(self)
        if issues:
            raise StructureError(issues)
        return self

    def input(self, input_id: str) -> Input:
        """The input with this id (KeyError when absent)."""
        for item in self.inputs:
            if item.id == input_id:
                return item
        raise KeyError(input_id)

    @property
    def categories(self) -> list[str]:
        return [c.id for c in self.scoring.categories] if self.scoring else []
