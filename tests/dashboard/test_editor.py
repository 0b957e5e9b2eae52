"""The visual tool editor over HTTP: its page for every kind of tool, saving each section's
changes as new versions, refused saves named by field path, removals formulas still use,
stale versions, other creators and the CSRF token."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from keyvex.tools import get_template

EDIT = "/dashboard/tools/{}/edit"
META_CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')
SECTIONS = ("details", "inputs", "steps", "constants", "calculations", "scoring", "outcomes",
            "results", "tables", "lead", "theme")  # fmt: skip
ORIGINAL = re.compile(r"<form id=\"tool-editor\"[^>]*data-orig='([^']*)'", re.S)


def editor_page(creator: Any, tool_id: str) -> str:
    response = creator.get(EDIT.format(tool_id))
    assert response.status_code == 200, response.text
    return str(response.text)


def draft_of(creator: Any, tool_id: str) -> dict[str, Any]:
    """The definition the editor page starts from (what its script overlays)."""
    match = ORIGINAL.search(editor_page(creator, tool_id))
    assert match, "the editor form carries the definition"
    return dict(json.loads(match.group(1).replace("&#39;", "'").replace("&amp;", "&")))


def save(
    creator: Any,
    tool_id: str,
    definition: dict[str, Any],
    version: int,
    csrf: bool = True,
    update_tests: bool = False,
) -> Any:
    headers = {"Accept": "application/json"}
    if csrf:
        match = META_CSRF.search(editor_page(creator, tool_id))
        assert match
        headers["X-CSRF-Token"] = match.group(1)
    return creator.client.post(
        EDIT.format(tool_id),
        json={"version": version, "definition": definition, "update_tests": update_tests},
        headers=headers,
        follow_redirects=False,
    )


def saved(
    creator: Any, tool_id: str, definition: dict[str, Any], version: int, **extra: Any
) -> Any:
    response = save(creator, tool_id, definition, version, **extra)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == version + 1
    return creator.tool(tool_id).definition


@pytest.mark.parametrize(
    "template",
    ["roi-calculator", "wellbeing-scorecard", "leadership-style-quiz", "email-marketing-quiz",
     "website-quote-estimator"],
)  # fmt: skip
def test_editor_opens_and_saves_every_kind_of_template(alice: Any, template: str) -> None:
    tool_id = alice.create_from_template(template)
    page = editor_page(alice, tool_id)
    assert 'data-check-url="/dashboard/tools/' + tool_id + '/edit/check"' in page
    assert "data-functions='[" in page and '"ROUND"' in page
    assert '<script src="/static/dashboard/formula-editor.js" defer></script>' in page
    for section in SECTIONS:
        assert f'id="ed-{section}"' in page, section
    definition = draft_of(alice, tool_id)
    assert definition == get_template(template).model_dump(mode="json")
    after = saved(alice, tool_id, definition, 1)
    assert after.model_dump(mode="json") == definition
    assert alice.tool(tool_id).version == 2


def test_formula_fields_carry_their_paths_for_the_formula_assistant(alice: Any) -> None:
    page = editor_page(alice, alice.create_from_template("roi-calculator"))
    for index in range(5):
        path = f"calculations.{index}.formula"
        assert f'<textarea class="formula-input" data-formula data-path="{path}"' in page
    assert 'data-path="outcomes.0.condition"' in page
    assert "payback_months" in page


def test_tool_page_links_the_editor(alice: Any) -> None:
    tool_id = alice.create_from_template()
    assert (
        f'href="/dashboard/tools/{tool_id}/edit" id="edit-tool"'
        in alice.get(f"/dashboard/tools/{tool_id}").text
    )


def test_questions_options_and_steps_are_saved(alice: Any) -> None:
    tool_id = alice.create_from_template("wellbeing-scorecard")
    d = draft_of(alice, tool_id)
    first, second = d["inputs"][0], d["inputs"][1]
    d["inputs"][0], d["inputs"][1] = second, first  # reorder
    first["label"] = "How many hours do you sleep on a work night?"
    first["help"] = "Count a normal week."
    first["reverse_scored"] = True
    first["options"][0]["label"] = "Under five"
    first["options"][0]["points"] = 0.5
    new = copy.deepcopy(second)
    new.update(id="naps", label="Do you nap?", category="sleep", required=False)
    d["inputs"].append(new)
    refused = save(alice, tool_id, d, 1)
    assert refused.status_code == 422 and refused.json()["results_changed"] is True
    assert refused.json()["detail"].startswith("Not saved: 3 test cases no longer match")
    after = saved(alice, tool_id, d, 1, update_tests=True)
    assert alice.tool(tool_id).definition.test_cases[0].expected["sleep"] != 58.333
    assert [i.id for i in after.inputs][:2] == [second["id"], first["id"]]
    moved = after.input(first["id"])
    assert moved.label.startswith("How many hours") and moved.reverse_scored
    assert moved.options[0].label == "Under five" and moved.options[0].points == 0.5
    assert after.input("naps").category == "sleep"


def test_steps_group_questions(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    ids = [i["id"] for i in d["inputs"]]
    d["steps"] = [
        {"id": "costs", "title": "Costs", "description": "", "inputs": ids[:1]},
        {"id": "gains", "title": "Gains", "description": "", "inputs": ids[1:]},
    ]
    after = saved(alice, tool_id, d, 1)
    assert [s.title for s in after.steps] == ["Costs", "Gains"]


def test_calculations_constants_scoring_and_outcomes_are_saved(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["constants"].append({"id": "tax_rate", "value": 0.2, "label": "Tax rate"})
    d["calculations"].append(
        {"id": "after_tax", "label": "Net gain after tax", "formula": "net_gain * (1 - tax_rate)",
         "format": "currency", "decimals": 0, "unit": "", "currency": None}
    )  # fmt: skip
    d["outcomes"][0]["title"] = "A very strong case"
    d["outcomes"][0]["recommendations"] = ["Share it with your finance team."]
    after = saved(alice, tool_id, d, 1)
    assert after.constants[0].id == "tax_rate"
    assert after.calculations[-1].formula == "net_gain * (1 - tax_rate)"
    assert after.outcomes[0].title == "A very strong case"


def test_scoring_categories_and_tiers_are_saved(alice: Any) -> None:
    tool_id = alice.create_from_template("wellbeing-scorecard")
    d = draft_of(alice, tool_id)
    d["scoring"]["categories"][0]["title"] = "Rest and sleep"
    d["scoring"]["categories"][0]["recommendation"] = "Go to bed earlier."
    d["scoring"]["recommendation_threshold"] = 50
    d["outcomes"][1]["min_score"] = 45
    d["outcomes"][0]["max_score"] = 45
    after = saved(alice, tool_id, d, 1)
    assert after.scoring is not None
    assert after.scoring.categories[0].title == "Rest and sleep"
    assert after.scoring.recommendation_threshold == 50
    assert after.outcomes[1].min_score == 45


def test_result_blocks_are_added_removed_and_reordered(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    chart = next(b for b in d["results"] if b["type"] == "chart")
    chart.update(chart="donut", title="Where the gain comes from")
    d["results"] = [b for b in d["results"] if b["type"] != "cta"]
    d["results"].insert(0, {"type": "text", "text": "Your payback: {{payback_months}} months."})
    d["results"].append({"type": "recommendations", "title": "Next steps"})
    after = saved(alice, tool_id, d, 1)
    types = [b.type for b in after.results]
    assert types[0] == "text" and types[-1] == "recommendations" and "cta" not in types
    chart_block = next(b for b in after.results if b.type == "chart")
    assert chart_block.chart == "donut"


def test_lead_capture_theme_and_details_are_saved(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["title"] = "Is this project worth it?"
    d["lead_capture"].update(mode="before_results", button_label="Show me")
    d["lead_capture"]["fields"].append(
        {"id": "company", "label": "Company", "type": "company", "required": False}
    )
    d["theme"].update(primary="#0f766e", font="serif", radius=4)
    after = saved(alice, tool_id, d, 1)
    assert after.title == "Is this project worth it?"
    assert after.lead_capture.mode == "before_results"
    assert [f.id for f in after.lead_capture.fields][-1] == "company"
    assert (after.theme.primary, after.theme.font, after.theme.radius) == ("#0f766e", "serif", 4)


def test_presentation_cover_is_saved(alice: Any) -> None:
    tool_id = alice.create_from_template("wellbeing-scorecard")
    d = draft_of(alice, tool_id)
    assert "presentation" in d
    assert 'id="ed-presentation"' in editor_page(alice, tool_id)
    d["presentation"] = {
        "layout": "one_per_screen",
        "cover": {"title": "How are you, really?", "subtitle": "Two minutes.",
                  "image_url": None, "image_alt": "", "pattern": "dots", "start_label": "Begin"},
    }  # fmt: skip
    after = saved(alice, tool_id, d, 1).model_dump(mode="json")
    assert after["presentation"]["cover"]["start_label"] == "Begin"


def test_a_draft_that_does_not_parse_is_refused_with_field_paths(alice: Any) -> None:
    tool_id = alice.create_from_template("wellbeing-scorecard")
    d = draft_of(alice, tool_id)
    d["inputs"][2]["label"] = "x" * 300
    d["inputs"][0]["options"][1]["value"] = d["inputs"][0]["options"][0]["value"]
    d["theme"]["primary"] = "blue"
    response = save(alice, tool_id, d, 1)
    assert response.status_code == 422
    body = response.json()
    paths = {e["field"]: e["message"] for e in body["errors"]}
    assert paths["inputs.2.label"] == "must be at most 200 characters."
    assert "inputs.0.options.1.value" in paths
    assert "theme.primary" in paths
    assert body["detail"] == "Not saved: 3 problems to fix."
    assert alice.tool(tool_id).version == 1


def test_a_draft_that_fails_verification_is_refused_at_the_formula(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["calculations"][2]["formula"] = "total_benefit - investmnt"
    response = save(alice, tool_id, d, 1)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Not saved: 1 problem to fix, in Calculation 'Net gain'")
    assert any(e["field"] == "calculations.2.formula" for e in body["errors"])
    assert alice.tool(tool_id).version == 1


def test_a_formula_typo_is_named_first_and_the_test_cases_it_breaks_are_grouped(
    alice: Any,
) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["calculations"][0]["formula"] = d["calculations"][0]["formula"].replace(
        "monthly_revenue_gain", "monthly_revenue_gian"
    )
    body = save(alice, tool_id, d, 1).json()
    assert body["detail"] == (
        "Not saved: 1 problem to fix, in Calculation 'Monthly benefit' › Formula. "
        "4 test cases fail too, probably because of it."
    )
    [problem] = body["problems"]
    assert problem["field"] == "calculations.0.formula"
    assert problem["where"] == "Calculation 'Monthly benefit' › Formula"
    assert "Did you mean 'monthly_revenue_gain'?" in problem["message"]
    # One line per case, in the tool's labels and formats; three cases and a count.
    assert len(body["failing_cases"]) == 3 and body["more_cases"] == 1
    first = body["failing_cases"][0]
    assert first.startswith("'defaults': Monthly benefit should be $3,900, is blank;")
    assert first.endswith("; and 3 more")
    assert "test_cases." not in json.dumps(body["failing_cases"])
    # Formulas that only fail because they read the broken one are summed up, not marked.
    assert body["follow_on"][0] == "4 other calculations cannot be calculated until then."
    assert "the outcomes 'A strong business case' and 'Pays for itself'" in body["follow_on"][1]
    marked = {e["field"] for e in body["errors"] if not e["field"].startswith("test_cases.")}
    assert marked == {"calculations.0.formula"}


def test_changed_results_are_listed_per_case_with_values_as_the_tool_shows_them(
    alice: Any,
) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["calculations"][0]["formula"] = f"({d['calculations'][0]['formula']}) * 1.1"
    body = save(alice, tool_id, d, 1).json()
    assert body["results_changed"] is True
    assert body["detail"].startswith("Not saved: 3 test cases no longer match the tool")
    assert body["problems"] == []
    assert body["failing_cases"][0].startswith(
        "'defaults': Monthly benefit should be $3,900, is $4,290; "
        "Net gain should be $68,600, is $77,960; "
        "Payback period should be 6.4 months, is 5.8 months; and 2 more"
    )
    assert "Net gain should be -$38,000, is -$36,800;" in body["failing_cases"][1]
    assert not re.search(r"\d\.\d{5}", json.dumps(body["failing_cases"]))  # no float noise


def test_close_values_get_the_decimals_that_tell_them_apart(alice: Any) -> None:
    from keyvex.dashboard._save_report import case_line
    from keyvex.tools import parse_tool

    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["test_cases"] = [d["test_cases"][0]]
    d["test_cases"][0]["expected"] = {"payback_months": 6.9}  # the tool gives 6.4103
    line = case_line(parse_tool(d), parse_tool(d).test_cases[0])
    assert line == "'defaults': Payback period should be 6.9 months, is 6.4 months"


def test_removing_a_question_formulas_use_is_refused_naming_them(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["inputs"] = [i for i in d["inputs"] if i["id"] != "investment"]
    response = save(alice, tool_id, d, 1)
    assert response.status_code == 422
    body = response.json()
    assert "'investment' (question 'Total investment') is still used by" in body["detail"]
    assert "calculation 'Net gain', calculation 'Return on investment'" in body["detail"]
    paths = {e["field"] for e in body["errors"]}
    assert {"calculations.2.formula", "calculations.3.formula"} <= paths
    assert body["removed"][0]["name"] == "investment"
    assert body["removed"][0]["default"] == 25000
    assert alice.tool(tool_id).version == 1

    # The offer the editor makes: keep the name as a constant holding the default.
    d["constants"].append({"id": "investment", "value": 25000, "label": "Total investment"})
    after = saved(alice, tool_id, d, 1, update_tests=True)  # cases answered other amounts
    assert "investment" not in [i.id for i in after.inputs]
    assert after.constants[0].value == 25000
    assert all("investment" not in case.answers for case in after.test_cases)


def test_removing_a_calculation_a_block_shows_is_refused(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["calculations"] = [c for c in d["calculations"] if c["id"] != "roi"]
    response = save(alice, tool_id, d, 1)
    assert response.status_code == 422
    assert "'roi' (calculation" in response.json()["detail"]


def test_removing_an_unused_question_also_clears_it_from_steps_and_test_cases(
    alice: Any,
) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["inputs"].append(
        {"id": "notes", "type": "text", "label": "Anything else?", "required": False}
    )
    d["steps"] = [{"id": "all", "title": "All", "inputs": [i["id"] for i in d["inputs"]]}]
    saved(alice, tool_id, d, 1)
    d = draft_of(alice, tool_id)
    d["inputs"] = [i for i in d["inputs"] if i["id"] != "notes"]  # the step still lists it
    after = saved(alice, tool_id, d, 2)
    assert "notes" not in after.steps[0].inputs


def test_a_stale_version_is_refused_as_changed_meanwhile(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    saved(alice, tool_id, d, 1)
    d["title"] = "Overwritten?"
    response = save(alice, tool_id, d, 1)
    assert response.status_code == 409
    assert "changed meanwhile" in response.json()["detail"]
    assert alice.tool(tool_id).definition.title != "Overwritten?"


def test_another_creators_tool_is_not_found(alice: Any, bob: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    assert bob.get(EDIT.format(tool_id)).status_code == 404
    token = META_CSRF.search(editor_page(bob, bob.create_from_template()))
    assert token
    response = bob.client.post(
        EDIT.format(tool_id),
        json={"version": 1, "definition": {**d, "title": "Mine"}},
        headers={"X-CSRF-Token": token.group(1)},
    )
    assert response.status_code == 404
    assert alice.tool(tool_id).version == 1


def test_saving_needs_the_csrf_token(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    response = save(alice, tool_id, draft_of(alice, tool_id), 1, csrf=False)
    assert response.status_code == 403
    assert alice.tool(tool_id).version == 1


def test_a_body_that_is_not_a_draft_is_refused(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    token = META_CSRF.search(editor_page(alice, tool_id))
    assert token
    response = alice.client.post(
        EDIT.format(tool_id), content=b"not json", headers={"X-CSRF-Token": token.group(1)}
    )
    assert response.status_code == 422
    response = save(alice, tool_id, draft_of(alice, tool_id), "1")  # type: ignore[arg-type]
    assert response.status_code == 422


def test_a_blank_tool_starts_in_the_editor(alice: Any) -> None:
    response = alice.post("/dashboard/tools/blank")
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.endswith("/edit")
    tool_id = location.split("/")[3]
    d = draft_of(alice, tool_id)
    assert [i["id"] for i in d["inputs"]] == ["amount"]
    assert 'id="start-blank"' in alice.get("/dashboard/new").text
    body = save(alice, tool_id, d, 1).json()
    assert body["message"] == (
        "Saved as version 2. Publish it from the tool page to put it live. "
        "Checks left 1 warning (listed on the tool page)."
    )


def test_a_data_bound_tool_keeps_its_tables(alice: Any) -> None:
    from keyvex.tools import parse_tool
    from keyvex.tools.service import create_tool

    data = get_template("roi-calculator").model_dump(mode="json")
    data["tables"] = [
        {"name": "plans", "columns": ["name", "price"], "key_column": "name",
         "rows": [{"name": "Basic", "price": 10}, {"name": "Pro", "price": 30}],
         "binding": {"source_id": "src1", "column_map": {}, "filter": None}}
    ]  # fmt: skip
    data["results"].append(
        {"type": "table_recommendations", "table": "plans", "title_column": "name",
         "sort_by": "price", "limit": 2,
         "show": [{"column": "price", "label": "Price", "format": "currency", "decimals": 0}]}
    )  # fmt: skip
    stored = alice._run(create_tool(alice.app_state, alice.user, parse_tool(data)))
    page = editor_page(alice, stored.id)
    assert "Recommendations from a table" in page
    d = draft_of(alice, stored.id)
    d["results"][-1]["title"] = "Plans for you"
    after = saved(alice, stored.id, d, 1)
    assert after.tables[0].binding is not None and after.tables[0].rows[1]["price"] == 30
    assert after.results[-1].title == "Plans for you"


def test_a_new_required_question_updates_test_cases_when_confirmed(alice: Any) -> None:
    tool_id = alice.create_from_template("roi-calculator")
    d = draft_of(alice, tool_id)
    d["inputs"].append({"id": "team_size", "type": "number", "label": "Team size", "min": 1,
                        "max": 500})  # fmt: skip
    refused = save(alice, tool_id, d, 1)
    assert refused.status_code == 422
    assert refused.json()["results_changed"] is True
    assert {e["field"] for e in refused.json()["errors"]} >= {"test_cases.0.answers"}
    after = saved(alice, tool_id, d, 1, update_tests=True)
    assert all("team_size" in case.answers for case in after.test_cases)


def test_removing_an_outcome_clears_its_option_points_and_expectations(alice: Any) -> None:
    tool_id = alice.create_from_template("leadership-style-quiz")
    d = draft_of(alice, tool_id)
    d["outcomes"] = [o for o in d["outcomes"] if o["id"] != "driver"]
    after = saved(alice, tool_id, d, 1, update_tests=True)
    assert [o.id for o in after.outcomes] == ["visionary", "coach", "collaborator"]
    points = [o.outcome_points for i in after.inputs for o in i.options]
    assert all("driver" not in p for p in points)
    assert all(case.expected_outcome != "driver" for case in after.test_cases)


def test_the_editor_needs_sign_in(client: Any) -> None:
    response = client.get(EDIT.format("abc123"), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
