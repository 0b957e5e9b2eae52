"""Tool data in a real browser: a creator uploads a product catalogue, reads its analysis,
accepts the mappings, co-creates a recommendation quiz from it, publishes it; a visitor sees
a recommended product; the creator replaces the file, and a fresh visit shows the new data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery"
PRODUCTS = [
    ("Glacier Shell Jacket", "Clothing", "$1,299.00", "Alpine"),
    ("Summit Down Sleeping Bag", "Sleeping bags", "$429.00", "Alpine"),
    ("Trailhead 2 Tent", "Tents", "$349.00", "Backpacking"),
    ("Ridge 45 Backpack", "Backpacks", "$219.00", "Backpacking"),
    ("Featherlite Stove", "Cooking", "$64.50", "Backpacking"),
    ("Daytripper 22 Pack", "Backpacks", "$89.00", "Day hiking"),
    ("Trail Runner Shoes", "Footwear", "$159.00", "Day hiking"),
    ("Basecamp 6 Family Tent", "Tents", "$899.00", "Family camping"),
]
QUESTION = "#cc-question form[data-question]"


def catalogue(products: list[tuple[str, str, str, str]]) -> str:
    lines = ["name,category,price,use"]
    lines += [",".join(f'"{cell}"' if "," in cell else cell for cell in p) for p in products]
    return "\n".join(lines) + "\n"


def watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    return problems


def sign_up(page: Any, base: str) -> None:
    page.goto(f"{base}/signup")
    page.locator("#f-email").fill("outfitter@example.com")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base}/dashboard")


def connect_file(page: Any, base: str, csv_file: Path) -> str:
    """Quick connect: upload with progress, test, save; the page follows the first sync."""
    page.get_by_role("link", name="Tool data").click()
    page.get_by_role("link", name="Connect data").first.click()
    page.get_by_role("link", name="File upload").click()
    page.locator("#f-config-blob_key").set_input_files(str(csv_file))
    page.locator("[data-upload-status]", has_text="Uploaded catalogue.csv").wait_for()
    assert page.locator("[data-upload-progress]").evaluate("p => p.value === p.max && !p.hidden")
    assert page.locator("#f-name").input_value() == "catalogue"
    page.locator("#f-name").fill("Outdoor gear")
    page.get_by_role("button", name="Test connection").click()
    result = page.locator("#data-test-result")
    result.get_by_text("Connection works: 8 rows").wait_for()
    assert result.locator("tbody tr").count() == 5, "a connection test reads a few rows"
    assert result.locator("tbody tr").first.locator("td").nth(2).inner_text() == "$1,299.00"
    page.get_by_role("button", name="Save and sync").click()
    page.wait_for_url(re.compile(r".*/dashboard/data/[0-9a-f]{16}\?done=synced$"), timeout=15_000)
    return str(page.url.split("?")[0])


def accept_mappings(page: Any) -> None:
    page.get_by_role("link", name="Analysis and mappings").click()
    assert re.fullmatch(r"\d+", page.locator("#data-quality-score").inner_text())
    price = page.locator("#data-columns tr", has=page.locator("th", has_text="price"))
    assert price.locator("td").first.inner_text().startswith("currency")
    assert page.locator("#data-columns tbody tr").count() == 4
    page.get_by_role("button", name="Accept mappings").click()
    page.get_by_text("Mappings saved").wait_for()
    assert page.locator("#data-mappings .badge-published").count() == 4


def answer_with_defaults(page: Any) -> list[str]:
    """Confirm each data question as suggested until the first version is built."""
    answered: list[str] = []
    for _ in range(8):
        page.wait_for_function(
            "([sel, done]) => { const f = document.querySelector(sel);"
            " return !document.getElementById('cc-preview').hidden"
            " || (f && !done.includes(f.dataset.question)); }",
            arg=[QUESTION, answered],
            timeout=20_000,
        )
        if page.locator("#cc-preview").is_visible():
            break
        form = page.locator(QUESTION)
        answered.append(str(form.get_attribute("data-question")))
        form.locator("button[type=submit]").click()
    page.locator("#cc-status", has_text="Version 1 is ready").wait_for(timeout=20_000)
    return answered


def visit(chromium: Any, url: str, use: str = "Alpine") -> list[str]:
    """A visitor on a phone wants gear for ``use`` and keeps every other suggested answer;
    the recommended product titles, then each recommendation's text."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = watch(page)
    page.goto(url)
    steps = page.locator("section.kvx-step").count()
    assert steps == 2, "one question per filter column, then the budget"
    for index in range(steps):
        choice = page.locator(f"#kvx-step-{index} input[type=radio][value='{use}']")
        if choice.count():
            choice.check()
        page.locator("#kvx-next").click()
    page.locator("#kvx-result .kvx-card").first.wait_for()
    titles = page.locator("#kvx-result .kvx-card .kvx-card-title").all_inner_texts()
    prices = page.locator("#kvx-result .kvx-card").all_inner_texts()
    context.close()
    assert problems == []
    return titles + prices


