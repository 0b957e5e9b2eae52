"""What a co-created tool says about itself outside the conversation: which version is live
while newer changes wait (the publish card's data), and its fit to the brief on the tool page."""

from __future__ import annotations

from typing import Any

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"


def test_the_session_says_which_version_is_live_while_a_newer_one_waits(creator: Any) -> None:
    sid = creator.start(BRIEF, build_now=True)
    built = creator.events(sid, after=0)
    assert creator.session(sid)["live"] is None  # nothing published yet

    published = creator.post(f"/create/sessions/{sid}/publish").json()
    assert published["version"] == 1
    assert published["url"].endswith(f"/t/{published['slug']}")
    live = creator.session(sid)["live"]
    assert live == {"version": 1, "url": published["url"], "left_off": published["left_off"]}

    response = creator.post(f"/create/sessions/{sid}/changes", {"request": "make the button green"})
    assert response.status_code == 202, response.text
    creator.events(sid, after=built[-1]["id"])
    session = creator.session(sid)
    assert session["tool_version"] == 2
    assert session["live"]["version"] == 1  # the page says: version 1 is live, 2 is not yet

    assert creator.post(f"/create/sessions/{sid}/publish").json()["version"] == 2
    assert creator.session(sid)["live"]["version"] == 2


def test_the_tool_page_shows_the_fit_to_the_brief(creator: Any) -> None:
    sid = creator.start(BRIEF, build_now=True)
    creator.events(sid, after=0)
    session = creator.session(sid)
    fit = session["fit"]
    assert fit and fit["level"] in ("high", "medium", "low")

    page = creator.http.get(f"/dashboard/tools/{session['tool_id']}")
    assert page.status_code == 200, page.text
    assert 'id="brief-fit"' in page.text
    assert f'id="fit-level">{fit["level"].capitalize()}</span>' in page.text
    assert f'href="/create/{sid}"' in page.text
    assert "judged for version 1" in page.text
    for missing in fit["missing"]:
        assert missing in page.text


def test_a_tool_not_made_from_a_brief_shows_no_fit(creator: Any) -> None:
    made = creator.http.post(
        "/dashboard/tools/from-template",
        data={"csrf_token": creator.csrf, "template_id": "roi-calculator"},
    )
    assert made.status_code == 303, made.text
    page = creator.http.get(made.headers["location"])
    assert page.status_code == 200 and 'id="brief-fit"' not in page.text
