"""Lead detail: the questions' labels and values as the tool formats them (issue 13, section 4)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.dashboard.conftest import LEAD_LINK, submit_lead


def _cells(page: str) -> dict[str, str]:
    """Every labelled value on the page by its variable name."""
    found = re.findall(r'data-name="(\w+)"><th scope="row">([^<]+)</th><td>([^<]*)</td>', page)
    listed = re.findall(r'<dt>([^<]+)</dt><dd data-name="(\w+)">([^<]*)<', page)
    found += [(name, label, value) for label, name, value in listed]
    return {name: f"{label} = {value}" for name, label, value in found}


def _detail(alice: Any, tool_id: str) -> str:
    match = LEAD_LINK.search(alice.get(f"/dashboard/tools/{tool_id}/leads").text)
    assert match
    return str(alice.get(f"/dashboard/tools/{tool_id}/leads/{match.group(2)}").text)


def test_a_calculator_lead_reads_as_the_visitor_saw_it(alice: Any, client: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    alice.publish(tool_id, slug="roi-detail")
    answers = {"investment": 8500.0, "monthly_revenue_gain": 2000, "months": 12}
    submit_lead(TestClient(client.app), "roi-detail", answers, "ada@example.com", name="Ada")
    page = _detail(alice, tool_id)
    cells = _cells(page)
    assert cells["investment"] == "Total investment = $8,500"
    assert cells["gross_margin"] == "Gross margin on that revenue = 60%"
    assert cells["months"] == "Time horizon = 12 months"
    assert cells["email"] == "Work email = ada@example.com"
    assert cells["name"] == "First name = Ada"
    assert cells["net_gain"].startswith("Net gain = $")
    assert cells["roi"].startswith("Return on investment = ") and cells["roi"].endswith("%")
    assert "8500.0" not in page and "<dt>monthly_benefit</dt>" not in page


def test_an_assessment_lead_shows_option_labels_and_the_score(alice: Any, client: Any) -> None:
    tool_id = alice.create_from_template("marketing-maturity-scorecard")
    alice.publish(tool_id, slug="maturity-detail")
    tool = alice.tool(tool_id).definition
    answers = {item.id: item.options[-1].value for item in tool.inputs}
    answers |= {"icp": "strongly_disagree", "positioning": "neutral"}
    submit_lead(TestClient(client.app), "maturity-detail", answers, "grace@example.com")
    page = _detail(alice, tool_id)
    cells = _cells(page)
    assert cells["icp"].endswith("= Strongly disagree")
    assert cells["positioning"].endswith("= Neither agree nor disagree")
    assert "strongly_disagree" not in page
    score = re.search(r'id="lead-score">([^<]+)<', page)
    assert score and re.fullmatch(r"[\d.]+ of [\d.]+ \(\d+%\)", score.group(1))


def test_a_lead_keeps_the_labels_of_the_version_it_was_captured_with(
    alice: Any, published: Any
) -> None:
    tool_id, ref = published
    renamed = alice.post(
        f"/dashboard/tools/{tool_id}/details", {"title": "Renamed", "description": ""}
    )
    assert renamed.status_code == 303
    page = alice.get(f"/dashboard/tools/{tool_id}/leads/{ref}").text
    assert _cells(page)["investment"] == "Total investment = $10,000"
