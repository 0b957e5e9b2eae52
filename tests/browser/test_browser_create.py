"""A creator co-creates a tool in a real browser: brief, questions, live preview, an edited
answer, a change request, publishing, and the public page (offline planner, no API key)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.staticfiles import StaticFiles
from jinja2 import PackageLoader

from keyvex.web import templating

BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"
STATIC = Path(__file__).resolve().parents[2] / "keyvex" / "cocreate" / "static"
QUESTION = "#cc-question form[data-question]"


def _wire_creator(app: Any) -> None:
    """Until the lead wires them into create_app: the session routes, templates and assets."""
    paths = {getattr(route, "path", "") for route in app.routes}
    if "/create" not in paths:
        from keyvex.cocreate.routes import router

        app.include_router(router)
    if "/static/cocreate" not in paths:
        app.routes.insert(0, _mount(app))
    loaders = templating.env.loader.loaders  # type: ignore[union-attr]
    if not any(getattr(loader, "package_name", "") == "keyvex.cocreate" for loader in loaders):
        loaders.append(PackageLoader("keyvex.cocreate", "templates"))


def _mount(app: Any) -> Any:
    app.mount("/static/cocreate", StaticFiles(directory=STATIC), name="cocreate-static")
    return app.routes.pop()


@pytest.fixture
def creator_server(live_server: Any) -> Iterator[Any]:
    _wire_creator(live_server.server.config.app)  # routes are looked up per request
    yield live_server


def answer_current(page: Any, form: Any) -> str:
    """Answer the question on screen the way a person would: Enter sends (or goes to the
    next part of a multipart question)."""
    question = str(form.get_attribute("data-question"))
    while True:
        part = form.locator(".cc-part:not([hidden])")
        fill_part(page, part if part.count() else form)
        label = form.locator("button[type=submit]").inner_text()
        in_textarea = page.evaluate("document.activeElement.tagName === 'TEXTAREA'")
        page.keyboard.press("Control+Enter" if in_textarea else "Enter")
        if label != "Next":
            return question


def fill_part(page: Any, scope: Any) -> None:
    """Fill the first widget in scope; suggested answers come pre-filled, so this mostly
    confirms or changes them the way a person would."""
    radios = scope.locator("input[type=radio]")
    boxes = scope.locator(".cc-chips input[type=checkbox]")
    text = scope.locator("input[type=text], textarea")
    if radios.count():
        radios.first.focus()
        page.keyboard.press("Space")
    elif boxes.count():
        boxes.first.focus()
        if not boxes.first.is_checked():
            page.keyboard.press("Space")
    elif scope.locator("select").count():
        scope.locator("select").first.select_option(index=1)
        scope.locator("select").first.focus()
    elif scope.locator(".cc-suggestion").count():
        scope.locator(".cc-suggestion").first.click()
    else:
        field = text.first
        field.focus()
        if not field.input_value():
            page.keyboard.type(field.get_attribute("placeholder") or "Dental practice owners")


def wait_for_version(page: Any, version: int) -> None:
    page.locator("#cc-status", has_text=f"Version {version} is ready").wait_for(timeout=15_000)


def preview_button_colour(page: Any, unlike: tuple[int, ...] = ()) -> tuple[int, ...]:
    """The preview's main button colour (as RGB), once it differs from ``unlike``."""
    button = page.frame_locator("#cc-preview").locator(".kvx-btn:not(.kvx-btn-ghost)").first
    deadline = time.monotonic() + 10
    while True:
        colour = button.evaluate("b => getComputedStyle(b).backgroundColor")
        rgb = tuple(int(x) for x in re.findall(r"\d+", colour)[:3])
        if rgb != unlike or time.monotonic() > deadline:
            return rgb
        time.sleep(0.1)


def sign_up(page: Any, base: str, email: str) -> None:
    page.goto(base + "/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")


