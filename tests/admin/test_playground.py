"""The model playground: offline planner briefs, FunctionModel prompts, usage recorded as
process ``playground``, and the page itself (administrators only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.usage import RequestUsage

from keyvex.admin import usage_summary
from keyvex.ai import use_models
from keyvex.settings import Settings
from tests.conftest import ApiUser, Browser

PRICES = {
    "openai:gpt-4o-mini": {"input_per_mtok": 1.0, "output_per_mtok": 2.0},
    "anthropic:claude-3-5-haiku-latest": {"input_per_mtok": 10.0, "output_per_mtok": 20.0},
}
BRIEF = "An ROI calculator that shows dental practices what missed recalls cost them"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(env="test", data_dir=tmp_path / "data", ai_price_overrides=json.dumps(PRICES))


def replying(text: str, tokens_in: int, tokens_out: int) -> FunctionModel:
    def answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(
            [TextPart(text)], usage=RequestUsage(input_tokens=tokens_in, output_tokens=tokens_out)
        )

    return FunctionModel(answer)


def failing(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    raise ModelHTTPError(503, "gpt-4o-mini", {"error": "overloaded"})


def today_playground(client: TestClient) -> Any:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    today = datetime.now(UTC).date()

    async def read() -> Any:
        return await usage_summary(app, today, today, process="playground", detail=False)

    return client.portal.call(read)  # type: ignore[union-attr]


def admin(browser: Browser) -> Browser:
    browser.sign_up("ops@example.com")  # the first account: an administrator
    return browser


def test_a_brief_goes_through_the_offline_planner_and_is_recorded(
    client: TestClient, browser: Browser
) -> None:
    page = admin(browser).client.get("/admin/playground")
    assert page.status_code == 200
    assert 'value="model:offline"' in page.text
    assert "Process: conversation (offline" in page.text  # no API key: the planner answers
    assert 'value="model:openai:gpt-4o" disabled' in page.text.replace(">Model", "")

    sent = browser.submit("/admin/playground", "/admin/playground",
                          target="model:offline", mode="brief", prompt=BRIEF)  # fmt: skip
    assert sent.status_code == 200, sent.text
    answer = sent.text.split('id="run-answer">')[1].split("</pre>")[0]
    turn = json.loads(answer.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))
    assert turn["kind"] in ("question", "ready")
    assert "offline:" in sent.text  # the request's model in the table
    assert 'id="run-summary"' in sent.text and "Asks: " in sent.text  # read as sentences
    assert 'id="run-cost">$0.00<' in sent.text and "0.000000" not in sent.text  # nothing spent
    figures = today_playground(client).totals
    assert figures.requests == 1 and figures.errors == 0 and figures.cost_usd == 0

    # A free prompt to the offline planner is refused with a sentence, nothing recorded.
    refused = browser.submit("/admin/playground", "/admin/playground",
                             target="model:offline", mode="prompt", prompt="Hello?")  # fmt: skip
    assert refused.status_code == 422 and "answers Keyvex&#39;s own tasks" in refused.text
    assert today_playground(client).totals.requests == 1


def test_a_prompt_to_a_process_chain_shows_tokens_cost_and_the_fallback(
    browser: Browser, client: TestClient
) -> None:
    app = client.app.state.keyvex  # type: ignore[attr-defined]
    admin(browser)
    haiku = ("anthropic:claude-3-5-haiku-latest", replying("Forty-two.", 1000, 500))
    use_models(app, "conversation", ("openai:gpt-4o-mini", FunctionModel(failing)), haiku)
    sent = browser.submit("/admin/playground", "/admin/playground",
                          target="process:conversation", mode="prompt",
                          prompt="What is six times seven?")  # fmt: skip
    assert sent.status_code == 200, sent.text
    assert "Forty-two." in sent.text
    # 1,000 in x $10/M + 500 out x $20/M = $0.02, from the fallback model
    assert 'id="run-cost">$0.02<' in sent.text
    assert 'id="run-tokens">1,000 / 500' in sent.text
    assert "(fallback)" in sent.text and ">http_error<" not in sent.text
    figures = today_playground(client)
    assert figures.totals.requests == 2 and figures.totals.errors == 1
    assert figures.totals.fallbacks == 1
    assert round(figures.totals.cost_usd, 6) == 0.02
    assert {name for name, _ in figures.by_model} == {
        "openai:gpt-4o-mini", "anthropic:claude-3-5-haiku-latest"
    }  # fmt: skip

    # Both failing: the page says so in a sentence; both failures are recorded.
    use_models(app, "conversation", ("openai:gpt-4o-mini", FunctionModel(failing)))
    failed = browser.submit(
        "/admin/playground", "/admin/playground",
        target="process:conversation", mode="prompt", prompt="Again?",
    )  # fmt: skip
    assert failed.status_code == 200 and "The model did not answer" in failed.text
    assert today_playground(client).totals.errors == 2


def test_only_administrators_reach_the_playground(browser: Browser, make_browser: Any) -> None:
    admin(browser)
    creator = make_browser()
    creator.sign_up("creator@example.com")
    assert creator.client.get("/admin/playground").status_code == 403
    token = creator.csrf("/account")
    posted = creator.client.post(
        "/admin/playground",
        data={"csrf_token": token, "target": "model:offline", "mode": "brief", "prompt": BRIEF},
    )
    assert posted.status_code == 403


def test_the_admin_api_runs_the_playground(client: TestClient, browser: Browser) -> None:
    ops = ApiUser(browser, "ops@example.com")  # the first account: an administrator
    listed = ops.get("/api/v1/admin/playground/targets").json()["targets"]
    offline = "Model: offline (the built-in planner, no API key needed)"
    assert {"value": "model:offline", "label": offline, "usable": True} in listed
    brief = {"target": "process:builder", "mode": "brief", "prompt": BRIEF}
    run = ops.post("/api/v1/admin/playground", json=brief)
    assert run.status_code == 200, run.text
    body = run.json()
    assert body["error"] == "" and body["summary"] and body["calls"][0]["provider"] == "offline"
    prompt = {"target": "model:offline", "mode": "prompt", "prompt": "Hi"}
    refused = ops.post("/api/v1/admin/playground", json=prompt)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
