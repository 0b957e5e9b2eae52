"""AI co-creation: conversation, builder and editor agents over a model registry.

With no API key every agent is answered by the offline planner (a deterministic
pydantic-ai model that composes from the knowledge base, ``keyvex.knowledge``); OpenAI,
Anthropic and any OpenAI-compatible server plug in through the registry. Every model call is
recorded as usage (see ``keyvex.ai.usage``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from keyvex.ai.models import (
    AIContext,
    BuildBrief,
    BuildResult,
    ConversationState,
    EditResult,
    InputType,
    NeedsModel,
    Progress,
    Question,
    QuestionOption,
    Turn,
)

if TYPE_CHECKING:
    from keyvex.ai.agents import AgentDeps, builder_agent, conversation_agent, editor_agent
    from keyvex.ai.ideas import tool_ideas
    from keyvex.ai.planner import fit_report
    from keyvex.ai.providers import use_models
    from keyvex.ai.service import build_tool, edit_tool, next_turn
    from keyvex.ai.usage import list_usage

# pydantic-ai and the provider SDKs take about two seconds to import; the data models above
# are all the web app needs at start-up, the agents load on first use (PEP 562).
_LAZY = {
    "AgentDeps": "keyvex.ai.agents",
    "builder_agent": "keyvex.ai.agents",
    "conversation_agent": "keyvex.ai.agents",
    "editor_agent": "keyvex.ai.agents",
    "use_models": "keyvex.ai.providers",
    "build_tool": "keyvex.ai.service",
    "edit_tool": "keyvex.ai.service",
    "next_turn": "keyvex.ai.service",
    "list_usage": "keyvex.ai.usage",
    "fit_report": "keyvex.ai.planner",
    "tool_ideas": "keyvex.ai.ideas",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'keyvex.ai' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "AIContext",
    "AgentDeps",
    "BuildBrief",
    "BuildResult",
    "ConversationState",
    "EditResult",
    "InputType",
    "NeedsModel",
    "Progress",
    "Question",
    "QuestionOption",
    "Turn",
    "build_tool",
    "builder_agent",
    "conversation_agent",
    "edit_tool",
    "editor_agent",
    "fit_report",
    "list_usage",
    "next_turn",
    "tool_ideas",
    "use_models",
]
