"""Calculation, scoring, outcome and result-block models: what a tool computes and shows."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

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

DisplayFormat = Literal["number", "currency", "percent", "date"]
CTA_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Domains reserved for examples and tests (RFC 2606, RFC 6761): a link to one leads nowhere.
PLACEHOLDER_DOMAINS = ("example.com", "example.net", "example.org")
PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost")


def placeholder_host(url: str) -> str | None:
    """The reserved example domain a web or mailto link points at, or None.

    Templates and composed tools ship ``https://example.com/book-a-call`` until the creator
    gives their own link; verification warns about it so no live page keeps a dead button.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"http", "https"}:
        host = (parts.hostname or "").rstrip(".")
    elif scheme == "mailto":
        host = parts.path.rpartition("@")[2].split("?")[0].lower().rstrip(".")
    else:
        return None
    for domain in PLACEHOLDER_DOMAINS:
        if host == domain or host.endswith("." + domain):
            return domain
    if host == "localhost" or host.endswith(PLACEHOLDER_SUFFIXES):
        return host
    return None


class Constant(Strict):
    """A named fixed value formulas can use (a rate, a benchmark, a price)."""

    id: Identifier
    value: float | str | bool
    label: ShortText = ""


class Calculation(Strict):
    """A named formula; percent format shows the value times 100 (0.25 -> '25%'), date format
    shows a serial number as a date (45351 -> '29 Feb 2024')."""

    id: Identifier
    label: ShortText
    formula: Formula
    format: DisplayFormat = "number"
    currency: CurrencyCode | None = Field(
        default=None, description="Currency format; tool default."
    )
    decimals: int = Field(default=0, ge=0, le=6)
    unit: ShortText = Field(default="", description="Suffix for number format, e.g. 'hours'.")


class Category(Strict):
    """An assessment area (or a quiz topic) with its weight and advice when it scores low."""

    id: Identifier
    title: Title
    description: LongText = ""
    weight: float = Field(default=1, gt=0)
    recommendation: LongText = Field(
        default="", description="Shown when the category is below threshold."
    )
    threshold: float | None = Field(
        default=None, ge=0, le=100, description="Percent; scoring default."
    )


class Scoring(Strict):
    """How answers turn into scores: quiz flavour, categories and the advice threshold."""

    quiz_type: Literal["knowledge", "outcome"] | None = None
    categories: list[Category] = Field(default_factory=list)
    recommendation_threshold: float = Field(default=60, ge=0, le=100)


class Outcome(Strict):
    """A result a visitor can get: by condition, by score range (a tier) or by quiz points."""

    id: Identifier
    title: Title
    description: LongText = ""
    condition: Formula | None = Field(
        default=None, description="Chosen when true (first match wins)."
    )
    min_score: float | None = Field(default=None, ge=0, le=100, description="Tier: percent from.")
    max_score: float | None = Field(default=None, ge=0, le=100, description="Tier: percent up to.")
    recommendations: list[LongText] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_mode(self) -> Outcome:
        ranged = self.min_score is not None or self.max_score is not None
        issues: list[tuple[str, str]] = []
        if ranged and (self.min_score is None or self.max_score is None):
            issues.append(("max_score", "A score range needs both min_score and max_score."))
        elif ranged and self.min_score is not None and self.max_score is not None:
            if self.min_score >= self.max_score:
                issues.append(("max_score", "must be greater than min_score."))
        if ranged and self.condition is not None:
            issues.append(("condition", "An outcome uses a condition or a score range, not both."))
        if issues:
            raise StructureError(issues)
        return self

    @property
    def ranged(self) -> bool:
        return self.min_score is not None and self.max_score is not None


class HeadlineBlock(Strict):
    """The big sentence of the result; also the teaser shown before the email gate."""

    type: Literal["headline"]
    text: LongText = Field(min_length=1)
    subtext: LongText = ""


class MetricBlock(Strict):
    """One figure: a calculation, a category score or a score name, formatted."""

    type: Literal["metric"]
    value: Identifier
    label: ShortText = ""
    description: LongText = ""


class TextBlock(Strict):
    """A paragraph with {{name}} placeholders."""

    type: Literal["text"]
    text: LongText = Field(min_length=1)


class ChartBlock(Strict):
    """A chart fed by calculations (series) or by the category scores."""

    type: Literal["chart"]
    chart: Literal["bar", "gauge", "donut", "radar"]
    title: ShortText = ""
    source: Literal["calculations", "categories"] = "calculations"
    series: list[Identifier] = Field(default_factory=list)
    max: float | None = Field(default=None, description="Gauge: the full-scale value.")

    @model_validator(mode="after")
    def _check_series(self) -> ChartBlock:
        if self.source == "calculations" and not self.series:
            raise StructureError([("series", "A chart of calculations needs at least one.")])
        if self.source == "categories" and self.series:
            raise StructureError([("series", "A chart of categories takes no series.")])
        return self


class OutcomeBlock(Strict):
    """The chosen outcome's title and description."""

    type: Literal["outcome"]


class RecommendationsBlock(Strict):
    """Advice: low categories' recommendations and the outcome's own."""

    type: Literal["recommendations"]
    title: ShortText = "Recommendations"


class CtaBlock(Strict):
    """A call to action: a button to book, call or write."""

    type: Literal["cta"]
    label: ShortText = Field(min_length=1)
    url: str = Field(max_length=2000)
    text: LongText = ""

    @field_validator("url")
    @classmethod
    def _safe_url(cls, url: str) -> str:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in CTA_SCHEMES:
            raise ValueError("must start with http:, https:, mailto: or tel:")
        if scheme in {"http", "https"} and not urlsplit(url).netloc:
            raise ValueError("must name a host, e.g. https://example.com/book")
        return url


class TableFilter(Strict):
    """Keep the rows whose ``column`` compares with the formula's value (blank: no filter).

    ``in``: the cell is one of the values (a multi-select answer); ``contains``: the cell's
    text contains the value's text (or any of a list's), case-insensitively.
    """

    column: Identifier
    op: Literal["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains"] = "eq"
    value: Formula


class TableColumnView(Strict):
    """A column shown on each recommended row, formatted."""

    column: Identifier
    label: ShortText = ""
    format: Literal["text", "number", "currency", "percent", "date"] = "text"
    decimals: int = Field(default=0, ge=0, le=6)


class TableRecommendationsBlock(Strict):
    """The top rows of a data table that match the visitor's answers (e.g. products)."""

    type: Literal["table_recommendations"]
    table: Identifier
    title: ShortText = "Recommended for you"
    title_column: Identifier
    filters: list[TableFilter] = Field(default_factory=list, max_length=10)
    sort_by: Identifier | None = None
    descending: bool = False
    limit: int = Field(default=3, ge=1, le=20)
    show: list[TableColumnView] = Field(default_factory=list, max_length=8)
    empty_text: LongText = "Nothing matches your answers yet."


ResultBlock = Annotated[
    HeadlineBlock
    | MetricBlock
    | TextBlock
    | ChartBlock
    | OutcomeBlock
    | RecommendationsBlock
    | CtaBlock
    | TableRecommendationsBlock,
    Field(discriminator="type"),
]
