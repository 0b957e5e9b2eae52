"""Input models: the questions a visitor answers, their options and the steps grouping them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from keyvex.tools._common import (
    CurrencyCode,
    Formula,
    Identifier,
    LongText,
    ShortText,
    Strict,
    StructureError,
    Title,
)

InputType = Literal[
    "number",
    "currency",
    "percent",
    "slider",
    "select",
    "radio",
    "multiselect",
    "yes_no",
    "text",
    "email",
    "date",
]
NUMERIC_TYPES = frozenset({"number", "currency", "percent", "slider"})
CHOICE_TYPES = frozenset({"select", "radio", "multiselect"})
TEXT_TYPES = frozenset({"text", "email", "date"})
YES_NO_VALUES = frozenset({"yes", "no", "na"})

AnswerValue = float | str | bool | list[str] | None


class Option(Strict):
    """One choice of a select, radio, multiselect or yes/no question."""

    value: ShortText = Field(min_length=1, description="Stored answer value.")
    label: ShortText = Field(description="Text shown to the visitor.")
    points: float = Field(
        default=0, description="Points for assessments (and optional quiz scoring)."
    )
    outcome_points: dict[Identifier, float] = Field(
        default_factory=dict, description="Outcome quiz: points this option awards per outcome."
    )
    correct: bool = Field(
        default=False, description="Knowledge quiz: this option is a right answer."
    )
    is_na: bool = Field(
        default=False, description="'Not applicable': excluded from the denominator."
    )


class Input(Strict):
    """A question. Percent inputs are entered in percent points; formulas see the fraction."""

    id: Identifier
    type: InputType
    label: ShortText
    help: LongText = ""
    placeholder: ShortText = ""
    required: bool = True
    default: AnswerValue = None
    min: float | None = None
    max: float | None = None
    step: float | None = Field(default=None, gt=0)
    unit: ShortText = ""
    currency: CurrencyCode | None = Field(
        default=None, description="Currency inputs; tool default."
    )
    options: list[Option] = Field(default_factory=list)
    category: Identifier | None = Field(
        default=None, description="Assessment category it scores in."
    )
    reverse_scored: bool = Field(default=False, description="Assessment: points run the other way.")
    weight: float = Field(default=1, ge=0, description="Weight of this question within its score.")
    visible_if: Formula | None = Field(
        default=None, description="Shown only when this formula is true."
    )

    @model_validator(mode="after")
    def _check_shape(self) -> Input:
        issues: list[tuple[str, str]] = []
        if self.min is not None and self.max is not None and self.min > self.max:
            issues.append(("max", f"must be at least min ({self.min:g})."))
        if self.type == "slider" and (self.min is None or self.max is None):
            issues.append(("type", "A slider needs both min and max."))
        if self.type in CHOICE_TYPES and len(self.options) < 2:
            issues.append(("options", f"A {self.type} question needs at least two options."))
        if self.options and self.type not in CHOICE_TYPES | {"yes_no"}:
            issues.append(("options", f"A {self.type} input cannot have options."))
        if self.type == "yes_no":
            for i, option in enumerate(self.options):
                if option.value not in YES_NO_VALUES:
                    issues.append((f"options[{i}].value", "must be 'yes', 'no' or 'na'."))
        issues.extend(_duplicate_values(self.options))
        if issues:
            raise StructureError(issues)
        return self


def _duplicate_values(options: list[Option]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    issues = []
    for i, option in enumerate(options):
        if option.value in seen:
            issues.append((f"options[{i}].value", f"'{option.value}' is used by another option."))
        seen.add(option.value)
    return issues


class Step(Strict):
    """A page of the tool: a titled group of inputs shown together."""

    id: Identifier
    title: Title
    description: LongText = ""
    inputs: list[Identifier] = Field(min_length=1)
