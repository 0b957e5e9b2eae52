"""The whole co-creation journey offline, through HTTP and the event stream of the real app."""

from __future__ import annotations

import colorsys
import re
from typing import Any

from keyvex.ai import Question
from keyvex.store import SK
from keyvex.tools import parse_tool, verify

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"
PRIMARY = re.compile(r"--kvx-primary:(#[0-9a-fA-F]{6});")


def _is_green(color: str) -> bool:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
    return 80 <= hue * 360 <= 170 and saturation > 0.3


def _other_answer(question: Question, current: Any) -> Any:
    """A different valid answer to an earlier question (the creator changes their mind)."""
    if question.input_type == "multipart":
        return {key: f"{value} (revised)" for key, value in current.items()}
    options = [o.value for o in question.options if o.value != current]
    if question.input_type == "color_pair":
        return ["#7c3aed", "#ffffff"]
    if question.input_type == "yes_no_maybe":
        return "no" if current != "no" else "yes"
    if question.input_type == "multiselect":
        return [o.value for o in question.options if o.value not in current][:1] or current[:1]
    if options:
        return options[0]
    return f"{current} and their teams"


def _stored_versions(server: Any, tool_id: str) -> list[dict[str, Any]]:
    page = server.state.store.backend.query(f"TOOL#{tool_id}", SK.begins_with("VERSION#"))
    return list(page.items)


def test_brief_to_public_page_with_edits_and_a_change_request(server: Any, creator: Any) -> None:
    sid = creator.start(BRIEF)
    first = creator.answer_all(sid, after=0)
    kinds = [e["event"] for e in first]
    assert kinds.count("question") >= 3 and "error" not in kinds
    assert {e["event"] for e in first} <= {"text", "question", "progress", "tool", "done"}
    tool = next(e["data"] for e in first if e["event"] == "tool")
    assert tool["errors"] == 0 and tool["version"] == 1 and tool["quality"] > 0
    assert {"planning", "verifying"} <= {
        e["data"]["stage"] for e in first if e["event"] == "progress"
    }
    session = creator.session(sid)
    assert session["status"] == "ready" and session["tool_id"] == tool["tool_id"]
    assert all(q["answer"] is not None for q in session["questions"])
    assert session["report"]["errors"] == [] and session["template_id"] == tool["template_id"]

    # The creator changes an EARLIER answer: it is replaced and the tool is rebuilt.
    earlier = session["questions"][0]
    question = Question.model_validate(earlier["question"])
    changed = _other_answer(question, earlier["answer"])
    response = creator.post(
        f"/create/sessions/{sid}/answers", {"question_id": question.id, "value": changed}
    )
    assert response.status_code == 202, response.text
    rebuild = creator.events(sid, after=first[-1]["id"])
    rebuilt = next(e["data"] for e in rebuild if e["event"] == "tool")
    assert rebuilt["version"] == 2 and rebuilt["tool_id"] == tool["tool_id"]
    asked_before = len(session["questions"])
    session = creator.session(sid)
    assert session["questions"][0]["answer"] == changed != earlier["answer"]
    assert len(session["questions"]) == asked_before  # replaced in place, nothing re-asked

    # A change request in plain words makes a new version with a green button.
    response = creator.post(f"/create/sessions/{sid}/changes", {"request": "make the button green"})
    assert response.status_code == 202, response.text
    edit = creator.events(sid, after=rebuild[-1]["id"])
    edited = next(e["data"] for e in edit if e["event"] == "tool")
    assert edited["version"] == 3 and edited["errors"] == 0
    css = creator.http.get(f"/create/sessions/{sid}/preview/theme.css")
    primary = PRIMARY.search(css.text)
    assert primary and _is_green(primary.group(1)), css.text
    preview = creator.http.get(f"/create/sessions/{sid}/preview")
    assert preview.status_code == 200 and 'id="kvx-tool"' in preview.text
    assert "frame-ancestors 'self'" in preview.headers["content-security-policy"]
    assert f"/create/sessions/{sid}/preview/theme.css?v=3" in preview.text

    # Every version the session shows passed verification, and so does what is stored.
    session = creator.session(sid)
    assert [v["version"] for v in session["versions"]] == [1, 2, 3]
    assert all(v["errors"] == 0 for v in session["versions"])
    stored = _stored_versions(server, tool["tool_id"])
    assert len(stored) == 3
    for item in stored:
        assert verify(parse_tool(item["definition"])).errors == []

    published = creator.post(f"/create/sessions/{sid}/publish")
    assert published.status_code == 200, published.text
    slug = published.json()["slug"]
    assert published.json()["url"].endswith(f"/t/{slug}")
    page = creator.http.get(f"/t/{slug}")
    assert page.status_code == 200 and 'id="kvx-tool"' in page.text


def test_just_build_it_builds_without_more_questions(creator: Any) -> None:
    sid = creator.start("A quiz that tells marketers which email style suits them", build_now=True)
    events = creator.events(sid, after=0)
    assert "question" not in [e["event"] for e in events]
    tool = next(e["data"] for e in events if e["event"] == "tool")
    assert tool["errors"] == 0
    assert creator.session(sid)["status"] == "ready"


def test_build_button_mid_conversation_builds_from_the_answers_so_far(creator: Any) -> None:
    sid = creator.start("A readiness scorecard for adopting AI in small law firms")
    events = creator.events(sid, after=0)
    assert "question" in [e["event"] for e in events]
    assert creator.post(f"/create/sessions/{sid}/build").status_code == 202
    built = creator.events(sid, after=events[-1]["id"])
    assert next(e["data"] for e in built if e["event"] == "tool")["errors"] == 0


def test_a_change_the_offline_planner_cannot_make_is_explained_and_keeps_the_tool(
    creator: Any,
) -> None:
    sid = creator.start("A break-even calculator for a new bakery", build_now=True)
    events = creator.events(sid, after=0)
    version = next(e["data"] for e in events if e["event"] == "tool")["version"]
    request = {"request": "rewrite every question as a limerick about sourdough"}
    assert creator.post(f"/create/sessions/{sid}/changes", request).status_code == 202
    reply = creator.events(sid, after=events[-1]["id"])
    error = next(e["data"] for e in reply if e["event"] == "error")
    assert "model" in error["message"].lower()
    session = creator.session(sid)
    assert session["status"] == "ready" and session["tool_version"] == version
