"""Tools built from data read as written by a person, and the brief's constraints filter them.

Every data template's example file is built into a tool with the co-creation defaults and read
as a visitor would: each question once, in words ("Which category do you prefer?", "In stock
only?", "What is your budget?"), the question count in the description computed from the tool.
A brief's "only what's in stock", "under $50" and "vegan only" become the table binding's filter,
checked on the visitor's result of the published tool.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from keyvex import engine
from keyvex.cocreate import _data
from keyvex.data import _copy
from keyvex.data._brief_filters import match_constraints
from keyvex.data._types import Dataset
from keyvex.data.analysis import analyze
from keyvex.data.binding import table_from_dataset, with_rows
from keyvex.data.library import DataTemplate, data_templates
from keyvex.data.sources.files import read_file
from keyvex.data.toolgen import build_recommendation_quiz, column_types
from keyvex.knowledge.brief import understand
from keyvex.tools import ToolDefinition, verify

from .test_pages import Creator

SNACKS = (
    "name,diet,price,in_stock\n"
    "Oat bar,Vegan,$2.50,yes\n"
    "Cheese straws,Vegetarian,$3.20,yes\n"
    "Beef jerky,Meat,$6.00,yes\n"
    "Cashew cream,Vegan,$48.00,no\n"
    "Chocolate box,Vegan,$65.00,yes\n"
    "Lentil crisps,Vegan,$4.10,yes\n"
    "Almond butter,Vegan,$12.00,no\n"
)


def dataset_of(text: str, tmp_path: Any) -> Dataset:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return read_file(path)


def default_tool(
    dataset: Dataset, name: str, brief: str = "", analysis: Any = None
) -> ToolDefinition:
    """The tool a co-creation session builds when the creator keeps every default."""
    analysis = analysis or analyze(dataset).model_dump(mode="json")
    source = SimpleNamespace(mappings=[], id="src1", name=name)
    asked = {q.id: q for q in _data.questions(source, dataset, analysis)}  # type: ignore[arg-type]
    brief = brief or f"A recommendation quiz for my {name}"
    limit = asked["data_limit"].default
    return build_recommendation_quiz(
        source_id="src1", source_name=name, dataset=dataset, analysis=analysis,
        title_column=asked["data_title"].default,
        filter_columns=list(asked["data_filters"].default or []),
        limit_column=None if limit == _data.NONE else limit,
        show_columns=list(asked["data_show"].default or []),
        title=_data.title_from_brief(brief, name),
        constraints=understand(brief).constraints,
    )  # fmt: skip


def template_tool(template: DataTemplate, brief: str = "") -> tuple[ToolDefinition, Dataset]:
    dataset = read_file(template.path, filename=template.file)
    return default_tool(dataset, template.title, brief), dataset


def visible_text(tool: ToolDefinition) -> list[str]:
    """Everything a visitor reads before the result: title, description, steps, questions."""
    texts = [tool.title, tool.description]
    texts += [s.title for s in tool.steps] + [s.description for s in tool.steps]
    for item in tool.inputs:
        texts += [item.label, item.help] + [o.label for o in item.options]
    return [t for t in texts if t]


def rows_for(tool: ToolDefinition, dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    table = tool.tables[0]
    types = column_types(analyze(dataset).model_dump(mode="json"), dataset)
    return {table.name: table_from_dataset(table, dataset, types, "tables[0]")[0]}


def recommended(tool: ToolDefinition, dataset: Dataset, answers: dict[str, Any]) -> list[str]:
    bound = with_rows(tool, rows_for(tool, dataset))
    result = engine.run(bound, answers)
    block = next(b for b in result.blocks if b.type == "table_recommendations")
    return [card.title for card in block.cards]


@pytest.mark.parametrize("template", data_templates(), ids=lambda t: t.id)
def test_every_data_template_builds_a_tool_a_visitor_can_read(template: DataTemplate) -> None:
    tool, dataset = template_tool(template)
    columns = set(dataset.columns)
    texts = visible_text(tool)
    for item in tool.inputs:
        assert item.label.endswith("?"), item.label
        assert item.label[0].isupper() and "_" not in item.label, item.label
        assert not any(re.search(rf"\b{re.escape(c)}\b", item.label) for c in columns if "_" in c)
        occurrences = sum(text.count(item.label) for text in texts)
        assert occurrences == 1, f"'{item.label}' is shown {occurrences} times"
    assert "(s)" not in tool.description and "(s)" not in tool.title
    count = re.search(r"Answer (\d+) quick (questions?) ", tool.description)
    assert count, tool.description
    assert int(count.group(1)) == len(tool.inputs)
    assert count.group(2) == ("question" if len(tool.inputs) == 1 else "questions")
    block = next(b for b in tool.results if b.type == "table_recommendations")
    for view in block.show:
        assert view.label[0].isupper() and "_" not in view.label, view.label
    report = verify(with_rows(tool, rows_for(tool, dataset)))
    assert report.errors == [], report.errors


def test_no_question_lists_the_items_themselves(tmp_path: Any) -> None:
    """The column naming each item, and columns where every value differs (addresses,
    e-mails), are not preferences: they are never asked about by default."""
    template = next(t for t in data_templates() if t.id == "real-estate-listings")
    tool, _ = template_tool(template)
    labels = [i.label for i in tool.inputs]
    assert "Which address do you prefer?" not in labels
    assert labels[:2] == ["Which city do you prefer?", "Which property type do you prefer?"]
    crm = next(t for t in data_templates() if t.id == "crm-contacts")
    assert not any("email" in i.label.lower() for i in template_tool(crm)[0].inputs)


def test_the_product_catalogue_reads_like_a_shop_assistant() -> None:
    template = next(t for t in data_templates() if t.id == "product-catalogue")
    tool, dataset = template_tool(template)
    labels = [i.label for i in tool.inputs]
    assert labels == [
        "Which category do you prefer?",
        "What will you use it for?",
        "In stock only?",
        "What is your budget?",
    ]
    assert tool.description.startswith("Answer 4 quick questions")
    in_stock = next(i for i in tool.inputs if i.label == "In stock only?")
    assert in_stock.type == "yes_no" and in_stock.default == "yes"
    everything = {"want_category": "any", "want_use": "any", "limit": 10_000}
    shown_all = recommended(tool, dataset, {**everything, in_stock.id: "no"})
    shown_in_stock = recommended(tool, dataset, {**everything, in_stock.id: "yes"})
    index = dataset.columns.index("in_stock")
    sold_out = {r[0] for r in dataset.rows if str(r[index]).lower() == "no"}
    assert sold_out, "the example file has items out of stock"
    assert not sold_out & set(shown_in_stock)
    assert len(shown_all) >= len(shown_in_stock)


def test_the_briefs_constraints_become_the_tools_filters(tmp_path: Any) -> None:
    dataset = dataset_of(SNACKS, tmp_path)
    brief = "A snack finder for my shop: only what's in stock, under $50, vegan only"
    assert understand(brief).constraints == ["only in stock", "under $50", "only vegan"]
    tool = default_tool(dataset, "Snacks", brief)
    assert tool.title == "Snack finder"
    binding = tool.tables[0].binding
    assert binding is not None and binding.filter
    assert set(binding.filter.split(" and ")) == {
        "in_stock = TRUE", "price < 50", 'diet = "Vegan"',
    }  # fmt: skip
    labels = [i.label for i in tool.inputs]
    assert "In stock only?" not in labels, "the brief already answered it"
    assert "Which diet do you prefer?" not in labels
    assert labels == ["What is your budget?"]
    assert tool.description.startswith("Answer 1 quick question to")
    budget = tool.inputs[0]
    assert (budget.max, budget.default) == (50, 50)
    shown = recommended(tool, dataset, {"limit": 50})
    assert shown == ["Oat bar", "Lentil crisps"]


def test_a_constraint_no_column_matches_filters_nothing(tmp_path: Any) -> None:
    """ "gluten free only" on data without such a column is not guessed onto another one."""
    dataset = dataset_of(SNACKS, tmp_path)
    types = column_types(None, dataset)
    rules, unmatched = match_constraints(["only gluten free", "at least 3 stars"], dataset, types)
    assert (rules, unmatched) == ([], ["only gluten free", "at least 3 stars"])
    tool = default_tool(dataset, "Snacks", "A snack finder, gluten free only")
    assert tool.tables[0].binding is not None and tool.tables[0].binding.filter is None


def test_comparisons_pick_the_column_they_name(tmp_path: Any) -> None:
    template = next(t for t in data_templates() if t.id == "real-estate-listings")
    dataset = read_file(template.path, filename=template.file)
    types = column_types(analyze(dataset).model_dump(mode="json"), dataset)
    constraints = understand("Homes for sale only, at least 3 bedrooms, max $500k").constraints
    rules, unmatched = match_constraints(constraints, dataset, types)
    assert unmatched == []
    assert [(r.column, r.op, r.value) for r in rules] == [
        ("status", "eq", "For sale"), ("bedrooms", "gte", 3), ("price", "lte", 500_000),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("brief", "constraints"),
    [
        ("Only show what's in stock", ["only in stock"]),
        ("A product quiz, in-stock items only.", ["only in stock"]),
        ("Recommend vegan snacks only", ["only vegan snacks"]),
        ("Tents, nothing over €200", ["at most €200"]),
        ("Laptops under 1,500 dollars", ["under 1,500 dollars"]),
        ("A quiz for dentists, only for clinic owners", []),
        ("Fuel versus charging costs over 5 years", []),
        ("Up to 10 questions, not only fun but useful", []),
        ("A savings calculator for clinics with at least 20 patients a day", []),
        (
            "Homes for sale only, at least 3 bedrooms",
            ["only homes for sale", "at least 3 bedrooms"],
        ),
    ],
)
def test_the_brief_reads_constraints_in_the_ways_people_write_them(
    brief: str, constraints: list[str]
) -> None:
    assert understand(brief).constraints == constraints


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("in_stock", "In stock"), ("InStock", "In stock"), ("deal_value", "Deal value"),
        ("term_years", "Term (years)"), ("deposit_pct", "Deposit (%)"),
        ("min_amount", "Minimum amount"), ("Price (USD)", "Price (USD)"), ("sku", "SKU"),
    ],
)  # fmt: skip
def test_column_names_become_labels_in_words(column: str, label: str) -> None:
    assert _copy.column_label(column) == label


def test_yes_no_and_limit_questions_are_phrased_from_the_column() -> None:
    assert _copy.flag_question("in_stock") == "In stock only?"
    assert _copy.flag_question("is_vegan") == "Vegan only?"
    assert _copy.flag_question("has_parking") == "With parking only?"
    assert _copy.limit_question("monthly_fee", money=True) == "What is your budget?"
    assert _copy.limit_question("rating", money=False) == "What is the highest rating you want?"


def test_a_session_on_a_source_builds_and_publishes_the_filtered_tool(browser: Any) -> None:
    """The whole flow: a synced source, a brief with constraints, the session's tool, its
    published page's result for a visitor."""
    creator = Creator(browser, "alice@example.com")
    source_id = creator.file_source(SNACKS, name="Snacks")
    client, token = creator.client, creator.token
    headers = {"X-CSRF-Token": token}
    brief = "A snack finder: only what's in stock, under $50, vegan only"
    started = client.post(
        "/create/sessions",
        json={"brief": brief, "source_id": source_id, "build_now": True},
        headers=headers,
    )
    assert started.status_code == 201, started.text
    sid = started.json()["session_id"]
    creator.wait_jobs()
    published = client.post(f"/create/sessions/{sid}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.text
    slug = published.json()["slug"]
    html = client.get(f"/t/{slug}").text
    page = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)  # what a visitor reads
    assert page.count("What is your budget?") == 1
    assert "Answer 1 quick question to" in page and "In stock only?" not in page
    result = client.post(f"/t/{slug}/result", json={"answers": {"limit": 50}})
    assert result.status_code == 200, result.text
    block = next(b for b in result.json()["result"]["blocks"] if b.get("cards") is not None)
    assert [c["title"] for c in block["cards"]] == ["Oat bar", "Lentil crisps"]


