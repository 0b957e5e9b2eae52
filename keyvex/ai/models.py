"""Typed inputs and outputs of the AI layer: questions, build briefs, turns and results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from keyvex.errors import Invalid
from keyvex.tools import ToolDefinition, VerificationReport

if TYPE_CHECKING:
    from keyvex.app import App

InputType = Literal[
    "select",
    "multiselect",
    "color_pair",
    "yes_no_maybe",
    "text",
    "textarea",
    "multipart",
    "data_field",
]
ToolKind = Literal["calculator", "quiz", "assessment"]
#: (stage, message); stage is planning, drafting, verifying or repairing.
Progress = Callable[[str, str], Awaitable[None]]


class QuestionOption(BaseModel):
    """One choice; a colour pair carries its two '#rrggbb' colours (primary, background)."""

    value: str
    label: str
    colors: list[str] = Field(default_factory=list)


class Question(BaseModel):
    """A question for the creator, with the widget that answers it."""

    id: str
    prompt: str
    input_type: InputType
    options: list[QuestionOption] = Field(default_factory=list)
    allow_custom: bool = False
    placeholder: str = ""
    max_selections: int | None = None
    parts: list[Question] = Field(default_factory=list, description="multipart: 3-5 parts.")
    suggestions: list[str] = Field(default_factory=list, description="text: suggestion chips.")
    default: Any = None


class BuildBrief(BaseModel):
    """Everything the builder needs: what to build, for whom, and how it should behave."""

    intent: str
    audience: str = ""
    industry: str = ""
    kind: ToolKind
    key_inputs: list[str] = Field(default_factory=list)
    result_style: str = ""
    lead_capture: str = "after_results"
    template_id: str | None = None
    explanation: str = ""


class Turn(BaseModel):
    """The conversation agent's answer: ask one more question, or ready to build.

    With a question it may also plan the rest of the conversation: ``plan`` holds the
    questions still to ask after this one and ``build_brief`` the brief to build from once
    they are answered, so the happy path needs one conversation request, not one per answer.
    """

    kind: Literal["question", "ready"]
    message: str = ""
    question: Question | None = None
    plan: list[Question] = Field(
        default_factory=list,
        description="With a question: the questions to ask after it, in order (at most 5).",
    )
    build_brief: BuildBrief | None = Field(
        default=None, description="Ready: what to build. With a question: the planned brief."
    )


class ConversationState(BaseModel):
    """What the conversation agent knows: the goal, answers so far, the current tool."""

    brief: str
    answers: dict[str, Any] = Field(default_factory=dict)
    asked: list[Question] = Field(default_factory=list)
    tool: dict[str, Any] | None = None
    profile: dict[str, Any] = Field(default_factory=dict)
    data_sources: list[dict[str, Any]] = Field(default_factory=list)
    build_now: bool = False


class BuildResult(BaseModel):
    """A verified tool (``report.errors`` is always empty) and how it was obtained."""

    definition: ToolDefinition
    report: VerificationReport
    template_id: str | None
    attempts: int
    fell_back: bool
    explanation: str
    #: How well the tool covers the brief: {"level": high|medium|low, "covered", "missing"}.
    fit: dict[str, Any] = Field(default_factory=dict)


class EditResult(BaseModel):
    """A verified, changed tool and the JSON Patch that produced it."""

    definition: ToolDefinition
    report: VerificationReport
    summary: str
    patch: list[dict[str, Any]] = Field(default_factory=list)


class EditProposal(BaseModel):
    """The editor agent's raw answer: a JSON Patch or a full definition, or a refusal."""

    summary: str = Field(description="One sentence saying what changed.")
    patch: list[dict[str, Any]] = Field(
        default_factory=list, description="RFC 6902 JSON Patch operations on the definition."
    )
    definition: dict[str, Any] | None = Field(
        default=None, description="A full replacement definition, instead of a patch."
    )
    unsupported: str = Field(
        default="", description="Set (to a sentence) when the change cannot be made."
    )


class NeedsModel(Invalid):
    """The offline planner cannot make this change; the message says so in one sentence."""

    title = "Needs an AI model"


@dataclass
class AIContext:
    """Who is asking and where usage records go."""

    app: App
    user_id: str | None = None
    session_id: str | None = None