def test_creator_builds_edits_changes_and_publishes_a_tool(
    creator_server: Any, page: Any, artifacts: Path, page_problems: list[str]
) -> None:
    problems = page_problems
    base = creator_server.url
    sign_up(page, base, "grace@example.com")

    page.goto(base + "/create")
    assert page.evaluate("document.activeElement.id") == "cc-brief"
    page.keyboard.press("Control+Enter")
    assert page.get_by_role("alert").filter(has_text="Describe the tool").is_visible()
    page.keyboard.type(BRIEF)
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r".*/create/[A-Za-z0-9_-]+$"))

    answered: list[str] = []
    for _ in range(8):  # at most 6 questions, with room to spare
        page.wait_for_function(
            "([sel, done]) => { const f = document.querySelector(sel);"
            " return !document.getElementById('cc-preview').hidden"
            " || (f && !done.includes(f.dataset.question)); }",
            arg=[QUESTION, answered],
            timeout=15_000,
        )
        if page.locator("#cc-preview").is_visible():
            break
        form = page.locator(QUESTION)
        assert page.evaluate("document.activeElement.closest('#cc-question') !== null")
        answered.append(answer_current(page, form))
    wait_for_version(page, 1)
    assert answered, "the planner asked at least one question"
    page.frame_locator("#cc-preview").locator("h1").first.wait_for()
    summary = page.locator("#cc-report-summary")
    assert re.search(r"Passed · 0 errors", summary.inner_text())
    assert "Quality" not in page.locator("#cc-report").inner_text()
    assert page.locator("#cc-fit-level").inner_text() in ("High", "Medium", "Low")
    page.screenshot(path=str(artifacts / "create-ready-390.png"), full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > innerWidth + 1).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)"
    )
    assert wide == [], f"wider than a 390 px phone: {wide}"

    # Edit the first answer in place: the widget opens pre-filled, saving rebuilds.
    history = page.locator("#cc-history-list > li")
    assert history.count() == len(answered)
    first = history.first
    first.get_by_role("button", name=re.compile("^Edit answer")).click()
    editor = first.locator("form")
    assert editor.locator("input:checked, input[type=text], textarea, select").count() > 0
    radios = editor.locator("input[type=radio]")
    boxes = editor.locator(".cc-chips input[type=checkbox]")
    text = editor.locator("input[type=text], textarea")
    if radios.count() > 1:
        page.keyboard.press("ArrowDown")  # move the choice to the next option
    elif boxes.count() > 1:
        boxes.last.focus()
        page.keyboard.press("Space")  # one choice more or fewer
    elif text.count():
        text.first.focus()
        page.keyboard.press("End")
        page.keyboard.type(" and nearby towns")
    else:
        fill_part(page, editor)
    editor.get_by_role("button", name="Save and rebuild").click()
    wait_for_version(page, 2)
    assert page.locator("#cc-history-list > li").first.locator("form").count() == 0

    before = preview_button_colour(page)
    page.locator("#cc-change").fill("make the button green")
    page.keyboard.press("Enter")
    wait_for_version(page, 3)
    red, green, blue = preview_button_colour(page, unlike=before)
    assert green > red and green > blue, f"the button is rgb{(red, green, blue)}, not green"

    # Coming back to the session draws it from the server, with nothing repeated.
    messages = page.locator("#cc-messages li").count()
    page.reload()
    page.frame_locator("#cc-preview").locator("h1").first.wait_for()
    summary.filter(has_text="0 errors").wait_for()
    assert page.locator("#cc-history-list > li").count() == len(answered)
    assert page.locator("#cc-brief-form").is_hidden()
    assert 0 < page.locator("#cc-messages li").count() <= messages

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "create-ready-1280.png"), full_page=True)
    page.get_by_role("button", name="Publish").click()
    link = page.locator("#cc-public-link")
    link.wait_for()
    url = link.get_attribute("href")
    assert url and url.startswith(base + "/t/")
    assert page.locator("#cc-public-url").inner_text() == url
    assert problems == []

    page.goto(url)
    assert page.locator("h1").first.is_visible()
    assert "kvx-tool" in page.content()


QUESTIONS: list[dict[str, Any]] = [
    {"id": "aud", "prompt": "Who is it for?", "input_type": "select", "allow_custom": True,
     "options": [{"value": "owners", "label": "Owners"}, {"value": "staff", "label": "Staff"}]},
    {"id": "ins", "prompt": "Which inputs?", "input_type": "multiselect", "max_selections": 2,
     "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"},
                 {"value": "c", "label": "C"}]},
    {"id": "col", "prompt": "Colours?", "input_type": "color_pair", "allow_custom": True,
     "options": [{"value": "sea", "label": "Sea", "colors": ["#1d4ed8", "#ffffff"]}]},
    {"id": "ynm", "prompt": "Email first?", "input_type": "yes_no_maybe"},
    {"id": "txt", "prompt": "Headline?", "input_type": "text", "suggestions": ["Big", "Bold"]},
    {"id": "ta", "prompt": "Notes?", "input_type": "textarea"},
    {"id": "mp", "prompt": "Result", "input_type": "multipart", "parts": [
        {"id": "p1", "prompt": "Style", "input_type": "select",
         "options": [{"value": "fig", "label": "Figures"}, {"value": "chart", "label": "Chart"}]},
        {"id": "p2", "prompt": "Currency", "input_type": "text"},
        {"id": "p3", "prompt": "Benchmark?", "input_type": "yes_no_maybe"}]},
    {"id": "df", "prompt": "Price column?", "input_type": "data_field",
     "options": [{"value": "price", "label": "price"}, {"value": "cost", "label": "cost"}]},
]  # fmt: skip
MOUNT = """([questions, initial]) => {
  const box = document.getElementById('cc-question');
  box.textContent = '';
  window.answers = {};
  for (const q of questions) {
    const form = KeyvexWidgets.form(q, {initial: initial[q.id],
      onSubmit: (value) => { window.answers[q.id] = value; return Promise.resolve(); }});
    box.appendChild(form.el);
  }
}"""


