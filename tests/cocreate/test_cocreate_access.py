"""Who may use a session, CSRF on every change, and bad input answered with field sentences."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

POSTS = [
    ("answers", {"question_id": "audience", "value": "dentists"}),
    ("build", {}),
    ("changes", {"request": "make the button green"}),
    ("publish", {}),
]
GETS = ["", "/events", "/preview", "/preview/theme.css"]


def _built(creator: Any) -> str:
    sid = creator.start("An ROI calculator for dental practices", build_now=True)
    creator.events(sid, after=0)
    return sid


def test_another_users_session_is_not_found_on_every_route(
    creator: Any, other_creator: Any
) -> None:
    sid = _built(creator)
    for path in GETS:
        response = other_creator.http.get(f"/create/sessions/{sid}{path}")
        assert response.status_code == 404, path
        assert response.json()["detail"] == "There is no such session."
    for path, body in POSTS:
        response = other_creator.post(f"/create/sessions/{sid}/{path}", body)
        assert response.status_code == 404, path
    assert other_creator.http.get(f"/create/{sid}").status_code == 404
    assert creator.session(sid)["tool_version"] == 1  # nothing the other user did landed


def test_unknown_session_ids_are_not_found(creator: Any) -> None:
    for sid in ("0123456789abcdef", "../../etc", "x" * 80):
        assert creator.http.get(f"/create/sessions/{sid}").status_code == 404


def test_state_changes_without_the_csrf_token_are_refused(creator: Any) -> None:
    sid = _built(creator)
    routes = [("", {"brief": "A quiz"})] + [(f"/{sid}/{p}", body) for p, body in POSTS]
    for path, body in routes:
        missing = creator.post(f"/create/sessions{path}", body, csrf=False)
        assert missing.status_code == 403, path
        assert "verified" in missing.json()["detail"]
        wrong = creator.http.post(
            f"/create/sessions{path}", json=body, headers={"X-CSRF-Token": "0" * 64}
        )
        assert wrong.status_code == 403, path
    assert creator.session(sid)["tool_version"] == 1


def test_signed_out_requests_get_401_and_the_page_redirects(server: Any) -> None:
    with httpx.Client(base_url=server.url) as anonymous:
        response = anonymous.get("/create/sessions/0123456789abcdef")
        assert response.status_code == 401 and response.json()["detail"]
        page = anonymous.get("/create", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "brief"),
        ({"brief": ""}, "brief"),
        ({"brief": "   "}, "brief"),
        ({"brief": "x" * 2001}, "brief"),
        ({"brief": 42}, "brief"),
        ({"brief": "A quiz", "build_now": "soon"}, "build_now"),
        ({"brief": "A quiz", "admin": True}, "admin"),
        ([], "request"),
    ],
)
def test_bad_briefs_get_field_messages(creator: Any, body: Any, field: str) -> None:
    response = creator.post("/create/sessions", body)
    assert response.status_code == 422, response.text
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors and errors[field].endswith("."), errors


def test_malformed_json_is_a_field_message_not_a_500(creator: Any) -> None:
    response = creator.http.post(
        "/create/sessions",
        content=b"{not json",
        headers={"X-CSRF-Token": creator.csrf, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "request", "message": "Send a JSON object."}]


def test_bad_answers_and_requests_get_field_messages(creator: Any) -> None:
    sid = creator.start("An ROI calculator for dental practices")
    turn = creator.events(sid, after=0)
    question = next(e["data"]["question"] for e in turn if e["event"] == "question")
    cases: list[tuple[str, Any, str]] = [
        ("answers", {"question_id": "nope", "value": "x"}, "question_id"),
        ("answers", {"question_id": question["id"], "value": None}, "value"),
        ("answers", {"question_id": question["id"], "value": {"deep": [1]}}, "value"),
        ("answers", {"value": "x"}, "question_id"),
        ("changes", {"request": "make the button green"}, "request"),  # no tool yet
        ("changes", {"request": ""}, "request"),
        ("publish", {}, "tool"),
    ]
    for path, body, field in cases:
        response = creator.post(f"/create/sessions/{sid}/{path}", body)
        assert 400 <= response.status_code < 500, (path, body, response.text)
        errors = [e["field"] for e in response.json()["errors"]]
        assert any(key == field or key.startswith(f"{field}.") for key in errors), (body, errors)
    assert creator.session(sid)["status"] == "asking"
