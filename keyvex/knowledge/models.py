"""The knowledge base's schema: calculator models, assessment banks, outcome and fact sets.

Every file under ``keyvex/knowledge/data`` is one of these documents (YAML, reviewed like
code). The schema is strict (unknown keys are refused) so a typo in a content file fails the
knowledge-base tests instead of silently vanishing from the product.

Shared by every entry:
- ``terms``: lower-case words and phrases that identify the entry's subject in a brief
  ("gdpr", "data protection"). A term matches whole words; a term ending in ``*`` matches any
  word starting with it ("outsourc*" matches "outsourcing" and "outsourced").
- ``title`` and every other text may use ``{slots}``: ``{audience}`` (who the visitor is,
  plural: "restaurant owners"), ``{business}`` (the visitor's business, singular:
  "restaurant"), ``{offer}`` (what the creator sells), ``{subject}`` (the brief's own subject
  words; only the generic fallbacks in ``data/generic`` use it, with ``{a_subject}`` for the
  words with an article where English needs one and ``{subjects}`` for their plural),
  ``{areas}`` in an assessment bank's description (the areas the tool scores, listed) and,
  in calculator models, the model's own slots. ``{{name}}`` (double braces) stays a result
  placeholder of the tool itself.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLOT = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")
ID = r"^[a-z][a-z0-9_]*$"
UNIVERSAL_SLOTS = frozenset({"audience", "business", "offer", "subject", "a_subject", "subjects"})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def slots_in(value: Any) -> set[str]:
    """Every ``{slot}`` name used anywhere in a (nested) value."""
    if isinstance(value, str):
        return set(SLOT.findall(value))
    if isinstance(value, dict):
        return set().union(*(slots_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(slots_in(v) for v in value)) if value else set()
    if isinstance(value, BaseModel):
        return slots_in(value.model_dump())
    return set()


class Entry(Strict):
    """What every knowledge-base document has: identity, subject terms, default copy."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=5, max_length=160)
    description: str = Field(min_length=20, max_length=600)
    terms: list[str] = Field(min_length=2, description="Words that name this subject in a brief.")
    audience: str = Field(min_length=3, description="Default audience, plural noun phrase.")
    business: str = Field(default="business", description="Default singular noun for a visitor.")
    offer: str = Field(min_length=3, description="Default offer the call to action promotes.")
    cta_label: str = Field(min_length=3, max_length=80)

    @field_validator("terms")
    @classmethod
    def _lower_terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if term != term.lower().strip() or not term:
                raise ValueError(f"term {term!r} must be lower case without outer spaces")
        if len(set(terms)) != len(terms):
            raise ValueError("terms repeat")
        return terms


# ---- assessments -----------------------------------------------------------------------


class Statement(Strict):
    """One statement the visitor rates; ``reverse`` when agreeing is the bad answer."""

    id: str = Field(pattern=ID)
    text: str = Field(min_length=15, max_length=220)
    reverse: bool = False


class BankCategory(Strict):
    id: str = Field(pattern=ID)
    title: str = Field(min_length=3, max_length=80)
    advice: str = Field(min_length=30, max_length=400, description="Shown when the area is weak.")
    statements: list[Statement] = Field(min_length=3)


class Tier(Strict):
    """A score band: low (0-40), developing (40-70) and strong (70-100), in that order."""

    id: str = Field(pattern=ID)
    title: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=20, max_length=400)
    recommendation: str = Field(min_length=20, max_length=300)


Scale = Literal["agreement", "frequency", "yes_no"]


def _check_statements(categories: list[BankCategory]) -> None:
    ids = [c.id for c in categories] + [s.id for c in categories for s in c.statements]
    if len(set(ids)) != len(ids):
        raise ValueError("category and statement ids must be unique within a bank")
    if not any(s.reverse for c in categories for s in c.statements):
        raise ValueError("a bank needs at least one reverse-scored statement")


class PersonalWording(Strict):
    """A bank's copy for a visitor who rates their own life, not an organisation's: the
    title, description, offer, areas, statements and bands in the first person ("I have a
    written plan for ...", "How ready are you for ...?"). The generic scorecard has one;
    a reviewed bank written for individuals (retirement, home buying) needs none."""

    title: str = Field(min_length=5, max_length=160)
    description: str = Field(min_length=20, max_length=600)
    audience: str = Field(min_length=3)
    offer: str = Field(min_length=3)
    categories: list[BankCategory] = Field(min_length=4)
    tiers: list[Tier] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _unique_ids(self) -> PersonalWording:
        _check_statements(self.categories)
        return self


class AssessmentBank(Entry):
    """Statements in categories for a scorecard about ``subject``; ``personal`` is its copy
    for individuals (see :class:`PersonalWording`)."""

    kind: Literal["assessment"] = "assessment"
    subject: str = Field(min_length=3, max_length=80, description="e.g. 'GDPR readiness'")
    scale: Scale = "agreement"
    categories: list[BankCategory] = Field(min_length=4)
    tiers: list[Tier] = Field(min_length=3, max_length=3)
    personal: PersonalWording | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> AssessmentBank:
        _check_statements(self.categories)
        return self


# ---- outcome quizzes ---------------------------------------------------------------------


class Archetype(Strict):
    id: str = Field(pattern=ID)
    title: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=30, max_length=500)
    recommendations: list[str] = Field(min_length=2)


