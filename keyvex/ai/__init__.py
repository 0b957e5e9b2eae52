"""AI co-creation: conversation, builder and editor agents over a model registry.

With no API key every agent is answered by the offline planner (a deterministic
pydantic-ai model built on the template library); OpenAI, Anthropic and any
OpenAI-compatible server plug in through the registry. Every model call is
recorded as usage (see ``keyvex.ai.usage``).
"""

from keyvex.ai.agents import AgentDeps, builder_agent, conversation_agent, editor_agent
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
from keyvex.ai.providers import use_models
from keyvex.ai.service import build_tool, edit_tool, next_turn
from keyvex.ai.usage import list_usage

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
    "list_usage",
    "next_turn",
    "use_models",
]
