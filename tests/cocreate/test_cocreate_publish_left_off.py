"""Publishing from the creator page says which button the public page leaves out (it still
links to example.com), with the editor field that fixes it; the session view keeps saying so."""

from __future__ import annotations

from typing import Any


def test_publish_says_a_placeholder_button_is_left_off(creator: Any) -> None:
    sid = creator.start("A break-even calculator for a new bakery", build_now=True)
    events = creator.events(sid, after=0)
    tool_id = next(e["data"] for e in events if e["event"] == "tool")["tool_id"]
    published = creator.post(f"/create/sessions/{sid}/publish")
    assert published.status_code == 200, published.text
    missing = published.json()["left_off"]
    assert len(missing) == 1
    assert missing[0]["message"].endswith(
        "button links to example.com, so it is left off the public page until you give it a "
        "real link."
    )
    assert missing[0]["edit_url"].startswith(f"/dashboard/tools/{tool_id}/edit#field=results.")
    assert creator.session(sid)["live"]["left_off"] == missing
