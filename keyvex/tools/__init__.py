"""Tool definitions: models, parsing, JSON Schema, verification and the template library."""

from keyvex.tools._contrast import AA_TEXT, contrast_ratio, luminance
from keyvex.tools._names import block_refs, texts
from keyvex.tools._parse import ToolValidationError, json_schema, parse_tool, readable_errors
from keyvex.tools._presentation import Cover, Presentation
from keyvex.tools._report import Issue, VerificationReport, VerificationStats
from keyvex.tools._samples import value_for
from keyvex.tools._theme import FONT_STACKS, LeadCapture, LeadField, Theme
from keyvex.tools._verify import verify
from keyvex.tools._verify_static import formulas_of
from keyvex.tools.definition import (
    SCHEMA_VERSION,
    DataBinding,
    DataTable,
    FollowupPart,
    FollowupQuestion,
    ToolDefinition,
    ToolTestCase,
)
from keyvex.tools.inputs import Input, Option, Step
from keyvex.tools.results import (
    Calculation,
    Category,
    ChartBlock,
    Constant,
    CtaBlock,
    HeadlineBlock,
    MetricBlock,
    Outcome,
    OutcomeBlock,
    RecommendationsBlock,
    ResultBlock,
    Scoring,
    TableColumnView,
    TableFilter,
    TableRecommendationsBlock,
    TextBlock,
)
from keyvex.tools.templates import TemplateNotFound, get_template, list_templates

__all__ = [
    "AA_TEXT",
    "FONT_STACKS",
    "SCHEMA_VERSION",
    "Calculation",
    "Category",
    "ChartBlock",
    "Constant",
    "Cover",
    "CtaBlock",
    "DataBinding",
    "DataTable",
    "FollowupPart",
    "FollowupQuestion",
    "HeadlineBlock",
    "Input",
    "Issue",
    "LeadCapture",
    "LeadField",
    "MetricBlock",
    "Option",
    "Outcome",
    "OutcomeBlock",
    "Presentation",
    "RecommendationsBlock",
    "ResultBlock",
    "Scoring",
    "Step",
    "TemplateNotFound",
    "TableColumnView",
    "TableFilter",
    "TableRecommendationsBlock",
    "TextBlock",
    "Theme",
    "ToolDefinition",
    "ToolTestCase",
    "ToolValidationError",
    "VerificationReport",
    "VerificationStats",
    "block_refs",
    "contrast_ratio",
    "formulas_of",
    "get_template",
    "json_schema",
    "list_templates",
    "luminance",
    "parse_tool",
    "readable_errors",
    "texts",
    "value_for",
    "verify",
]