def test_creator_drives_a_published_quiz_with_a_catalogue_and_updates_it(
    live_server: Any, chromium: Any, page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    problems = watch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    csv_file = tmp_path / "catalogue.csv"
    csv_file.write_text(catalogue(PRODUCTS), encoding="utf-8")
    sign_up(page, base)

    source_url = connect_file(page, base, csv_file)
    assert page.locator(".data-status", has_text="Connected").count() == 1
    assert page.locator("#h-rows + .dash-scroll tbody tr").count() == 8
    page.screenshot(path=str(tmp_path / "source-1280.png"), full_page=True)
    page.goto(f"{base}/dashboard/data")
    card = page.locator(".data-card", has_text="Outdoor gear")
    assert card.locator("dd").nth(1).inner_text() == "8"
    page.screenshot(path=str(tmp_path / "overview-1280.png"), full_page=True)

    page.goto(source_url)
    accept_mappings(page)
    brief = page.locator("#f-brief")
    assert brief.input_value() == "A recommendation quiz for my Outdoor gear"
    page.get_by_role("button", name="Create a tool from this data").click()
    page.wait_for_url(re.compile(r".*/create/[0-9a-f]{16}$"))
    page.locator(QUESTION).wait_for()
    page.reload()  # a reloaded session shows the open question once: in its widget
    page.locator(QUESTION).wait_for()
    prompt = "Which column names each item"
    assert page.locator("#cc-messages", has_text=prompt).count() == 0
    assert page.locator(QUESTION, has_text=prompt).count() == 1
    answered = answer_with_defaults(page)
    assert answered[0] == "data_title" and len(answered) == 4
    preview = page.frame_locator("#cc-preview")
    preview.locator("h1").first.wait_for()
    page.get_by_role("button", name="Publish").click()
    link = page.locator("#cc-public-link")
    link.wait_for()
    public_url = str(link.get_attribute("href"))
    assert public_url.startswith(f"{base}/t/")

    before = visit(chromium, public_url)
    assert "Glacier Shell Jacket" in before[:3], before
    assert any("$1,299.00" in text for text in before[3:]), before

    # A new version of the file: the jacket renamed and cheaper.
    edited = [("Glacier Pro Jacket", "Clothing", "$1,099.00", "Alpine"), *PRODUCTS[1:]]
    csv_file.write_text(catalogue(edited), encoding="utf-8")
    page.goto(source_url)
    page.locator("#f-replace").set_input_files(str(csv_file))
    page.wait_for_url(f"{source_url}?done=synced", timeout=15_000)
    assert page.locator("#h-rows + .dash-scroll td", has_text="Glacier Pro Jacket").count() == 1
    activity = page.locator("#data-activity").inner_text()
    assert "New file: catalogue.csv." in activity and "now shows the new data" in activity

    after = visit(chromium, public_url)
    assert "Glacier Pro Jacket" in after[:3] and "Glacier Shell Jacket" not in after, after
    assert any("$1,099.00" in text for text in after[3:]), after
    assert problems == []
