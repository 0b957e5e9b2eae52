"""AI co-creation: conversation, builder and editor agents over a model registry.

With no API key every agent is answered by the offline planner (a deterministic
pydantic-ai model that composes from the knowledge base, ``keyvex.knowledge``); OpenAI,
Anthropic and any OpenAI-compatible server plug in through the registry. Every model call is
recorded as usage (see ``keyvex.ai.usage``).
"""

from __future__ import annotations

import asyncio
import importlib
import threading
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

_AGENT_MODULES = ("keyvex.ai.service", "keyvex.ai.ideas")
_loading = threading.Lock()
_loaded = threading.Event()


async def load() -> None:
    """Import the agents (pydantic-ai, the prompts, the planner) in a worker thread.

    The first import takes about a second; done on the event loop it froze every request and
    the job and session lease renewals of that process, long enough under load for a lease to
    run out and another worker to run the same co-creation turn a second time. Call this
    before the first use in a coroutine; once loaded it returns at once."""
    if not _loaded.is_set():
        await asyncio.to_thread(_import_agents)


def _import_agents() -> None:
    with _loading:  # a second caller waits here, in its own thread, not on a module lock
        for module in _AGENT_MODULES:
            importlib.import_module(module)
        _loaded.set()


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
    "load",
    "next_turn",
    "tool_ideas",
    "use_models",
]
