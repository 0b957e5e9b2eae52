"""Tool ideas on /create: from the creator's words, each with a brief that starts a session."""

from __future__ import annotations

import html
import re
from typing import Any


def _ideas(creator: Any, **params: str) -> str:
    response = creator.http.get("/create", params=params)
    assert response.status_code == 200
    return response.text


def test_create_page_shows_ideas_with_a_brief_that_starts_a_session(creator: Any) -> None:
    page = _ideas(
        creator, expertise="GDPR and data privacy", audience="marketing agencies",
        offer="GDPR audits",
    )  # fmt: skip
    titles = re.findall(r'<li class="cc-idea">\s*<h3>([^<]+)</h3>', page)
    assert 3 <= len(titles) <= 5
    assert "How GDPR-ready is your agency?" in titles
    briefs = [html.unescape(b) for b in re.findall(r'data-brief="([^"]+)"', page)]
    assert len(briefs) == len(titles) and all("GDPR audits" in b for b in briefs)
    sid = creator.start(briefs[0], build_now=True)
    creator.events(sid, after=0)
    session = creator.session(sid)
    assert session["template_id"] == "gdpr-readiness"
    assert session["fit"]["level"] == "high"


def test_missing_expertise_is_answered_next_to_the_field(creator: Any) -> None:
    page = _ideas(creator, expertise="  ", audience="dentists")
    assert "Say what you are expert in." in page
    assert 'class="cc-idea"' not in page


def test_ideas_are_escaped(creator: Any) -> None:
    page = _ideas(creator, expertise="<script>alert(1)</script>", audience="<b>owners</b>")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_each_idea_question_is_its_own_spaced_field(creator: Any) -> None:
    page = creator.http.get("/create").text
    form = page[page.index('class="cc-ideas-form"') : page.index("Suggest ideas")]
    fields = re.findall(r'<div class="field">\s*<label for="(idea-[a-z]+)">', form)
    assert fields == ["idea-expertise", "idea-audience", "idea-offer"]
