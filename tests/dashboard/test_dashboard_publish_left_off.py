"""The tool page says plainly which button the public page leaves out (it still links to
example.com) and links to the editor field that fixes it; publishing is not refused."""

from __future__ import annotations

import html
from typing import Any

SENTENCE = (
    "Your 'Talk through your business case' button links to example.com, so it is left off "
    "the public page until you give it a real link."
)


def test_publishing_a_placeholder_button_goes_ahead_and_says_it_is_left_off(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    response = alice.publish(tool_id)
    assert response.headers["location"].endswith("?done=published")
    page = alice.get(response.headers["location"]).text
    assert "Published. The public page shows the current version." in page
    assert SENTENCE in html.unescape(page)
    assert f'href="/dashboard/tools/{tool_id}/edit#field=results.5.url"' in page
    assert alice.tool(tool_id).status == "published"


def test_a_real_link_takes_the_warning_away(alice: Any) -> None:
    from keyvex.tools import parse_tool
    from keyvex.tools.service import update_tool

    tool_id = alice.create_from_template("roi-calculator")
    data = alice.tool(tool_id).definition.model_dump(mode="json")
    data["results"][5]["url"] = "mailto:hello@consultant.co.uk"
    alice._run(update_tool(alice.app_state, alice.user, tool_id, parse_tool(data)))
    alice.publish(tool_id)
    page = html.unescape(alice.get(f"/dashboard/tools/{tool_id}").text)
    assert "left off the public page" not in page and 'id="left-off"' not in page