def test_a_negated_constraint_is_never_matched_to_the_rows_it_excludes(tmp_path: Any) -> None:
    dataset = dataset_of(SNACKS, tmp_path)
    rules, unmatched = match_constraints(["only non vegan"], dataset, column_types(None, dataset))
    assert (rules, unmatched) == ([], ["only non vegan"])


def test_a_percent_limit_is_asked_in_percent_points(tmp_path: Any) -> None:
    """Formulas see percent cells as fractions; the question takes points (4.5 means 4.5%)
    and formulas see it as a fraction too, so the filter compares like with like."""
    template = next(t for t in data_templates() if t.id == "rate-table")
    dataset = read_file(template.path, filename=template.file)
    analysis = analyze(dataset).model_dump(mode="json")
    tool = build_recommendation_quiz(
        source_id="src1", source_name="Rate table", dataset=dataset, analysis=analysis,
        title_column="product", filter_columns=[], limit_column="rate",
        show_columns=["rate", "term_years"],
    )  # fmt: skip
    limit = tool.inputs[0]
    assert (limit.type, limit.label, limit.default) == (
        "percent", "What is the highest rate you want?", 7.25,
    )  # fmt: skip
    assert tool.kind == "calculator", "a limit alone has no preference to pick an outcome by"
    assert recommended(tool, dataset, {"limit": 4.5}) == ["Fixed 5 years"]


