"""Shared building blocks of tool definitions: the strict base model and constrained types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"

# Words of the formula language that can never name an input, constant or calculation.
KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
# Names the engine defines for quizzes and assessments; creators cannot reuse them.
SCORE_NAMES = frozenset({"score", "score_percent", "max_score"})

Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=64)]
Color = Annotated[str, StringConstraints(pattern=COLOR_PATTERN)]
CurrencyCode = Annotated[str, StringConstraints(pattern=CURRENCY_PATTERN)]
Formula = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Strict(BaseModel):
    """Base of every definition model: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class StructureError(ValueError):
    """Cross-field problems found after field validation, each with its own path."""

    def __init__(self, issues: list[tuple[str, str]]) -> None:
        self.issues = issues
        super().__init__("; ".join(f"{path}: {message}" for path, message in issues))
