"""The offline planner: a deterministic pydantic-ai model built on the template library."""

from keyvex.ai.planner._conversation import build, edit, make_brief, next_turn
from keyvex.ai.planner._edits import apply_edit, remove_input
from keyvex.ai.planner._scoring import Match, detect_industry, detect_kind, explain, score_templates
from keyvex.ai.planner.model import MODEL_NAME, offline_model

__all__ = [
    "MODEL_NAME",
    "Match",
    "apply_edit",
    "build",
    "detect_industry",
    "detect_kind",
    "edit",
    "explain",
    "make_brief",
    "next_turn",
    "offline_model",
    "remove_input",
    "score_templates",
]
