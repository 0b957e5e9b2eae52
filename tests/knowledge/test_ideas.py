"""Idea generation from the knowledge base: a mix of kinds, honest labels, briefs that lead back."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from keyvex.cli import app as keyvex_cli
from keyvex.knowledge import choose, understand
from keyvex.knowledge.ideas import generate

CREATORS = [
    ("GDPR and data privacy consulting", "marketing agencies", "GDPR audits"),
    ("outsourced bookkeeping and payroll", "restaurant owners", "monthly bookkeeping"),
    ("pricing strategy for freelancers", "freelance designers", "pricing workshops"),
    ("wine tastings and sommelier training", "wine bars", ""),
    ("beekeeping mentoring", "hobby beekeepers", "hive inspections"),
]


@pytest.mark.parametrize(("expertise", "audience", "offer"), CREATORS)
def test_ideas_are_three_to_five_of_mixed_kinds(expertise: str, audience: str, offer: str) -> None:
    ideas = generate(expertise, audience, offer)
    assert 3 <= len(ideas) <= 5
    assert len({i.kind for i in ideas}) >= 2
    for idea in ideas:
        assert idea.title and idea.value and idea.why and idea.brief
        assert audience in idea.value
        if offer:
            assert offer in idea.brief


@pytest.mark.parametrize(("expertise", "audience", "offer"), CREATORS)
def test_a_reviewed_idea_s_brief_leads_back_to_its_entry(
    expertise: str, audience: str, offer: str
) -> None:
    for idea in generate(expertise, audience, offer):
        plan = choose(understand(idea.brief))
        if idea.general:
            assert plan.generic, idea.brief
        else:
            assert plan.source_id == idea.source, idea.brief


def test_a_field_outside_the_knowledge_base_gets_general_ideas_marked_as_such() -> None:
    ideas = generate("beekeeping mentoring", "hobby beekeepers", "")
    assert ideas and all(i.general for i in ideas)
    assert all("beekeeping mentoring" in i.title for i in ideas)


def test_keyvex_ideas_prints_json(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYVEX_ENV", "test")
    args = ["ideas", "--expertise", "GDPR compliance", "--audience", "law firms", "--offer",
            "GDPR audits", "--json", "--data-dir", str(tmp_path)]  # fmt: skip
    result = CliRunner().invoke(keyvex_cli, args)
    assert result.exit_code == 0, result.output
    ideas = json.loads(result.stdout)
    assert 3 <= len(ideas) <= 5
    assert set(ideas[0]) == {"kind", "title", "value", "why", "brief", "source", "general"}


def test_keyvex_ideas_without_expertise_is_one_clear_line(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEYVEX_ENV", "test")
    args = ["ideas", "--expertise", " ", "--audience", "law firms", "--data-dir", str(tmp_path)]
    result = CliRunner().invoke(keyvex_cli, args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Please say what you are expert in.")


def test_ideas_for_an_industry_draw_on_the_entries_written_for_it() -> None:
    ideas = generate("dental practice management", "independent dental practices")
    sources = {i.source for i in ideas}
    assert {"missed-recall-cost/dental", "no-show-cost/dental"} <= sources
    assert not any(i.general for i in ideas)
    for idea in ideas:
        assert choose(understand(idea.brief)).source_id == idea.source, idea.brief
