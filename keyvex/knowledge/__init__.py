"""The knowledge base: reviewed calculator models, assessment banks, outcome and fact sets."""

from keyvex.knowledge._load import KnowledgeBase, KnowledgeError, knowledge_base
from keyvex.knowledge.brief import Understanding, understand
from keyvex.knowledge.compose import (
    Slots,
    assessment_tool,
    calculator_tool,
    fact_tool,
    fill,
    outcome_tool,
)
from keyvex.knowledge.models import (
    AssessmentBank,
    CalculatorModel,
    FactBank,
    Industry,
    OutcomeSet,
    Variant,
)
from keyvex.knowledge.plan import Fit, Plan, choose, compose, find_plan, fit_of

__all__ = [
    "Fit",
    "Plan",
    "Understanding",
    "choose",
    "compose",
    "find_plan",
    "fit_of",
    "understand",
    "AssessmentBank",
    "CalculatorModel",
    "FactBank",
    "Industry",
    "KnowledgeBase",
    "KnowledgeError",
    "OutcomeSet",
    "Slots",
    "Variant",
    "assessment_tool",
    "calculator_tool",
    "fact_tool",
    "fill",
    "knowledge_base",
    "outcome_tool",
]
