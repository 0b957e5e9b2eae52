"""Fixtures for lead tests: a real app on a temporary SQLite store, users and published tools."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from keyvex.accounts import User, sign_up
from keyvex.app import App, build_app
from keyvex.leads import LeadSubmission, RequestMeta
from keyvex.settings import Settings
from keyvex.tools import get_template
from keyvex.tools.publishing import PublishedTool, publish
from keyvex.tools.service import create_tool


class Kit:
    """What a lead test needs: the app, accounts, published templates and valid submissions."""

    roi_answers: dict[str, Any] = {"investment": 10000, "monthly_revenue_gain": 2000}
    browser = RequestMeta(ip="203.0.113.7", user_agent="Mozilla/5.0 (iPhone) Safari/604.1")

    def __init__(self, app: App) -> None:
        self.app = app

    async def user(self, email: str) -> User:
        return await sign_up(self.app, email, "correct horse battery")

    async def publish(self, user: User, template_id: str = "roi-calculator") -> PublishedTool:
        stored = await create_tool(self.app, user, get_template(template_id))
        return await publish(self.app, user, stored.id)

    def submission(self, **overrides: Any) -> LeadSubmission:
        body: dict[str, Any] = {
            "answers": dict(self.roi_answers),
            "contact": {"name": "Ada", "email": "ada@example.com"},
            "consent": True,
            "idempotency_key": secrets.token_urlsafe(18),
            "elapsed_ms": 42_000,
            "utm": {"utm_source": "newsletter"},
            "referrer": "https://consultant.example/blog",
        }
        body.update(overrides)
        return LeadSubmission.model_validate(body)

    async def lead_items(self, tool_id: str) -> list[dict[str, Any]]:
        page = await self.app.store.query(f"TOOL#{tool_id}")
        return [item for item in page.items if item["SK"].startswith("LEAD#")]


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    state = build_app(settings)
    yield state
    state.close()


@pytest.fixture
def kit(app: App) -> Kit:
    return Kit(app)
