"""Lead-capture and test-case editors: saving new versions, naming problems, conflicts,
running test cases and recording a new one from a filled-in preview, two-account isolation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.engine import run

LEAD = "/dashboard/tools/{}/lead-capture"
TESTS = "/dashboard/tools/{}/tests"


@pytest.fixture(autouse=True)
def editor_routes(client: TestClient) -> None:
    """Mount the editor routes (ahead of the rest) until the dashboard router includes them."""
    from keyvex.dashboard._editor_routes import router

    app: Any = client.app
    paths = {getattr(route, "path", "") for route in app.router.routes}
    if "/dashboard/tools/{tool_id}/lead-capture" not in paths:
        before = len(app.router.routes)
        app.include_router(router)
        added = app.router.routes[before:]
        del app.router.routes[before:]
        app.router.routes[0:0] = added


def lead_form(**change: Any) -> dict[str, Any]:
    form = {
        "version": "1",
        "mode": "before_results",
        "title": "Where should we send it?",
        "text": "Your report in one click.",
        "incentive": "A PDF report",
        "consent_text": "I agree to hear from you.",
        "consent_required": "yes",
        "button_label": "Send it",
        "email_result": "yes",
        "field_count": "1",
        "field_0_id": "email",
        "field_0_label": "Work email",
        "field_0_type": "email",
        "field_0_required": "yes",
        "field_1_id": "company",
        "field_1_label": "Company",
        "field_1_type": "company",
    }
    return {**form, **change}


def test_lead_capture_edit_saves_a_new_version(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    page = alice.get(LEAD.format(tool_id))
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.text and 'name="version" value="1"' in page.text
    response = alice.post(LEAD.format(tool_id), lead_form())
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("?done=lead_saved")
    tool = alice.tool(tool_id)
    capture = tool.definition.lead_capture
    assert tool.version == 2
    assert capture.mode == "before_results" and capture.title == "Where should we send it?"
    assert capture.email_result and capture.consent_required
    assert capture.incentive == "A PDF report" and capture.button_label == "Send it"
    assert [(f.id, f.type, f.required) for f in capture.fields] == [
        ("email", "email", True),
        ("company", "company", False),
    ]
    saved = alice.get(LEAD.format(tool_id) + "?done=lead_saved").text
    assert "saved as a new version" in saved and 'value="company"' in saved


def test_lead_capture_errors_are_shown_beside_their_fields(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    broken = lead_form(field_0_type="text", field_1_label="", consent_required="")
    response = alice.post(LEAD.format(tool_id), broken)
    assert response.status_code == 422
    assert 'id="e-field-1-label"' in response.text and 'class="alert"' not in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Where should we send it?"' in response.text  # the form keeps the input
    assert alice.tool(tool_id).version == 1
    no_email = lead_form(field_0_type="text")
    response = alice.post(LEAD.format(tool_id), no_email)
    assert response.status_code == 422 and "needs an email field" in response.text


def test_lead_capture_stale_version_is_a_conflict(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    assert alice.post(LEAD.format(tool_id), lead_form()).status_code == 303
    stale = alice.post(LEAD.format(tool_id), lead_form(title="Older edit"))
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.text and "Reload the page" in stale.text
    assert alice.tool(tool_id).definition.lead_capture.title == "Where should we send it?"


def results(page: str) -> list[str]:
    return re.findall(r'data-result="(pass|fail)"', page)


def test_tests_page_runs_every_case(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    page = alice.get(TESTS.format(tool_id)).text
    count = len(alice.tool(tool_id).definition.test_cases)
    assert results(page) == ["pass"] * count and f"{count} of {count} test cases passed" in page

    # Break one expectation through the store's own save path, then run them again.
    from keyvex.tools.service import update_tool

    definition = alice.tool(tool_id).definition.model_copy(deep=True)
    definition.test_cases[0].expected["net_gain"] = 1.0
    alice._run(update_tool(alice.app_state, alice.user, tool_id, definition, note="broken"))
    page = alice.get(TESTS.format(tool_id)).text
    assert results(page)[0] == "fail" and results(page)[1:] == ["pass"] * (count - 1)
    first = page.split('data-case="0"')[1].split("</article>")[0]
    assert "FAIL" in first and "68600" in first  # the actual value is shown


def test_add_test_case_from_answers_stores_engine_values(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    page = alice.get(TESTS.format(tool_id)).text
    assert 'name="a_investment"' in page and 'value="25000"' in page  # pre-filled defaults
    answers = {
        "a_investment": "50000",
        "a_monthly_revenue_gain": "3000",
        "a_gross_margin": "50",
        "a_monthly_cost_savings": "500",
        "a_months": "12",
    }
    body = {"version": "1", "name": "bigger spend", "notes": "checked by hand", **answers}
    response = alice.post(TESTS.format(tool_id), body)
    assert response.status_code == 303, response.text
    definition = alice.tool(tool_id).definition
    case = definition.test_cases[-1]
    assert case.name == "bigger spend" and case.notes == "checked by hand"
    engine = run(definition, {k[2:]: float(v) for k, v in answers.items()})
    assert case.expected["net_gain"] == pytest.approx(engine.values["net_gain"])
    assert set(case.expected) >= {"monthly_benefit", "total_benefit", "roi"}
    assert case.expected_outcome == (engine.outcome.id if engine.outcome else None)
    assert case.answers["investment"] == 50000
    assert results(alice.get(TESTS.format(tool_id)).text)[-1] == "pass"


def test_add_test_case_refuses_bad_answers_and_stale_versions(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    bad = alice.post(TESTS.format(tool_id), {"version": "1", "name": "x", "a_investment": "lots"})
    assert bad.status_code == 422 and "Enter a number" in bad.text
    nameless = alice.post(TESTS.format(tool_id), {"version": "1", "name": ""})
    assert nameless.status_code == 422 and "Give the test case a name." in nameless.text
    assert 'class="alert"' not in nameless.text  # said once, beside the name field
    assert alice.post(TESTS.format(tool_id), {"version": "1", "name": "a"}).status_code == 303
    stale = alice.post(TESTS.format(tool_id), {"version": "1", "name": "b"})
    assert stale.status_code == 409 and "changed meanwhile" in stale.text
    assert [c.name for c in alice.tool(tool_id).definition.test_cases][-1] == "a"


def test_other_creators_get_404(alice: Any, bob: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    assert bob.get(LEAD.format(tool_id)).status_code == 404
    assert bob.get(TESTS.format(tool_id)).status_code == 404
    assert bob.post(LEAD.format(tool_id), lead_form()).status_code == 404
    assert bob.post(TESTS.format(tool_id), {"version": "1", "name": "x"}).status_code == 404
    assert alice.tool(tool_id).version == 1
