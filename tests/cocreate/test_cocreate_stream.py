"""The event stream: numbered events, exact replay after Last-Event-ID, live delivery, and
builds that outlive the connection."""

from __future__ import annotations

from typing import Any

from keyvex.ai import Question
from keyvex.cocreate.answers import default_answer

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"


def _next(stream: Any, until: str) -> list[dict[str, Any]]:
    seen = []
    for event in stream:
        seen.append(event)
        if event["event"] == until:
            return seen
    raise AssertionError(f"the stream ended before a {until} event: {seen}")


def test_events_are_numbered_without_gaps_and_each_turn_ends_with_done(creator: Any) -> None:
    sid = creator.start(BRIEF)
    events = creator.answer_all(sid, after=0)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["event"] == "done"
    assert creator.session(sid)["last_event_id"] == events[-1]["id"]


def test_last_event_id_replays_exactly_the_missed_events(creator: Any) -> None:
    sid = creator.start(BRIEF)
    events = creator.answer_all(sid, after=0)
    last = events[-1]["id"]
    for seen in (0, 1, len(events) // 2, last - 1):
        assert creator.events(sid, after=seen, until_id=last) == events[seen:], seen
    url = f"/create/sessions/{sid}/events?last_event_id={last - 2}"
    with creator.http.stream("GET", url) as response:
        ids = []
        for line in response.iter_lines():
            if line.startswith("id:"):
                ids.append(line)
            if len(ids) == 2:
                break
    assert ids == [f"id: {last - 1}", f"id: {last}"]


def test_live_events_follow_the_replay_on_one_open_stream(creator: Any) -> None:
    sid = creator.start(BRIEF)
    with creator.stream(sid, after=0) as stream:
        first = _next(stream, "done")
        asked = next(e["data"]["question"] for e in first if e["event"] == "question")
        question = Question.model_validate(asked)
        body = {"question_id": question.id, "value": default_answer(question)}
        assert creator.post(f"/create/sessions/{sid}/answers", body).status_code == 202
        second = _next(stream, "done")
    assert second[0]["id"] == first[-1]["id"] + 1
    assert {"question", "tool"} & {e["event"] for e in second}


def test_a_build_continues_when_the_browser_disconnects(server: Any, creator: Any) -> None:
    sid = creator.start(BRIEF)
    first = creator.events(sid, after=0)
    with creator.stream(sid, after=first[-1]["id"]) as stream:
        assert creator.post(f"/create/sessions/{sid}/build").status_code == 202
        started = _next(stream, "progress")
    # The browser is gone before it saw the tool; the build goes on without it.
    assert "tool" not in {e["event"] for e in started}
    server.wait_idle()
    missed = creator.events(sid, after=started[-1]["id"])
    tool = next(e["data"] for e in missed if e["event"] == "tool")
    assert tool["errors"] == 0
    assert creator.session(sid)["status"] == "ready"
