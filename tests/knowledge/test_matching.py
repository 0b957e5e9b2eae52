"""Entry matching: a calculator variant's word alone does not outweigh the brief's subject."""

from __future__ import annotations

from keyvex.knowledge import choose, understand


def test_an_audience_word_that_names_a_variant_does_not_pull_the_brief_elsewhere() -> None:
    plan = choose(understand("A burnout check for nurses working night shifts"))
    assert plan.kind == "assessment"
    assert plan.entry is not None and "burnout" in plan.entry.terms


def test_a_variant_with_its_family_term_still_wins() -> None:
    plan = choose(understand("Payroll outsourcing calculator for cafe owners"))
    assert plan.source_id == "outsourcing-cost/payroll"
