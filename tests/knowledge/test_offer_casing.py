"""The creator's offer is quoted as they wrote it: acronyms and names keep their case in the
planner's questions, the call to action and the fit report."""

from __future__ import annotations

from typing import Any

from keyvex.ai.models import ConversationState
from keyvex.ai.planner.model import answer
from keyvex.knowledge import understand


def _converse(brief: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The offline planner's first turn and the tool it builds from the brief alone."""
    state = ConversationState(brief=brief).model_dump(mode="json")
    turn = answer({"task": "conversation", "state": state})
    built = answer({"task": "build", "brief": turn["build_brief"], "state": state})
    return turn, built["definition"]


def test_an_acronym_in_the_offer_keeps_its_case_in_questions_and_call_to_action() -> None:
    turn, tool = _converse(
        "Downtime cost calculator for manufacturers. We offer managed IT services."
    )
    prompts = [turn["question"]["prompt"], *(q["prompt"] for q in turn["plan"])]
    assert "What should a visitor do after the result (you mentioned managed IT services)?" in (
        prompts
    )
    assert "your offer: managed IT services" in turn["message"]
    cta = next(b for b in tool["results"] if b["type"] == "cta")
    assert cta["text"] == "Talk to us about managed IT services."


def test_a_product_name_in_the_offer_keeps_its_capital() -> None:
    assert understand("Which CRM fits you? quiz. We sell HubSpot onboarding").offer == (
        "HubSpot onboarding"
    )
    assert understand("CRM quiz. We sell Salesforce consulting to SMEs").offer == (
        "Salesforce consulting"
    )
    brief = "A churn calculator for subscription businesses. I sell Retention Coaching"
    assert understand(brief).offer == "Retention Coaching"


def test_an_offer_in_ordinary_words_or_in_capitals_throughout_reads_in_lower_case() -> None:
    assert understand("Payback calculator. We offer solar panel installation").offer == (
        "solar panel installation"
    )
    assert understand("DOWNTIME CALCULATOR. WE OFFER MANAGED IT SUPPORT").offer == (
        "managed it support"
    )
