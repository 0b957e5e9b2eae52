"""The visual tool editor in a real browser: a creator builds a calculator from scratch
(questions, a formula, outcomes, a chart), sees a refused save next to its field, reorders
with the keyboard, saves, publishes, and a visitor completes the tool on its public page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from keyvex.tools import get_template, list_templates, parse_tool

PASSWORD = "correct horse battery"
SLUG = "lead-estimate"


def sign_up(page: Any, url: str) -> None:
    page.goto(f"{url}/signup")
    page.locator("#f-email").fill("builder@example.com")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{url}/dashboard")


def section(page: Any, name: str) -> Any:
    return page.locator(f"#ed-{name}")


def last_item(page: Any, list_key: str) -> Any:
    return page.locator(f'[data-list="{list_key}"] > .ed-items > [data-item]').last


def field(item: Any, key: str) -> Any:
    """The item's own control for ``key`` (not one of a nested item's)."""
    own = f':scope > .ed-grid > .ed-field > [data-key="{key}"]'
    shown_when = f':scope > .ed-grid > [data-show-when] > .ed-field > [data-key="{key}"]'
    for_kinds = f':scope > .ed-grid > [data-show-kinds] > .ed-field > [data-key="{key}"]'
    return item.locator(f"{own}, {shown_when}, {for_kinds}")


def add_question(page: Any, label: str, kind: str, default: str, low: str, high: str) -> None:
    section(page, "inputs").get_by_role("button", name="Add a question").click()
    item = last_item(page, "inputs")
    field(item, "label").fill(label)
    field(item, "type").select_option(kind)
    field(item, "default").fill(default)
    item.locator('[data-key="min"]').fill(low)
    item.locator('[data-key="max"]').fill(high)


def add_outcome(page: Any, title: str, condition: str) -> None:
    section(page, "outcomes").get_by_role("button", name="Add an outcome").click()
    item = last_item(page, "outcomes")
    field(item, "title").fill(title)
    item.locator('[data-key="condition"]').fill(condition)


def question_names(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all(
            '[data-list="inputs"] [data-key="id"]', "els => els.map(e => e.value)"
        )
    )


def unlabelled(page: Any) -> list[str]:
    """Controls of the editor a screen reader could not name."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll(
                 "#tool-editor input:not([type=hidden]), #tool-editor select, "
                 + "#tool-editor textarea")]
               .filter(el => !el.labels.length && !el.getAttribute('aria-label'))
               .map(el => el.outerHTML.slice(0, 100))"""
        )
    )


def edit_template(page: Any, url: str, template_id: str) -> None:
    """Make a tool from a template on the dashboard and open it in the editor."""
    template = get_template(template_id)
    page.goto(f"{url}/dashboard/new")
    page.get_by_role("button", name=f"Use template: {template.title}").click()
    page.wait_for_url("**/dashboard/tools/*?done=created")
    page.goto(page.url.split("?")[0] + "/edit")


def save(page: Any) -> str:
    page.locator("#ed-save").click()
    status = page.locator("#ed-status")
    page.wait_for_function("() => !/Saving/.test(document.getElementById('ed-status').textContent)")
    return str(status.inner_text())


def screenshots(page: Any, artifacts: Path) -> None:
    """The top of the editor and its result section, at phone and desktop widths."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / f"editor-{width}.png"))
        page.locator("#ed-results").evaluate("el => el.scrollIntoView()")
        page.screenshot(path=str(artifacts / f"editor-{width}-result.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the editor scrolls sideways at {width} px"


def test_creator_builds_publishes_and_a_visitor_completes(
    dashboard_site: Any, page: Any, page_problems: list[str], artifacts: Path
) -> None:
    url = dashboard_site.url
    sign_up(page, url)
    page.goto(f"{url}/dashboard/new")
    page.locator("#start-blank").click()
    page.wait_for_url("**/edit")
    page.locator('#ed-details [data-key="title"]').fill("How many leads could your site bring?")

    add_question(page, "Monthly visitors", "number", "2000", "0", "1000000")
    add_question(page, "Conversion rate", "percent", "2", "0", "100")
    names = question_names(page)
    assert names == ["amount", "monthly_visitors", "conversion_rate"]  # named from the labels

    section(page, "calculations").get_by_role("button", name="Add a calculation").click()
    calc = last_item(page, "calculations")
    field(calc, "label").fill("Leads per month")
    formula = calc.locator("textarea.formula-input")
    assert formula.get_attribute("data-path") == "calculations.0.formula"
    formula.fill("monthly_visitors * conversion_rate")
    calc.locator(".formula-value").wait_for()  # the formula assistant reads this draft
    calc.screenshot(path=str(artifacts / "editor-calculation-390.png"))
    # A typo: the error appears under the field, at its position, with the right name.
    formula.fill("monthly_visitors * conversoin_rate")
    error = calc.locator(".formula-error").first
    error.wait_for()
    assert "'conversoin_rate'" in error.inner_text() and "'conversion_rate'" in error.inner_text()
    assert calc.locator(".formula-echo mark").inner_text() == "c"  # the 20th character
    assert formula.get_attribute("aria-invalid") == "true"
    calc.screenshot(path=str(artifacts / "editor-formula-error-390.png"))
    # Functions are suggested with what they take and give.
    formula.fill("monthly_visitors * NETWORKD")
    calc.locator("#formula-suggest [role=option]").first.wait_for()
    offered = calc.locator("#formula-suggest").inner_text()
    assert "NETWORKDAYS(start, end, holidays=none)" in offered, offered
    assert "working days (Mon-Fri) between them" in offered, offered
    calc.screenshot(path=str(artifacts / "editor-function-suggestion-390.png"))
    # Fixed from the suggestion list, by keyboard: the live value comes back.
    formula.fill("monthly_visitors * conv")
    calc.locator("#formula-suggest [role=option]").first.wait_for()
    assert "conversion_rate" in calc.locator("#formula-suggest").inner_text()
    formula.press("Enter")
    assert formula.input_value() == "monthly_visitors * conversion_rate"
    page.wait_for_function(
        "() => /= 40 on sample answers/.test("
        "document.querySelector('[data-path=\"calculations.0.formula\"] ~ .formula-status')"
        "?.textContent || '')"
    )
    assert formula.get_attribute("aria-invalid") is None

    add_outcome(page, "Plenty of leads", "leads_per_month >= 30")
    add_outcome(page, "Room to grow", "leads_per_month < 30")

    results = section(page, "results")
    results.locator("[data-picker]").select_option("tpl-block-chart")
    results.get_by_role("button", name="Add this block").click()
    chart = last_item(page, "results")
    field(chart, "chart").select_option("bar")
    field(chart, "series").fill("leads_per_month")
    results.locator("[data-picker]").select_option("tpl-block-outcome")
    results.get_by_role("button", name="Add this block").click()

    # Keyboard reorder: the chart moves above the outcome block and back with Alt+Arrow.
    outcome_block = page.locator('[data-what="outcome block"]')
    outcome_block.locator("[data-act=up]").focus()
    page.keyboard.press("Alt+ArrowUp")
    assert outcome_block.get_attribute("data-path") == "results.1"
    assert page.locator("#ed-live").inner_text() == "Moved to position 2 of 3."
    page.keyboard.press("Alt+ArrowDown")
    assert outcome_block.get_attribute("data-path") == "results.2"

    # Drag (at desktop width): the outcome block's handle dropped on the chart's top half.
    page.set_viewport_size({"width": 1280, "height": 900})
    chart_block = page.locator('[data-what="chart block"]')
    outcome_block.locator(".ed-drag").drag_to(chart_block, target_position={"x": 300, "y": 10})
    assert outcome_block.get_attribute("data-path") == "results.1"
    assert chart_block.get_attribute("data-path") == "results.2"
    page.set_viewport_size({"width": 390, "height": 844})
    questions = page.locator('[data-list="inputs"] > .ed-items > [data-item]')
    # Renaming a question renames it in the formula that reads it.
    field(questions.nth(2), "id").fill("conversion")
    field(questions.nth(2), "id").press("Tab")
    assert formula.input_value() == "monthly_visitors * conversion"
    assert unlabelled(page) == []

    # The starting question is still named by the headline: removing it is refused there.
    amount = questions.filter(has=page.locator('[data-key="id"][value="amount"]'))
    amount.get_by_role("button", name="Remove this question").click()
    message = save(page)
    assert "'amount' (question 'Amount') is still used by result block 1" in message
    headline = page.locator('[data-path="results.0.text"]')
    assert headline.get_attribute("aria-invalid") == "true"
    error = page.locator(".ed-error").first
    assert error.inner_text() == "Uses 'amount', which this change removes."
    assert page.locator(".ed-error").count() == 1  # once, under its field
    assert page.get_by_role("button", name="Replace 'amount' with a constant of 100 and save")
    screenshots(page, artifacts)

    headline.fill("You could get {{leads_per_month}} leads a month.")
    message = save(page)
    assert message.startswith("Saved as version 2"), message
    assert page.locator(".ed-error").count() == 0

    page.goto(page.url.replace("/edit", ""))  # saved: leaving the editor asks nothing
    assert page.locator("#edit-tool").get_attribute("href").endswith("/edit")
    page.locator("#f-slug").fill(SLUG)
    page.locator("#publish-button").click()
    page.wait_for_url("**?done=published")

    visitor = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    public = visitor.new_page()
    public.goto(f"{url}/t/{SLUG}")
    public.locator("#kvx-in-monthly_visitors").fill("3000")
    public.locator("#kvx-in-conversion").fill("2")
    result = public.locator("#kvx-result")
    result.locator(".kvx-headline").first.wait_for()
    public.wait_for_function(
        "() => /60 leads a month/.test(document.getElementById('kvx-result').textContent)"
    )
    assert "Plenty of leads" in result.inner_text()
    public.screenshot(path=str(artifacts / "editor-built-tool-390.png"), full_page=True)
    visitor.close()
    refused = "the server responded with a status of 422"  # the save refused on purpose
    assert [p for p in page_problems if refused not in p] == []


def test_every_template_round_trips_through_the_editor_unchanged(
    dashboard_site: Any, page: Any, page_problems: list[str], artifacts: Path
) -> None:
    """What the editor's script collects from the page is the definition it was given, for
    every template: nothing the editor shows or hides is lost or altered on the way."""
    url = dashboard_site.url
    sign_up(page, url)
    for template in list_templates():
        page.goto(f"{url}/dashboard/new")
        page.get_by_role("button", name=f"Use template: {template.title}").click()
        page.wait_for_url("**/dashboard/tools/*?done=created")
        page.goto(page.url.split("?")[0] + "/edit")
        collected = page.evaluate("window.KeyvexEditor.collect()")
        original = page.evaluate("JSON.parse(document.getElementById('tool-editor').dataset.orig)")
        # Keys of hidden fields are left out (their defaults): compare what they parse to.
        assert changed(collected, original) == {}, template.id
        if template.id == "wellbeing-scorecard":
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                for part in ("inputs", "lead", "presentation"):
                    shot = artifacts / f"editor-assessment-{part}-{width}.png"
                    page.locator(f"#ed-{part}").screenshot(path=str(shot))
            page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate(
            "document.querySelectorAll('.ed-folded').forEach(i => i.classList.remove('ed-folded'))"
        )
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 1, f"{template.id} scrolls sideways at 390 px"
    # An imported, data-bound tool: its tables and table block survive a save from the page.
    page.goto(f"{url}/dashboard/new")
    payload = json.dumps(data_bound_tool()).encode()
    page.locator("#f-file").set_input_files(
        {"name": "plans.keyvex.json", "mimeType": "application/json", "buffer": payload}
    )
    page.locator("#import button[type=submit]").click()
    page.wait_for_url("**/dashboard/tools/*?done=imported")
    page.goto(page.url.split("?")[0] + "/edit")
    block = page.locator('[data-what="recommendations from a table block"]')
    unfold = block.get_by_role("button", name="Show this recommendations from a table block's")
    assert unfold.get_attribute("aria-expanded") == "false"  # a long list starts folded
    unfold.click()
    block.locator('[data-key="title"]').fill("Plans for you")
    assert save(page).startswith("Saved as version 2")
    collected = page.evaluate("window.KeyvexEditor.collect()")
    assert collected["tables"] == data_bound_tool()["tables"]
    assert collected["results"][-1]["show"][0]["label"] == "Price"
    assert page_problems == []


def changed(collected: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """Top-level parts that differ once both are parsed (hidden fields' keys are left out
    of what the editor collects, so their defaults apply)."""
    got = parse_tool(collected).model_dump(mode="json")
    want = parse_tool(original).model_dump(mode="json")
    return {k: v for k, v in got.items() if v != want[k]}


def data_bound_tool() -> dict[str, Any]:
    data = get_template("roi-calculator").model_dump(mode="json")
    data["tables"] = [
        {"name": "plans", "columns": ["name", "price"], "key_column": "name",
         "rows": [{"name": "Basic", "price": 10.0}, {"name": "Pro", "price": 30.0}],
         "binding": {"source_id": "src1", "column_map": {}, "filter": None}}
    ]  # fmt: skip
    data["results"].append(
        {"type": "table_recommendations", "table": "plans", "title_column": "name",
         "sort_by": "price", "limit": 2,
         "show": [{"column": "price", "label": "Price", "format": "currency", "decimals": 0}]}
    )  # fmt: skip
    return data


def test_a_tool_made_in_create_opens_in_the_editor(
    dashboard_site: Any, page: Any, page_problems: list[str]
) -> None:
    """An AI-made tool (offline planner, no API key): /create links the editor once the tool
    is saved, and the editor saves it."""
    url = dashboard_site.url
    sign_up(page, url)
    page.goto(f"{url}/create")
    page.get_by_label("What should your tool do?").fill("A cybersecurity scorecard for law firms")
    page.get_by_role("button", name="Just build it").first.click()
    link = page.get_by_role("link", name="Open in the editor")
    link.wait_for(timeout=20_000)
    link.click()
    page.wait_for_url("**/edit")
    page.locator('#ed-details [data-key="title"]').fill("Is your law firm cyber-safe?")
    assert save(page).startswith("Saved as version 2")
    assert page_problems == []


def test_a_question_added_to_a_stepped_template_joins_the_last_step(
    dashboard_site: Any, page: Any, page_problems: list[str]
) -> None:
    """Template-made tool with steps and test cases: a new question joins the last step
    under the name made from its label, a removed one leaves it, and test cases are
    re-recorded for the new question when the creator confirms."""
    url = dashboard_site.url
    sign_up(page, url)
    edit_template(page, url, "time-savings-calculator")
    last_step = page.locator('[data-list="steps"] [data-key="inputs"]').last
    before = last_step.input_value()
    add_question(page, "Team size", "number", "", "1", "500")
    assert last_step.input_value() == before + ", team_size"
    message = save(page)
    assert "test cases no longer match" in message
    page.get_by_role("button", name="Update the test cases to the new results and save").click()
    page.locator("#ed-status", has_text="Saved as version 2").wait_for()
    last_item(page, "inputs").get_by_role("button", name="Remove this question").click()
    assert last_step.input_value() == before
    assert save(page).startswith("Saved as version 3")
    refused = "the server responded with a status of 422"
    assert [p for p in page_problems if refused not in p] == []


def test_an_option_with_outcome_points_is_added_to_an_outcome_quiz(
    dashboard_site: Any, page: Any, page_problems: list[str]
) -> None:
    """Outcome quiz: unfold a question, add an option (its value follows its label), give it
    outcome points, and save with Ctrl+S."""
    url = dashboard_site.url
    sign_up(page, url)
    edit_template(page, url, "leadership-style-quiz")
    question = page.locator('[data-path="inputs.0"]')
    question.get_by_role("button", name="Show this question's fields").click()
    question.get_by_role("button", name="Add an option").click()
    option = question.locator('[data-list="options"] > .ed-items > [data-item]').last
    assert option.get_attribute("data-path") == "inputs.0.options.4"
    field(option, "label").fill("Ask the team what they need")
    assert field(option, "value").input_value() == "ask_the_team_what_they_need"
    field(option, "outcome_points").fill("coach: 1, collaborator: 1")
    added = option.element_handle()  # the same element wherever it moves
    option.get_by_role("button", name="Move this option up").click()
    assert added.get_attribute("data-path") == "inputs.0.options.3"
    assert added.query_selector("legend").inner_text() == "Option 4: Ask the team what they need"
    added.query_selector("[data-act=down]").click()
    assert added.get_attribute("data-path") == "inputs.0.options.4"
    page.keyboard.press("Control+s")
    page.locator("#ed-status", has_text="Saved as version 2").wait_for()
    draft = page.evaluate("window.KeyvexEditor.collect()")
    assert draft["inputs"][0]["options"][4]["outcome_points"] == {"coach": 1, "collaborator": 1}
    assert page_problems == []


def test_a_refused_formula_shows_its_error_once(
    dashboard_site: Any, page: Any, page_problems: list[str]
) -> None:
    url = dashboard_site.url
    sign_up(page, url)
    edit_template(page, url, "roi-calculator")
    calc = page.locator('[data-path="calculations.2"]')
    calc.get_by_role("button", name="Show this calculation's fields").click()
    formula = calc.locator("textarea.formula-input")
    formula.fill("total_benefit - investmnt")
    calc.locator(".formula-error").first.wait_for()
    message = save(page)
    assert message.startswith("Not saved: 1 problem to fix, in Calculation 'Net gain'"), message
    assert formula.get_attribute("aria-invalid") == "true"
    shown = calc.locator(".ed-field.ed-formula").inner_text()
    sentence = calc.locator(".formula-error p").first.inner_text()
    assert shown.count(sentence) == 1, shown
    refused = "the server responded with a status of 422"
    assert [p for p in page_problems if refused not in p] == []


def test_a_formula_typo_is_reported_in_the_tools_words_and_the_version_follows_saves(
    dashboard_site: Any, page: Any, page_problems: list[str]
) -> None:
    url = dashboard_site.url
    sign_up(page, url)
    edit_template(page, url, "roi-calculator")
    assert page.locator("#ed-version").inner_text() == "1"
    calc = page.locator('[data-path="calculations.0"]')
    calc.get_by_role("button", name="Show this calculation's fields").click()
    formula = calc.locator("textarea.formula-input")
    right = formula.input_value()
    formula.fill(right.replace("monthly_revenue_gain", "monthly_revenue_gian"))
    message = save(page)
    assert message.startswith(
        "Not saved: 1 problem to fix, in Calculation 'Monthly benefit' › Formula. "
        "4 test cases fail too"
    ), message
    bar = page.locator(".ed-savebar")
    problems = str(page.locator("#ed-problems").text_content())
    assert problems.startswith("Calculation 'Monthly benefit' › Formula: Unknown name"), problems
    cases = str(page.locator("#ed-case-list").text_content())
    assert "Monthly benefit should be $3,900, is blank" in cases
    assert "and 1 more test case." in cases
    assert "test_cases." not in str(bar.text_content())
    # The bar stays a strip at the bottom; its details scroll and fold away.
    viewport = page.viewport_size
    assert viewport is not None
    assert bar.bounding_box()["height"] < viewport["height"] * 0.45
    details = page.locator("#ed-report-more")
    was_open = details.evaluate("d => d.open")  # open on a desktop, folded on a phone
    details.locator("summary").click()
    assert details.evaluate("d => d.open") is not was_open
    formula.fill(f"({right}) * 1.1")
    assert "3 test cases no longer match the tool" in save(page)
    page.get_by_role("button", name="Update the test cases to the new results and save").click()
    page.locator("#ed-status", has_text="Saved as version 2").wait_for()
    assert page.locator("#ed-version").inner_text() == "2"
    formula.fill(right)
    assert save(page).startswith("Not saved: 3 test cases")
    page.get_by_role("button", name="Update the test cases to the new results and save").click()
    page.locator("#ed-status", has_text="Saved as version 3").wait_for()
    assert "editing version 3" in page.locator(".dash-head .hint").inner_text()
    refused = "the server responded with a status of 422"
    assert [p for p in page_problems if refused not in p] == []


def test_a_removed_question_can_become_a_constant(
    dashboard_site: Any, page: Any, page_problems: list[str]
) -> None:
    url = dashboard_site.url
    sign_up(page, url)
    page.goto(f"{url}/dashboard/new")
    page.locator("#start-blank").click()
    page.wait_for_url("**/edit")
    section(page, "inputs").get_by_role("button", name="Add a question").click()
    field(last_item(page, "inputs"), "label").fill("Price")
    page.locator('[data-path="inputs.0"]').get_by_role(
        "button", name="Remove this question"
    ).click()
    assert "still used by result block 1" in save(page)
    page.get_by_role("button", name="Replace 'amount' with a constant of 100 and save").click()
    page.locator("#ed-status", has_text="Saved as version 2").wait_for()
    constant = last_item(page, "constants")
    assert field(constant, "id").input_value() == "amount"
    assert field(constant, "value").input_value() == "100"
    assert page.locator(".ed-error").count() == 0
    # Undo puts a removed item back where it was.
    constant.get_by_role("button", name="Remove this constant").click()
    page.get_by_role("button", name="Undo: put the constant back").click()
    assert field(last_item(page, "constants"), "id").input_value() == "amount"
    assert page.locator("#ed-undo").is_hidden()
    refused = "the server responded with a status of 422"
    assert [p for p in page_problems if refused not in p] == []


def test_invalid_json_is_named_before_saving(dashboard_site: Any, page: Any) -> None:
    sign_up(page, dashboard_site.url)
    page.goto(f"{dashboard_site.url}/dashboard/new")
    page.locator("#start-blank").click()
    page.wait_for_url("**/edit")
    section(page, "tables").get_by_role("button", name="Add a table").click()
    table = last_item(page, "tables")
    field(table, "rows").fill('[{"plan": "Basic",}]')
    assert save(page) == "Not saved: fix the JSON marked below its field."
    assert table.locator(".ed-error").inner_text().startswith("This is not valid JSON")
    assert page.evaluate("document.activeElement.dataset.key") == "rows"
