"""Tool ideas through the ``ideas`` AI process, with the knowledge base as starting point.

With only the offline planner configured the ideas come from the knowledge base directly
(``keyvex.knowledge.ideas``), at no cost and with no model request. With a model configured,
the model receives the creator's words and the knowledge-base ideas (the closest reviewed
structures) and answers 3-5 ideas; an answer that fails validation, or a provider failure,
leaves the knowledge-base ideas in place.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_ai import Agent

from keyvex.ai.models import AIContext
from keyvex.ai.registry import Process
from keyvex.ai.side import run_on_live_models
from keyvex.errors import Invalid
from keyvex.knowledge.ideas import Idea, clean, generate

PROCESS: Process = "ideas"
LIMIT = 200

INSTRUCTIONS = """\
You suggest interactive lead magnets for a consultant, coach or B2B service provider.
The user message is JSON: {"task": "ideas", "expertise", "audience", "offer", "starting_points"}.
starting_points are ideas built from reviewed content; keep the good ones, improve their
wording, and add ideas they miss. Answer 3 to 5 ideas, mixing kinds (calculator, assessment,
outcome_quiz, knowledge_quiz). For each: a title a visitor would click, one line on what the
visitor gets, one line on why it brings the consultant leads, and a brief (one or two
sentences a consultant would type to create the tool: kind, subject, audience, offer)."""


class ProposedIdea(BaseModel):
    kind: Literal["calculator", "assessment", "outcome_quiz", "knowledge_quiz"]
    title: str = Field(min_length=5, max_length=160)
    value: str = Field(min_length=10, max_length=300)
    why: str = Field(min_length=10, max_length=300)
    brief: str = Field(min_length=10, max_length=600)


class IdeaList(BaseModel):
    ideas: list[ProposedIdea] = Field(min_length=3, max_length=5)


ideas_agent = Agent(None, output_type=IdeaList, instructions=INSTRUCTIONS, name=PROCESS, retries=1)


def _words(value: object, field: str, label: str, required: bool) -> str:
    text = clean(value if isinstance(value, str) else "", LIMIT + 1)
    if required and not text:
        raise Invalid(f"Please say {label}.", fields={field: f"Say {label}."})
    if len(text) > LIMIT:
        raise Invalid("That is too long.", fields={field: f"Keep it under {LIMIT} characters."})
    return text


async def tool_ideas(
    ctx: AIContext, expertise: object, audience: object, offer: object
) -> list[Idea]:
    """3-5 ideas for the creator's expertise, audience and offer (Invalid names a bad field)."""
    expertise = _words(expertise, "expertise", "what you are expert in", True)
    audience = _words(audience, "audience", "who your clients are", True)
    offer = _words(offer, "offer", "what you sell", False)
    offline = generate(expertise, audience, offer)
    payload = {
        "task": "ideas", "expertise": expertise, "audience": audience, "offer": offer,
        "starting_points": [i.as_json() for i in offline],
    }  # fmt: skip
    result = await run_on_live_models(ctx, PROCESS, ideas_agent, json.dumps(payload))
    if result is None:
        return offline
    return [
        Idea(kind=i.kind, title=clean(i.title, 160), value=clean(i.value, 300),
             why=clean(i.why, 300), brief=clean(i.brief, 2000), source="model")
        for i in result.output.ideas
    ]  # fmt: skip