def test_limits_that_leave_no_row_stop_the_build_with_a_sentence(browser: Any) -> None:
    """A finder that can only ever say "nothing matches" is not built: the session says which
    of the brief's limits emptied the data."""
    creator = Creator(browser, "alice@example.com")
    source_id = creator.file_source(SNACKS, name="Snacks")
    headers = {"X-CSRF-Token": creator.token}
    brief = "A snack finder: vegan only, under $1"
    started = creator.client.post(
        "/create/sessions",
        json={"brief": brief, "source_id": source_id, "build_now": True},
        headers=headers,
    )
    assert started.status_code == 201, started.text
    sid = started.json()["session_id"]
    creator.wait_jobs()
    session = creator.client.get(f"/create/sessions/{sid}").json()
    said = " ".join(m["text"] for m in session["messages"] if m["role"] == "assistant")
    assert (
        "The brief's limits ('only vegan', 'under $1') leave none of the 7 rows of 'Snacks'" in said
    ), said


@pytest.mark.parametrize("template", data_templates(), ids=lambda t: t.id)
def test_a_recommendation_shows_the_limit_first_and_no_flags_dates_or_emails(
    template: DataTemplate,
) -> None:
    tool, dataset = template_tool(template)
    block = next(b for b in tool.results if b.type == "table_recommendations")
    shown = [view.label for view in block.show]
    limit = next(i for i in tool.inputs if i.id == "limit")
    assert block.sort_by is not None and shown[0] == _copy.column_label(
        dict(tool.tables[0].binding.column_map)[block.sort_by]  # type: ignore[union-attr]
    ), (shown, limit.label)
    banned = {"Email", "In stock", "Listed on", "Customer since", "Updated on"}
    assert not banned & set(shown), shown
    assert 1 <= len(shown) <= 3