class OutcomeOption(Strict):
    label: str = Field(min_length=2, max_length=160)
    points: dict[str, float] = Field(min_length=1, description="archetype id -> points")


class OutcomeQuestion(Strict):
    id: str = Field(pattern=ID)
    text: str = Field(min_length=10, max_length=200)
    options: list[OutcomeOption] = Field(min_length=3, max_length=6)


class OutcomeSet(Entry):
    """Archetypes and questions whose options point to them: 'which X fits you?'."""

    kind: Literal["outcome_quiz"] = "outcome_quiz"
    subject: str = Field(min_length=3, max_length=80, description="e.g. 'pricing model'")
    archetypes: list[Archetype] = Field(min_length=3, max_length=6)
    questions: list[OutcomeQuestion] = Field(min_length=6)

    @model_validator(mode="after")
    def _points_name_archetypes(self) -> OutcomeSet:
        known = {a.id for a in self.archetypes}
        reached: set[str] = set()
        for question in self.questions:
            for option in question.options:
                unknown = set(option.points) - known
                if unknown:
                    raise ValueError(f"{question.id}: unknown archetype {sorted(unknown)}")
                reached |= {k for k, v in option.points.items() if v > 0}
        if reached != known:
            raise ValueError(f"no option leads to {sorted(known - reached)}")
        return self


# ---- knowledge quizzes -------------------------------------------------------------------


class Fact(Strict):
    id: str = Field(pattern=ID)
    question: str = Field(min_length=10, max_length=220)
    options: list[str] = Field(min_length=3, max_length=5)
    answer: str
    explanation: str = Field(min_length=20, max_length=400)

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> Fact:
        if self.answer not in self.options:
            raise ValueError(f"{self.id}: the answer must be one of the options")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"{self.id}: options repeat")
        return self


class FactBank(Entry):
    """Questions with one right answer and an explanation, about ``topic``."""

    kind: Literal["knowledge_quiz"] = "knowledge_quiz"
    topic: str = Field(min_length=3, max_length=80)
    facts: list[Fact] = Field(min_length=8)
    tiers: list[Tier] = Field(min_length=3, max_length=3)


# ---- calculators -------------------------------------------------------------------------


class Variant(Strict):
    """A subject the model covers: its terms, its slot values and its input overrides.
    ``industries`` (vocabulary ids) also pick the variant when the brief names the model's
    subject and one of these industries ("dental practices" + "missed recalls"), never on
    the industry alone."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    terms: list[str] = Field(min_length=1)
    industries: list[str] = Field(default_factory=list)
    slots: dict[str, str] = Field(default_factory=dict)
    inputs: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="input id -> fields to override (default, min, max...)"
    )
    constants: dict[str, float] = Field(default_factory=dict)


class CalculatorModel(Entry):
    """A parameterised calculator: ``tool`` is a ToolDefinition document whose texts use
    ``{slots}``; ``slots`` gives every model slot a default; ``variants`` bind subjects."""

    kind: Literal["calculator"] = "calculator"
    family: str = Field(min_length=3, max_length=60)
    slots: dict[str, str] = Field(default_factory=dict)
    variants: list[Variant] = Field(default_factory=list)
    tool: dict[str, Any]

    @model_validator(mode="after")
    def _slots_declared(self) -> CalculatorModel:
        used = slots_in(self.tool) | slots_in(self.title) | slots_in(self.description)
        missing = used - UNIVERSAL_SLOTS - set(self.slots)
        if missing:
            raise ValueError(f"slots used but not declared: {sorted(missing)}")
        inputs = {i.get("id") for i in self.tool.get("inputs", [])}
        constants = {c.get("id") for c in self.tool.get("constants", [])}
        for variant in self.variants:
            if set(variant.slots) - set(self.slots):
                raise ValueError(f"variant {variant.id}: unknown slots")
            if set(variant.inputs) - inputs:
                raise ValueError(f"variant {variant.id}: unknown inputs")
            if set(variant.constants) - constants:
                raise ValueError(f"variant {variant.id}: unknown constants")
        return self


# ---- vocabulary --------------------------------------------------------------------------


class Industry(Strict):
    """How a brief names an industry, and the words the tool then uses for its visitors."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    terms: list[str] = Field(min_length=1)
    #: Phrases in which a term names something else ("website builder" is no builder).
    not_in: list[str] = Field(default_factory=list)
    audience: str = Field(min_length=3, description="plural: 'restaurant owners'")
    business: str = Field(min_length=3, description="singular: 'restaurant'")
    label: str = Field(min_length=2, description="industry name: 'Restaurants'")


class Vocabulary(Strict):
    industries: list[Industry] = Field(min_length=20)
    #: Nouns (plural, lower case) that name visitors who take a tool for themselves, not for
    #: an organisation: "parents", "job seekers", "home buyers". An audience whose head noun
    #: phrase ends in one of them gets a bank's personal wording (``compose.for_individuals``).
    people: list[str] = Field(default_factory=list)

    @field_validator("people")
    @classmethod
    def _lower_people(cls, people: list[str]) -> list[str]:
        for noun in people:
            if noun != " ".join(noun.lower().split()) or not noun:
                raise ValueError(f"people noun {noun!r} must be lower case, single-spaced")
        if len(set(people)) != len(people):
            raise ValueError("people nouns repeat")
        return people


Document = AssessmentBank | OutcomeSet | FactBank | CalculatorModel
