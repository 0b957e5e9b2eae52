"""Every knowledge-base file loads, composes into a tool that verifies clean, and reads well."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from keyvex.knowledge import (
    Slots,
    assessment_tool,
    calculator_tool,
    choose,
    compose,
    fact_tool,
    knowledge_base,
    outcome_tool,
    understand,
)
from keyvex.tools import ToolDefinition, verify

KB = knowledge_base()
DOUBLED = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)


def _texts(tool: ToolDefinition) -> Iterator[str]:
    yield tool.title
    yield tool.description
    for item in tool.inputs:
        yield item.label
        yield item.help
        yield from (o.label for o in item.options)
    for outcome in tool.outcomes:
        yield outcome.title
        yield outcome.description
        yield from outcome.recommendations
    for calc in tool.calculations:
        yield calc.label
    for block in tool.results:
        yield from (str(v) for v in block.model_dump().values() if isinstance(v, str))


def _composed() -> Iterator[tuple[str, ToolDefinition]]:
    for model in KB.calculators:
        for variant in [None, *model.variants]:
            name = f"{model.id}/{variant.id if variant else 'generic'}"
            yield name, calculator_tool(model, variant, Slots())
    for bank in KB.assessments:
        yield bank.id, assessment_tool(bank, Slots())
        yield f"{bank.id}/5-areas-20", assessment_tool(bank, Slots(categories=5, questions=20))
        yield f"{bank.id}/short", assessment_tool(bank, Slots(categories=3, questions=6))
    for quiz in KB.outcomes:
        yield quiz.id, outcome_tool(quiz, Slots())
    for facts in KB.facts:
        yield facts.id, fact_tool(facts, Slots())


#: Briefs the knowledge base has nothing reviewed on: each gets a generic structure of its
#: kind, labelled with the brief's words (data/generic/*.yaml and the calculator cues).
OUTSIDE = (
    "A readiness check for small charities applying for their first grant",
    "A quiz for beekeepers: which hive type suits your garden",
    "How much is employee absenteeism costing my warehouse each year",
)


def _generic() -> Iterator[tuple[str, ToolDefinition]]:
    for brief in OUTSIDE:
        u = understand(brief)
        yield f"generic: {brief}", compose(choose(u), Slots(audience=u.audience, offer=u.offer))


COMPOSED = list(_composed()) + list(_generic())


def test_the_knowledge_base_has_the_promised_breadth() -> None:
    assert len(KB.calculators) >= 20
    assert len(KB.assessments) >= 30
    assert len(KB.outcomes) >= 8
    assert len(KB.facts) >= 8
    assert len(KB.vocabulary.industries) >= 30


@pytest.mark.parametrize(("name", "tool"), COMPOSED, ids=[n for n, _ in COMPOSED])
def test_every_composed_tool_verifies_clean(name: str, tool: ToolDefinition) -> None:
    report = verify(tool)
    assert not report.errors, [f"{i.path}: {i.message}" for i in report.errors]
    # Composed tools link their button to a placeholder until the creator gives their own.
    warnings = [i for i in report.warnings if i.code != "placeholder_link"]
    assert not warnings, [f"{i.path}: {i.message}" for i in warnings]
    assert tool.test_cases, f"{name} has no test cases"


@pytest.mark.parametrize(("name", "tool"), COMPOSED, ids=[n for n, _ in COMPOSED])
def test_composed_copy_reads_as_written_by_a_person(name: str, tool: ToolDefinition) -> None:
    for text in _texts(tool):
        assert "{" not in text.replace("{{", "").replace("}}", "") or "{{" in text, text
        assert not re.search(r"(?<!\{)\{[a-z_]+\}(?!\})", text), f"unfilled slot in {text!r}"
        assert "(s)" not in text, text
        assert not DOUBLED.search(text), f"doubled word in {text!r}"


def test_every_calculator_variant_names_its_subject_in_the_title() -> None:
    for model in KB.calculators:
        for variant in model.variants:
            tool = calculator_tool(model, variant, Slots())
            words = " ".join(tool.title.lower().split())
            named = any(t.rstrip("*") in words for t in variant.terms) or any(
                v.lower() in words for v in variant.slots.values()
            )
            assert named, f"{model.id}/{variant.id}: {tool.title!r}"


@pytest.mark.parametrize("folder", ["assessments", "outcomes", "facts"])
def test_a_term_names_one_entry_per_kind(folder: str) -> None:
    owners: dict[str, str] = {}
    for entry in getattr(KB, folder):
        for term in entry.terms:
            assert term not in owners, f"{term!r} names both {owners[term]} and {entry.id}"
            owners[term] = entry.id
