"""The offline planner picks a fitting template for briefs across kinds and industries."""

from __future__ import annotations

import pytest

from keyvex.ai.planner import detect_kind, score_templates

BRIEFS = [
    ("An ROI calculator that shows dental practices what missed recalls cost them",
     "missed-recall-cost-calculator"),
    ("How much does churn cost a SaaS company? A calculator for SaaS founders",
     "ltv-cac-calculator"),
    ("An intake quiz for a law firm: which legal service fits the visitor",
     "leadership-style-quiz"),
    ("HR employee engagement scorecard for mid-size companies", "wellbeing-scorecard"),
    ("Gym membership pricing calculator", "website-quote-estimator"),
    ("Mortgage payment calculator for home buyers", "equipment-financing-calculator"),
    ("Cyber security readiness assessment for small businesses", "cyber-security-scorecard"),
    ("Leadership style quiz for new managers", "leadership-style-quiz"),
    ("What is my business worth? A valuation estimate before selling",
     "business-valuation-estimate"),
    ("Break-even calculator for restaurants", "break-even-calculator"),
    ("A quiz testing email marketing knowledge for small teams", "email-marketing-quiz"),
    ("AI readiness scorecard for operations teams", "ai-readiness-assessment"),
    ("How many hours do manual admin tasks waste? An automation savings calculator",
     "time-savings-calculator"),
    ("Website project quote estimator for my web design agency", "website-quote-estimator"),
    ("Revenue growth forecast for the next 5 years", "revenue-growth-projection"),
    ("Marketing maturity assessment for B2B companies", "marketing-maturity-scorecard"),
    ("Wellness check for busy executives: stress and sleep", "wellbeing-scorecard"),
    ("Customer lifetime value vs acquisition cost calculator for ecommerce brands",
     "ltv-cac-calculator"),
    ("Equipment leasing payment calculator for construction firms",
     "equipment-financing-calculator"),
    ("What kind of leader are you?", "leadership-style-quiz"),
    ("Physiotherapy clinic no-shows cost calculator", "missed-recall-cost-calculator"),
    ("Employee burnout assessment for HR teams", "wellbeing-scorecard"),
    ("Ransomware readiness checklist for IT managers", "cyber-security-scorecard"),
    ("ROI calculator for a consulting engagement", "roi-calculator"),
]  # fmt: skip


@pytest.mark.parametrize(("brief", "template_id"), BRIEFS)
def test_brief_leads_to_a_fitting_template(brief: str, template_id: str) -> None:
    best = score_templates(brief)[0]
    assert best.template_id == template_id, best.reasons


@pytest.mark.parametrize(
    ("brief", "kind"),
    [
        ("A savings calculator for accountants", "calculator"),
        ("A fun trivia quiz about wine", "quiz"),
        ("A cloud maturity scorecard", "assessment"),
        ("Tell me about my visitors", None),
    ],
)
def test_kind_is_read_from_the_brief(brief: str, kind: str | None) -> None:
    assert detect_kind(brief) == kind


def test_the_chosen_template_matches_the_kind_asked_for() -> None:
    for brief, _ in BRIEFS:
        kind = detect_kind(brief)
        if kind is not None:
            assert score_templates(brief)[0].kind == kind, brief


def test_scoring_is_deterministic_and_explained() -> None:
    first = score_templates("Dental ROI calculator")
    second = score_templates("Dental ROI calculator")
    assert [m.template_id for m in first] == [m.template_id for m in second]
    assert any("dental" in reason for reason in first[0].reasons)
