"""Tool definitions: models, parsing, JSON Schema, verification and the template library."""

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
from keyvex.tools._parse import ToolValidationError, json_schema, parse_tool
from keyvex.tools._presentation import Cover, Presentation
from keyvex.tools._report import Issue, VerificationReport, VerificationStats
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
from keyvex.tools._theme import LeadCapture, LeadField, Theme
from keyvex.tools._verify import verify
from keyvex.tools.templates import TemplateNotFound, get_template, list_templates

__all__ = [
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
    "get_template",
    "json_schema",
    "list_templates",
    "parse_tool",
    "verify",
]
