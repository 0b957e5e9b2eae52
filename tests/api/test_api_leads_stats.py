"""REST API v1: a creator reads leads (paged, CSV) and statistics of their own tools only."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from typing import Any

from keyvex.analytics import record_event
from keyvex.leads import LeadSubmission, RequestMeta, submit_lead
from keyvex.tools.publishing import published_by_slug


def _publish(user: Any, template: str = "roi-calculator") -> tuple[str, str]:
    tool = user.post(f"/api/v1/tools/from-template/{template}").json()
    slug = user.post(f"/api/v1/tools/{tool['id']}/publish").json()["slug"]
    return tool["id"], slug


def _visit_and_submit(client: Any, slug: str, n: int) -> None:
    app = client.app.state.keyvex

    async def go() -> None:
        live = await published_by_slug(app, slug)
        await record_event(app, live, "view", step=None, ip="203.0.113.9", user_agent="Mozilla/5.0")
        for i in range(n):
            submission = LeadSubmission(
                answers={"investment": 10000 + i},
                contact={"email": f"visitor{i}@example.com", "name": f'=HYPERLINK("x") {i}'},
                consent=True,
                idempotency_key=f"key-{i:04d}-abcdefghijkl",
                elapsed_ms=9000,
            )
            await submit_lead(
                app, live, submission, RequestMeta(ip=f"203.0.113.{i}", user_agent="Mozilla/5.0")
            )

    asyncio.run(go())


def test_leads_are_listed_newest_first_with_a_cursor(alice: Any, client: Any) -> None:
    tool_id, slug = _publish(alice)
    _visit_and_submit(client, slug, 3)
    first = alice.get(f"/api/v1/tools/{tool_id}/leads", params={"limit": 2}).json()
    assert len(first["leads"]) == 2 and first["cursor"]
    rest = alice.get(
        f"/api/v1/tools/{tool_id}/leads", params={"limit": 2, "cursor": first["cursor"]}
    ).json()
    emails = [lead["contact"]["email"] for lead in first["leads"] + rest["leads"]]
    assert emails == ["visitor2@example.com", "visitor1@example.com", "visitor0@example.com"]
    assert rest["cursor"] is None


def test_leads_csv_is_streamed_and_neutralises_formulas(alice: Any, client: Any) -> None:
    tool_id, slug = _publish(alice)
    _visit_and_submit(client, slug, 2)
    response = alice.get(f"/api/v1/tools/{tool_id}/leads.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 3
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


def test_stats_count_views_and_leads_per_day(alice: Any, client: Any) -> None:
    tool_id, slug = _publish(alice)
    _visit_and_submit(client, slug, 2)
    today = datetime.now(UTC).date().isoformat()
    stats = alice.get(f"/api/v1/tools/{tool_id}/stats", params={"from": today, "to": today}).json()
    # One page view plus two visitors whose leads prove a visit (other addresses).
    assert stats["totals"]["views"] == 3 and stats["totals"]["leads"] == 2
    assert stats["totals"]["converted"] == 2
    assert stats["days"][0]["date"] == today
    bad = alice.get(f"/api/v1/tools/{tool_id}/stats", params={"from": today, "to": "2000-01-01"})
    assert bad.status_code == 422
    assert (
        alice.get(
            f"/api/v1/tools/{tool_id}/stats", params={"from": "yesterday", "to": today}
        ).status_code
        == 422
    )


def test_another_creator_sees_none_of_it(alice: Any, bob: Any, client: Any) -> None:
    tool_id, slug = _publish(alice)
    _visit_and_submit(client, slug, 1)
    today = datetime.now(UTC).date().isoformat()
    assert bob.get(f"/api/v1/tools/{tool_id}/leads").status_code == 404
    assert bob.get(f"/api/v1/tools/{tool_id}/leads.csv").status_code == 404
    assert (
        bob.get(f"/api/v1/tools/{tool_id}/stats", params={"from": today, "to": today}).status_code
        == 404
    )


def test_leads_across_tools_share_the_filters_and_cursor(alice: Any, bob: Any, client: Any) -> None:
    first_id, first = _publish(alice)
    second_id, second = _publish(alice)
    bobs_id, bobs = _publish(bob)
    _visit_and_submit(client, first, 2)
    _visit_and_submit(client, second, 1)
    _visit_and_submit(client, bobs, 1)
    page = alice.get("/api/v1/leads", params={"limit": 2}).json()
    assert len(page["leads"]) == 2 and page["cursor"]
    rest = alice.get("/api/v1/leads", params={"limit": 2, "cursor": page["cursor"]}).json()
    listed = page["leads"] + rest["leads"]
    assert rest["cursor"] is None and len(listed) == 3
    assert {lead["tool_id"] for lead in listed} == {first_id, second_id}
    assert len({lead["id"] for lead in listed}) == 3
    assert [lead["created_at"] for lead in listed] == sorted(
        (lead["created_at"] for lead in listed), reverse=True
    )
    found = alice.get("/api/v1/leads", params={"q": "visitor1@"}).json()["leads"]
    assert [lead["contact"]["email"] for lead in found] == ["visitor1@example.com"]
    today = datetime.now(UTC).date().isoformat()
    assert len(alice.get("/api/v1/leads", params={"from": today}).json()["leads"]) == 3
    assert alice.get("/api/v1/leads", params={"to": "2000-01-01"}).json()["leads"] == []
    bad = alice.get("/api/v1/leads", params={"from": "yesterday"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    one_tool = alice.get(f"/api/v1/tools/{first_id}/leads", params={"q": "visitor1@"}).json()
    assert [lead["tool_id"] for lead in one_tool["leads"]] == [first_id]
    mine = bob.get("/api/v1/leads").json()["leads"]
    assert [lead["tool_id"] for lead in mine] == [bobs_id]
    rows = list(csv.DictReader(io.StringIO(alice.get("/api/v1/leads.csv").text)))
    assert len(rows) == 3 and {r["tool_id"] for r in rows} == {first_id, second_id}
    assert rows[0]["answers"].startswith("Total investment: $")
