"""The offline planner: a deterministic pydantic-ai model that composes from the knowledge base."""

from keyvex.ai.planner._conversation import build, edit, explain, make_brief, next_turn
from keyvex.ai.planner._edits import apply_edit, remove_input, uses_of
from keyvex.ai.planner._fit import fit_report
from keyvex.ai.planner.model import MODEL_NAME, offline_model

__all__ = [
    "MODEL_NAME",
    "apply_edit",
    "build",
    "edit",
    "explain",
    "fit_report",
    "make_brief",
    "next_turn",
    "offline_model",
    "remove_input",
    "uses_of",
]
