"""Public POST routes: results, lead submissions and events validate input and never 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.engine import run
from keyvex.tools import get_template

BAD_BODIES: list[Any] = [b"", b"not json", b"[1,2]", b'"text"', b"\xff\xfe", b"{", b"null"]


@pytest.fixture
def quiz(publisher: Any) -> Any:
    return publisher.publish(get_template("email-marketing-quiz"), slug="quiz")


def first_answers(slug_template: str) -> dict[str, Any]:
    tool = get_template(slug_template)
    answers: dict[str, Any] = {}
    for item in tool.inputs:
        if item.options:
            answers[item.id] = item.options[0].value
        elif item.type == "yes_no":
            answers[item.id] = "yes"
    return answers


@pytest.mark.parametrize("route", ["result", "submit", "events"])
@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_json_gets_a_4xx_with_a_message(
    client: TestClient, quiz: Any, route: str, body: bytes
) -> None:
    res = client.post(f"/t/quiz/{route}", content=body)
    assert 400 <= res.status_code < 500, res.text
    assert res.json()["detail"]


def test_result_is_the_engines_result(client: TestClient, quiz: Any) -> None:
    answers = first_answers("email-marketing-quiz")
    res = client.post("/t/quiz/result", json={"answers": answers})
    assert res.status_code == 200
    expected = run(get_template("email-marketing-quiz"), answers).model_dump(mode="json")
    assert res.json()["result"] == expected
    assert "set-cookie" not in res.headers


def test_bad_answers_are_field_errors(client: TestClient, quiz: Any) -> None:
    res = client.post("/t/quiz/result", json={"answers": {"q1": "nope"}})
    assert res.status_code == 422
    assert res.json()["errors"]
    res = client.post("/t/quiz/result", json={"answers": [1]})
    assert res.status_code == 422


def test_submit_stores_a_lead_and_returns_the_result(client: TestClient, quiz: Any) -> None:
    answers = first_answers("email-marketing-quiz")
    body = {
        "answers": answers,
        "contact": {"email": "visitor@example.com"},
        "consent": True,
        "idempotency_key": "k" * 32,
        "elapsed_ms": 30_000,
    }
    res = client.post("/t/quiz/submit", json=body)
    assert res.status_code == 201, res.text
    first = res.json()
    assert first["lead_id"]
    assert (
        first["result"]["scores"]
        == run(get_template("email-marketing-quiz"), answers).model_dump(mode="json")["scores"]
    )
    again = client.post("/t/quiz/submit", json=body)
    assert again.json()["lead_id"] == first["lead_id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact": {"email": "not-an-email"}}, "email"),
        ({"consent": False}, "consent"),
        ({"consent": "maybe"}, "consent"),
        ({"idempotency_key": 5}, "idempotency_key"),
        ({"elapsed_ms": "soon"}, "elapsed_ms"),
    ],
)
def test_submit_errors_name_the_field(
    client: TestClient, quiz: Any, change: dict[str, Any], field: str
) -> None:
    body = {
        "answers": first_answers("email-marketing-quiz"),
        "contact": {"email": "visitor@example.com"},
        "consent": True,
        "idempotency_key": "x" * 32,
        "elapsed_ms": 30_000,
        **change,
    }
    res = client.post("/t/quiz/submit", json=body)
    assert res.status_code == 422
    assert any(field in e["field"] for e in res.json()["errors"]), res.json()


def test_events_accept_known_events_only(client: TestClient, quiz: Any) -> None:
    assert client.post("/t/quiz/events", json={"event": "start"}).status_code == 204
    assert client.post("/t/quiz/events", json={"event": "step", "step": 2}).status_code == 204
    assert client.post("/t/quiz/events", content=b'{"event":"complete"}').status_code == 204
    for bad in ({"event": "hack"}, {"event": 3}, {"event": "step", "step": -1}, {"event": "view"}):
        assert client.post("/t/quiz/events", json=bad).status_code == 422


def test_posts_to_unknown_tools_are_json_404(client: TestClient) -> None:
    res = client.post("/t/missing/result", json={"answers": {}})
    assert res.status_code == 404 and res.json()["detail"]


def test_results_are_rate_limited_per_ip(client: TestClient, quiz: Any) -> None:
    answers = first_answers("email-marketing-quiz")
    codes = [
        client.post("/t/quiz/result", json={"answers": answers}).status_code for _ in range(65)
    ]
    assert codes[0] == 200 and codes[-1] == 429


def test_oversized_bodies_are_refused(client: TestClient, quiz: Any) -> None:
    res = client.post("/t/quiz/submit", content=b'{"a":"' + b"x" * 70_000 + b'"}')
    assert res.status_code == 413


@pytest.mark.parametrize("route", ["result", "submit", "events"])
@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_bodies_past_max_body_bytes_are_413_sentences(
    client: TestClient, quiz: Any, route: str, streamed: bool
) -> None:
    body = b'{"a":"' + b"x" * 1_100_000 + b'"}'
    content: Any = iter([body[:600_000], body[600_000:]]) if streamed else body
    res = client.post(f"/t/quiz/{route}", content=content)
    assert res.status_code == 413
    assert "larger than" in res.json()["detail"]


@pytest.mark.parametrize("route", ["result", "submit", "events"])
@pytest.mark.parametrize(
    "body",
    [
        b'{"a":' * 3000,
        b'{"answers":' + b"[" * 5000,
        b'{"event":"start","x":' + b"[" * 65 + b"]" * 65 + b"}",
    ],
    ids=["probe", "unclosed", "just-past-the-limit"],
)
@pytest.mark.parametrize("content_type", [None, "text/plain", "multipart/form-data; boundary=x"])
def test_deeply_nested_json_is_a_422_not_a_server_error(
    client: TestClient, quiz: Any, route: str, body: bytes, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    res = client.post(f"/t/quiz/{route}", content=body, headers=headers)
    assert res.status_code == 422, res.text
    assert "deeper than 64 levels" in res.json()["detail"]
