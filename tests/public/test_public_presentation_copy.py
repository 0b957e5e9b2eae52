"""Words on public pages: the lead form follows its timing; templates promise only what happens."""

from __future__ import annotations

import html as markup
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.tools import ToolDefinition, get_template, list_templates

NUMBERS = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
# "Nine quick questions", "Six situations", "9 yes/no questions", "four areas".
COUNTED = re.compile(
    r"\b(\d+|" + "|".join(NUMBERS) + r")\s+(?:[\w/-]+\s+){0,2}?"
    r"(questions|situations|areas|categories)\b",
    re.I,
)
# Things a visitor could expect to receive. Only the result email exists (lead_capture
# .email_result, keyvex.notify.visitor): it carries the result's figures and outcome.
DELIVERABLES = re.compile(
    r"\b(pdf|report|spreadsheet|checklist|template|guide|script|tracker|schedule|"
    r"answer sheet|benchmarks?|plan|profile|download)\b",
    re.I,
)
SENDING = re.compile(r"\b(send|sent|email (?:you|me)|inbox|mail you)\b", re.I)
REVEALING = re.compile(r"\b(show|see|reveal|unlock|appears?|is ready)\b", re.I)
TEMPLATES = [t.id for t in list_templates()]


def visitor_texts(tool: ToolDefinition) -> list[str]:
    """Every sentence of the tool a visitor reads, except question wording and options."""
    texts = [tool.title, tool.description]
    texts += [s.title for s in tool.steps] + [s.description for s in tool.steps]
    texts += [o.title for o in tool.outcomes] + [o.description for o in tool.outcomes]
    texts += [r for o in tool.outcomes for r in o.recommendations]
    for block in tool.results:
        texts += [str(v) for k, v in block.model_dump().items() if k in ("text", "subtext")]
    return texts + lead_texts(tool)


def lead_texts(tool: ToolDefinition) -> list[str]:
    lead = tool.lead_capture
    return [lead.title, lead.text, lead.incentive, lead.button_label, lead.consent_text]


def counts_of(tool: ToolDefinition) -> dict[str, int]:
    questions = len(tool.inputs)
    return {"question": questions, "situation": questions, "area": len(tool.categories)}


@pytest.mark.parametrize("template", TEMPLATES)
def test_counts_in_a_templates_copy_match_the_tool(template: str) -> None:
    tool = get_template(template)
    counts = counts_of(tool)
    for text in visitor_texts(tool):
        for number, noun in COUNTED.findall(text):
            said = int(number) if number.isdigit() else NUMBERS[number.lower()]
            kind = {"categories": "area"}.get(noun.lower(), noun.lower()[:-1])
            assert said == counts[kind], f"{template}: '{text}' says {said}, the tool has {counts}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_step_titles_do_not_hard_code_the_progress(template: str) -> None:
    for step in get_template(template).steps:
        assert not re.search(r"\b\d+\s+of\s+\d+\b", step.title), step.title


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_template_promises_nothing_the_product_does_not_send(template: str) -> None:
    tool = get_template(template)
    lead = tool.lead_capture
    for text in lead_texts(tool):
        assert not DELIVERABLES.search(text), f"{template}: '{text}' promises a deliverable"
        if not lead.email_result:
            assert not SENDING.search(text), f"{template}: '{text}' promises an email"
    if lead.mode == "after_results":  # the whole result is already on the page
        for text in (lead.title, lead.text, lead.button_label):
            assert not REVEALING.search(text), f"{template}: '{text}' under a shown result"


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_lead_form_on_each_template_says_when_the_result_comes(
    client: TestClient, publisher: Any, template: str
) -> None:
    tool = get_template(template)
    html = client.get(f"/t/{publisher.publish(tool).slug}").text
    form = html[html.index('id="kvx-lead"') :]
    if tool.lead_capture.mode == "after_results":
        assert "appears" not in form and "Show my" not in form
    else:
        assert "appears" in form


def lead_html(client: TestClient, publisher: Any, **capture: Any) -> str:
    data = get_template("roi-calculator").model_dump(mode="json")
    data["lead_capture"] = {**data["lead_capture"], **capture}
    published = publisher.publish(ToolDefinition.model_validate(data))
    html = client.get(f"/t/{published.slug}").text
    return markup.unescape(html[html.index('id="kvx-lead"') : html.index('id="kvx-status"')])


def button(html: str) -> str:
    return re.findall(r'id="kvx-lead-submit">([^<]*)</button>', html)[0]


def when(html: str) -> str:
    found = re.findall(r'id="kvx-lead-when">([^<]*)</p>', html)
    return found[0] if found else ""


def thanks(html: str) -> str:
    return re.findall(r'id="kvx-lead-thanks" tabindex="-1" hidden>([^<]*)</p>', html)[0]


DEFAULTS = {"title": "Get your full results", "button_label": "Show my results", "text": ""}


def test_before_results_the_form_says_the_result_follows(
    client: TestClient, publisher: Any
) -> None:
    html = lead_html(client, publisher, mode="before_results", **DEFAULTS)
    assert button(html) == "Show my results"
    assert when(html) == "Your result appears as soon as you send this."
    assert "Get your results</h2>" in html
    assert thanks(html) == "Thank you! Here is your result."


def test_with_a_teaser_the_form_offers_the_rest(client: TestClient, publisher: Any) -> None:
    html = lead_html(client, publisher, mode="teaser", **DEFAULTS)
    assert button(html) == "Show my full result"
    assert when(html) == "The rest of your result appears when you send this."


def test_after_results_the_form_no_longer_offers_them(client: TestClient, publisher: Any) -> None:
    html = lead_html(client, publisher, mode="after_results", **DEFAULTS)
    assert button(html) == "Send"
    assert when(html) == ""
    assert "Want to talk it through?</h2>" in html
    assert "appear" not in html and "Show my" not in html and "email" not in when(html)
    assert thanks(html) == "Thank you! We'll be in touch."
    custom = lead_html(client, publisher, mode="after_results", button_label="Unlock my results")
    assert button(custom) == "Send"
    kept = lead_html(client, publisher, mode="after_results", button_label="Book my call")
    assert button(kept) == "Book my call"


def test_after_results_with_the_result_email_the_form_says_so(
    client: TestClient, publisher: Any
) -> None:
    html = lead_html(client, publisher, mode="after_results", email_result=True, **DEFAULTS)
    assert button(html) == "Email me a copy"
    assert when(html) == "We'll also email you a copy of your result."
    assert thanks(html) == "Thank you! Check your inbox."
    confirm = lead_html(
        client, publisher, mode="before_results", email_result=True, email_result_confirm=True
    )
    assert "a link to confirm your address" in when(confirm)


def test_no_lead_form_when_capture_is_off(client: TestClient, publisher: Any) -> None:
    data = get_template("roi-calculator").model_dump(mode="json")
    data["lead_capture"]["mode"] = "off"
    published = publisher.publish(ToolDefinition.model_validate(data))
    html = client.get(f"/t/{published.slug}").text
    assert 'id="kvx-lead"' not in html and 'id="kvx-lead-thanks"' not in html
