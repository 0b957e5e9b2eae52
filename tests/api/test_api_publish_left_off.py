"""Publishing a tool whose call-to-action still links to a placeholder (example.com) goes
ahead, and the answer says plainly that the button is left off, with the field that fixes it."""

from __future__ import annotations

from typing import Any

from keyvex.tools import get_template

SENTENCE = (
    "Your 'Talk through your business case' button links to example.com, so it is left off "
    "the public page until you give it a real link."
)


def roi(url: str = "https://example.com/book-a-call") -> dict[str, Any]:
    data = get_template("roi-calculator").model_dump(mode="json")
    data["results"][5]["url"] = url
    return data


def test_publishing_a_placeholder_button_says_it_is_left_off_and_where_to_fix_it(
    alice: Any,
) -> None:
    tool = alice.post("/api/v1/tools", json=roi()).json()
    live = alice.post(f"/api/v1/tools/{tool['id']}/publish")
    assert live.status_code == 200, live.text  # not refused
    body = live.json()
    assert body["left_off"] == [
        {
            "code": "placeholder_link",
            "field": "results[5].url",
            "message": SENTENCE,
            "edit_url": f"http://testserver/dashboard/tools/{tool['id']}/edit#field=results.5.url",
        }
    ]
    page = alice.get(f"/t/{body['slug']}")
    assert page.status_code == 200 and "example.com/book-a-call" not in page.text


def test_a_real_link_leaves_nothing_off(alice: Any) -> None:
    tool = alice.post("/api/v1/tools", json=roi("https://consultant.test.org/book")).json()
    live = alice.post(f"/api/v1/tools/{tool['id']}/publish")
    assert live.status_code == 200 and live.json()["left_off"] == []
    assert "consultant.test.org/book" in alice.get(f"/t/{live.json()['slug']}").text
