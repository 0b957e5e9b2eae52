"""The Result of running a tool: values, formatted display, scores, outcome and blocks."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Value = float | str | bool | list[str] | None


class Scores(BaseModel):
    """Quiz and assessment totals; percent is 0-100."""

    model_config = ConfigDict(extra="forbid")

    total: float
    max: float
    percent: float | None


class OutcomeResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    description: str = ""


class ChartPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    value: float | None
    display: str


class TableField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    display: str


class TableCard(BaseModel):
    """One recommended row of a data table: its title and the shown columns."""

    model_config = ConfigDict(extra="forbid")

    title: str
    fields: list[TableField] = Field(default_factory=list)


class RenderedBlock(BaseModel):
    """A result block with its text filled in (not escaped: the web layer escapes)."""

    model_config = ConfigDict(extra="forbid")

    type: str
    title: str = ""
    text: str = ""
    subtext: str = ""
    label: str = ""
    value: Value = None
    display: str = ""
    chart: str | None = None
    points: list[ChartPoint] = Field(default_factory=list)
    max: float | None = None
    url: str = ""
    items: list[str] = Field(default_factory=list)
    cards: list[TableCard] = Field(default_factory=list)


class Result(BaseModel):
    """Everything a result page, a lead record or a test case needs from one run."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Value] = Field(description="Normalised answers of visible inputs.")
    visible_inputs: list[str]
    values: dict[str, Value] = Field(description="Calculation values by id.")
    display: dict[str, str] = Field(description="Formatted text of every placeholder name.")
    errors: dict[str, str] = Field(default_factory=dict, description="Calculations that failed.")
    scores: Scores | None = None
    category_scores: dict[str, float | None] = Field(default_factory=dict)
    correct: dict[str, bool] = Field(default_factory=dict, description="Knowledge quiz marks.")
    outcome_points: dict[str, float] = Field(default_factory=dict)
    outcome: OutcomeResult | None = None
    blocks: list[RenderedBlock] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)

    def value(self, name: str) -> Any:
        """A calculation, category score or score name (score, score_percent, max_score)."""
        if name in self.values:
            return self.values[name]
        if name in self.category_scores:
            return self.category_scores[name]
        if self.scores is not None:
            scores: dict[str, float | None] = {"score": self.scores.total}
            scores |= {"max_score": self.scores.max, "score_percent": self.scores.percent}
            if name in scores:
                return scores[name]
        return self.answers.get(name)