def test_every_widget_answers_with_the_keyboard(
    creator_server: Any, page: Any, page_problems: list[str]
) -> None:
    problems = page_problems
    base = creator_server.url
    sign_up(page, base, "ada@example.com")
    page.goto(base + "/create")
    page.evaluate(MOUNT, [QUESTIONS, {}])
    form = {q["id"]: page.locator(f'form[data-question="{q["id"]}"]') for q in QUESTIONS}
    keys = page.keyboard

    form["aud"].locator("input[type=radio]").first.focus()
    keys.press("ArrowDown")  # Staff
    keys.press("Enter")
    boxes = form["ins"].locator("input[type=checkbox]")
    boxes.first.focus()
    keys.press("Space")
    keys.press("Tab")
    keys.press("Space")
    assert boxes.nth(2).is_disabled(), "at most two"
    keys.press("Enter")
    form["col"].get_by_label("First colour").fill("#ff0000")  # picks the custom pair
    form["col"].get_by_role("button", name="Send answer").click()
    form["ynm"].get_by_label("Maybe").focus()
    keys.press("Space")
    keys.press("Enter")
    form["txt"].get_by_role("button", name="Bold").click()
    keys.press("Enter")
    form["ta"].get_by_label("Notes?").fill("Line one")
    keys.press("Control+Enter")
    multipart = form["mp"]
    multipart.get_by_label("Figures").focus()
    keys.press("Space")
    keys.press("Enter")
    assert multipart.locator(".cc-step-count").inner_text() == "Part 2 of 3"
    keys.press("Enter")
    assert multipart.get_by_role("alert").inner_text() == "Type an answer."
    keys.type("EUR")
    keys.press("Enter")
    multipart.get_by_role("button", name="See all").click()
    assert multipart.get_by_label("Currency").is_visible()
    multipart.get_by_label("No").check()
    multipart.get_by_role("button", name="Send answer").click()
    form["df"].get_by_label("Price column?").select_option("cost")
    form["df"].get_by_label("Price column?").focus()
    keys.press("Enter")

    expected = {
        "aud": "staff", "ins": ["a", "b"], "col": ["#ff0000", "#ffffff"], "ynm": "maybe",
        "txt": "Bold", "ta": "Line one", "mp": {"p1": "fig", "p2": "EUR", "p3": "no"},
        "df": "cost",
    }  # fmt: skip
    assert page.evaluate("window.answers") == expected
    # Editing re-opens each widget with the old answer: sending it unchanged gives it back.
    page.evaluate(
        MOUNT, [QUESTIONS, {**expected, "aud": "Dentists", "col": ["#1D4ED8", "#FFFFFF"]}]
    )
    for question in QUESTIONS:
        send = form[question["id"]].locator("button[type=submit]")
        while send.inner_text() == "Next":
            send.click()
        send.click()
    assert page.evaluate("window.answers") == {**expected, "aud": "Dentists", "col": "sea"}
    assert problems == []


def test_just_build_it_skips_the_remaining_questions(
    creator_server: Any, page: Any, page_problems: list[str]
) -> None:
    problems = page_problems
    sign_up(page, creator_server.url, "lin@example.com")
    page.goto(creator_server.url + "/create")
    page.get_by_label("What should your tool do?").fill("A cybersecurity scorecard for law firms")
    page.get_by_role("button", name="Start").click()
    page.locator(QUESTION).wait_for()
    page.get_by_role("button", name="Just build it").click()
    wait_for_version(page, 1)
    page.frame_locator("#cc-preview").locator("h1").first.wait_for()
    assert page.locator(QUESTION).count() == 0
    assert page.get_by_role("button", name="Just build it").is_hidden()
    assert problems == []
