"""The currency question's "Other" answer: an ISO 4217 code in any case or a currency's name
is taken (as its code), anything else is refused with a sentence naming the question."""

from __future__ import annotations

from typing import Any

from keyvex.ai import Question
from keyvex.cocreate.answers import default_answer
from keyvex.store import SK

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"


def _ask_until_currency(creator: Any, sid: str) -> tuple[Question, int]:
    """Answer with defaults until the currency question is asked; it and the last event id."""
    after = 0
    for _ in range(8):
        turn = creator.events(sid, after=after)
        after = turn[-1]["id"]
        asked = [
            Question.model_validate(e["data"]["question"]) for e in turn if e["event"] == "question"
        ]
        assert asked, f"no question in {turn}"
        question = asked[-1]
        if question.id == "currency":
            return question, after
        answer = {"question_id": question.id, "value": default_answer(question)}
        assert creator.post(f"/create/sessions/{sid}/answers", answer).status_code == 202
    raise AssertionError("the currency question was never asked")


def _built_currency(server: Any, creator: Any, sid: str, after: int) -> str:
    creator.answer_all(sid, after=after)
    tool_id = creator.session(sid)["tool_id"]
    page = server.state.store.backend.query(f"TOOL#{tool_id}", SK.begins_with("VERSION#"))
    currency: str = page.items[-1]["definition"]["currency"]
    return currency


def test_a_typed_currency_that_is_no_currency_is_refused_with_a_sentence(creator: Any) -> None:
    sid = creator.start(BRIEF)
    question, _ = _ask_until_currency(creator, sid)
    assert question.allow_custom  # the widget offers "Other" with a text box

    response = creator.post(
        f"/create/sessions/{sid}/answers", {"question_id": "currency", "value": "dollars mate"}
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert "'dollars mate' is not a currency" in problem["detail"]
    assert f"'{question.prompt}'" in problem["detail"]  # it names the question
    help_ = " ".join(e["message"] for e in problem["errors"])
    assert "three-letter ISO 4217 code (for dollars: USD, AUD, CAD, HKD)" in help_  # it helps
    said = [m["text"] for m in creator.session(sid)["messages"] if m["role"] == "user"]
    assert "dollars mate" not in said
    assert all(q["answer"] is None for q in creator.session(sid)["questions"]
               if q["question"]["id"] == "currency")  # fmt: skip


def test_a_currency_code_in_lower_case_is_taken_as_the_code(server: Any, creator: Any) -> None:
    sid = creator.start(BRIEF)
    _, after = _ask_until_currency(creator, sid)
    response = creator.post(
        f"/create/sessions/{sid}/answers", {"question_id": "currency", "value": "chf"}
    )
    assert response.status_code == 202, response.text
    assert response.json()["answer"] == "CHF"  # the page shows the answer as stored
    assert _built_currency(server, creator, sid, after) == "CHF"


def test_a_currency_s_name_is_taken_as_its_code(server: Any, creator: Any) -> None:
    sid = creator.start(BRIEF)
    _, after = _ask_until_currency(creator, sid)
    response = creator.post(
        f"/create/sessions/{sid}/answers", {"question_id": "currency", "value": "Swiss francs"}
    )
    assert response.status_code == 202, response.text
    answered = next(
        q for q in creator.session(sid)["questions"] if q["question"]["id"] == "currency"
    )
    assert answered["answer"] == "CHF"
    assert _built_currency(server, creator, sid, after) == "CHF"
