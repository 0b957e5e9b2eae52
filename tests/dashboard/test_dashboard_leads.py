"""Leads pages: search, filters, cursor pages, detail, erasure, the session CSV, the funnel."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from fastapi.testclient import TestClient

from keyvex.tools import get_template
from tests.dashboard.conftest import submit_lead

ROWS = re.compile(r'<tr data-lead="([0-9a-f]+)">')


def test_search_filters_and_detail(alice: Any, published: Any, leave_lead: Any) -> None:
    tool_id, ref = published
    leave_lead("grace@example.com", name="Grace Hopper")
    base = f"/dashboard/tools/{tool_id}/leads"
    assert len(ROWS.findall(alice.get(base).text)) == 2
    found = alice.get(f"{base}?q=HOPPER").text
    assert "grace@example.com" in found and "ada@example.com" not in found
    assert len(ROWS.findall(alice.get("/dashboard/leads?q=ada@").text)) == 1
    assert "No leads match" in alice.get(f"{base}?from=2000-01-01&to=2000-01-31").text
    bad = alice.get(f"{base}?from=yesterday")
    assert bad.status_code == 422 and 'id="e-from"' in bad.text
    detail = alice.get(f"{base}/{ref}").text
    consent = get_template("roi-calculator").lead_capture.consent_text
    assert f"“{consent}”" in detail and "newsletter" in detail
    assert "consultant.example/blog" in detail and "Total investment" in detail


def test_pages_continue_with_a_cursor(alice: Any, published: Any, leave_lead: Any) -> None:
    tool_id, _ = published
    for n in range(26):
        leave_lead(f"v{n}@example.com")
    first = alice.get(f"/dashboard/tools/{tool_id}/leads").text
    cursor = re.search(r'cursor=([^"&]+)"', first)
    assert cursor and len(ROWS.findall(first)) == 25
    second = alice.get(f"/dashboard/tools/{tool_id}/leads?cursor={cursor.group(1)}").text
    assert len(ROWS.findall(second)) == 2
    assert not set(ROWS.findall(first)) & set(ROWS.findall(second))
    everyone = alice.get("/dashboard/leads").text
    more = re.search(r'cursor=([^"&]+)"', everyone)
    assert more and len(ROWS.findall(everyone)) == 25
    rest = alice.get(f"/dashboard/leads?cursor={more.group(1)}").text
    assert len(ROWS.findall(rest)) == 2
    assert alice.get("/dashboard/leads?cursor=garbage").status_code == 422


def test_erasing_a_lead_removes_it_from_csv(alice: Any, published: Any) -> None:
    tool_id, ref = published
    csv_path = f"/dashboard/tools/{tool_id}/leads.csv"
    rows = list(csv.DictReader(io.StringIO(alice.get(csv_path).text)))
    assert [r["Work email"] for r in rows] == ["ada@example.com"]
    confirm = alice.get(f"/dashboard/tools/{tool_id}/leads/{ref}/delete").text
    assert "will not contain it" in confirm
    erased = alice.post(f"/dashboard/tools/{tool_id}/leads/{ref}/delete")
    assert erased.status_code == 303
    assert "was erased" in alice.get(erased.headers["location"]).text
    assert alice.get(f"/dashboard/tools/{tool_id}/leads/{ref}").status_code == 404
    assert list(csv.DictReader(io.StringIO(alice.get(csv_path).text))) == []


def test_csv_neutralises_formulas(alice: Any, published: Any, leave_lead: Any) -> None:
    tool_id, _ = published
    evil = '=HYPERLINK("http://x")'
    leave_lead("eve@example.com", name=evil)
    text = alice.get(f"/dashboard/tools/{tool_id}/leads.csv").text
    assert "'" + evil.replace('"', '""') in text


def test_funnel_shows_counters_and_charts(alice: Any, published: Any, client: Any) -> None:
    tool_id, _ = published
    visitor = TestClient(client.app, headers={"user-agent": "Mozilla/5.0 Visitor"})
    assert visitor.get("/t/alice-roi").status_code == 200
    visitor.post("/t/alice-roi/events", json={"event": "start"})
    page = alice.get(f"/dashboard/tools/{tool_id}/funnel").text
    # The fixture's lead came from a visitor who never loaded the page: that is a visit too.
    for stage, count in (("views", 2), ("starts", 2), ("leads", 1)):
        assert f'<tr data-stage="{stage}"><th scope="row">{stage.title()}</th>' in page
        row = page.split(f'data-stage="{stage}"')[1].split("</tr>")[0]
        assert f'<td class="num">{count}</td>' in row
    assert '<svg class="dash-chart dash-funnel"' in page
    assert '<svg class="dash-chart dash-trend"' in page
    backwards = alice.get(f"/dashboard/tools/{tool_id}/funnel?from=2025-02-01&to=2025-01-01")
    assert backwards.status_code == 422 and 'id="e-to"' in backwards.text


def test_funnel_counts_visits_so_no_share_passes_100_percent(
    alice: Any, published: Any, client: Any
) -> None:
    tool_id, _ = published
    visitor = TestClient(client.app, headers={"user-agent": "Mozilla/5.0 Reloader"})
    for _ in range(3):  # reloads and second tabs: each page load beacons its own start
        assert visitor.get("/t/alice-roi").status_code == 200
        visitor.post("/t/alice-roi/events", json={"event": "start"})
    page = alice.get(f"/dashboard/tools/{tool_id}/funnel").text
    shares = re.findall(r'<td class="num">([0-9.]+)%</td>', page.split('id="funnel-table"')[1])
    assert shares and all(float(share) <= 100 for share in shares)
    assert 'id="funnel-definition"' in page and "Every stage counts <strong>visits</strong>" in page
    conversion = re.search(r'id="kpi-conversion">([^<]+)<', page)
    assert conversion and conversion.group(1) != "–" and float(conversion.group(1)[:-1]) <= 100
    home = alice.get("/dashboard").text
    assert "visits that left a lead ÷ views" in home


def test_all_leads_page_downloads_its_leads_as_csv(
    alice: Any, bob: Any, published: Any, leave_lead: Any
) -> None:
    tool_id, _ = published
    leave_lead("grace@example.com", name="Grace Hopper")
    page = alice.get("/dashboard/leads?q=hopper").text
    link = re.search(r'id="csv-link" href="([^"]+)"', page)
    assert link and "Download matching leads (CSV)" in page
    response = alice.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["name"], r["email"], r["tool_id"]) for r in rows] == [
        ("Grace Hopper", "grace@example.com", tool_id)
    ]
    assert "Total investment: $10,000" in rows[0]["answers"]
    assert rows[0]["tool"] == alice.tool(tool_id).definition.title
    everyone = list(csv.DictReader(io.StringIO(alice.get("/dashboard/leads.csv").text)))
    assert len(everyone) == 2
    assert list(csv.DictReader(io.StringIO(bob.get("/dashboard/leads.csv").text))) == []
    assert alice.get("/dashboard/leads.csv?from=never").status_code == 422


def test_a_tools_csv_has_option_labels_plain_numbers_and_results(
    alice: Any, published: Any
) -> None:
    tool_id, _ = published
    rows = list(
        csv.DictReader(io.StringIO(alice.get(f"/dashboard/tools/{tool_id}/leads.csv").text))
    )
    assert rows[0]["Total investment"] == "10000"  # a number a spreadsheet can add up
    assert rows[0]["Net gain"].startswith("$")  # the result as the visitor saw it
    header = next(csv.reader(io.StringIO(alice.get(f"/dashboard/tools/{tool_id}/leads.csv").text)))
    assert header.index("referrer") < header.index("Net gain")  # results follow, order kept


def test_a_quiz_csv_writes_the_option_labels_visitors_chose(alice: Any, client: Any) -> None:
    tool_id = alice.create_from_template("marketing-maturity-scorecard")
    alice.publish(tool_id, slug="maturity-csv")
    definition = alice.tool(tool_id).definition
    answers = {item.id: item.options[0].value for item in definition.inputs}
    submit_lead(TestClient(client.app), "maturity-csv", answers, "ada@example.com")
    text = alice.get(f"/dashboard/tools/{tool_id}/leads.csv").text
    [row] = list(csv.DictReader(io.StringIO(text)))
    first = definition.inputs[0]
    assert row[first.label] == first.options[0].label != first.options[0].value


def test_a_percentage_score_is_listed_with_its_percent_sign(alice: Any, client: Any) -> None:
    tool_id = alice.create_from_template("wellbeing-scorecard")
    alice.publish(tool_id, slug="alice-wellbeing")
    answers = get_template("wellbeing-scorecard").test_cases[0].answers
    visitor = TestClient(client.app)
    lead = submit_lead(visitor, "alice-wellbeing", answers, "maria@smiledental.example")
    listed = alice.get("/dashboard/leads").text
    cell = re.search(r'<td class="num lead-score" data-label="Score">([^<]*)</td>', listed)
    assert cell and re.fullmatch(r"\d+(\.\d)?%", cell.group(1)), cell
    assert lead  # the visitor's submission was stored
    # The address sits whole in its own span (kept on one line), not broken mid-word.
    assert '<span class="dash-email">maria@smiledental.example</span>' in listed


def test_a_total_without_a_maximum_is_listed_as_a_plain_number() -> None:
    from keyvex.dashboard._views import score_text

    class Scored:
        def __init__(self, score: float | None, scores: dict[str, Any] | None) -> None:
            self.score, self.scores = score, scores

    assert score_text(Scored(60.44, {"total": 18, "max": 25, "percent": 60.44})) == "60.4%"  # type: ignore[arg-type]
    assert score_text(Scored(18.0, {"total": 18})) == "18"  # type: ignore[arg-type]
    assert score_text(Scored(None, None)) == "–"  # type: ignore[arg-type]
