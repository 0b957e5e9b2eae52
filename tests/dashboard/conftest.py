"""Dashboard fixtures: the real app (with the dashboard wired in if the factory does not yet),
two signed-in creators, and published tools with leads submitted through the public page."""

from __future__ import annotations

import importlib.util
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.settings import Settings
from keyvex.web.app import create_app


def _load_wiring() -> Any:
    spec = importlib.util.spec_from_file_location(
        "dashboard_wiring", Path(__file__).parent / "_wiring.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wire_dashboard = _load_wiring().wire_dashboard

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class Creator:
    """A signed-in creator's browser on the dashboard."""

    def __init__(self, client: TestClient, email: str, portal: Any) -> None:
        self.client = client
        self.email = email
        self.portal = portal
        token = self.csrf("/signup")
        response = client.post(
            "/signup", data={"csrf_token": token, "email": email, "password": PASSWORD}
        )
        assert response.status_code in (200, 303), response.text

    def csrf(self, path: str = "/dashboard") -> str:
        match = CSRF.search(self.client.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        body = {"csrf_token": self.csrf(), **(data or {})}
        return self.client.post(path, data=body, follow_redirects=False, **kwargs)

    def create_from_template(self, template_id: str = "roi-calculator") -> str:
        response = self.post("/dashboard/tools/from-template", {"template_id": template_id})
        assert response.status_code == 303, response.text
        return str(response.headers["location"]).split("/")[3].split("?")[0]

    def publish(self, tool_id: str, slug: str = "") -> Any:
        response = self.post(
            f"/dashboard/tools/{tool_id}/publish", {"slug": slug, "allowed_origins": ""}
        )
        assert response.status_code == 303, response.text
        return response

    def tool(self, tool_id: str) -> Any:
        from keyvex.tools.service import get_tool

        return self._run(get_tool(self.app_state, self.user, tool_id))

    @property
    def app_state(self) -> Any:
        return self.client.app.state.keyvex  # type: ignore[attr-defined]

    @property
    def user(self) -> Any:
        from keyvex.accounts.service import find_user

        found = self._run(find_user(self.app_state, self.email))
        return found[0]

    def _run(self, coro: Any) -> Any:
        async def go() -> Any:
            return await coro

        return self.portal.call(go)


def submit_lead(
    client: TestClient, slug: str, answers: dict[str, Any], email: str, name: str = "Ada"
) -> Any:
    """A visitor's submission as the public runtime sends it (a person's fill time)."""
    body = {
        "answers": answers,
        "contact": {"name": name, "email": email},
        "consent": True,
        "idempotency_key": secrets.token_urlsafe(18),
        "elapsed_ms": 30_000,
        "utm": {"utm_source": "newsletter"},
        "referrer": "https://consultant.example/blog",
    }
    response = client.post(f"/t/{slug}/submit", json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(wire_dashboard(create_app(settings))) as test_client:
        yield test_client


@pytest.fixture
def alice(client: TestClient) -> Creator:
    return Creator(client, "alice@example.com", client.portal)


@pytest.fixture
def bob(client: TestClient) -> Creator:
    return Creator(TestClient(client.app), "bob@example.com", client.portal)


LEAD_LINK = re.compile(r'href="/dashboard/tools/([0-9a-f]+)/leads/([A-Za-z0-9_-]+)"')
ROI_ANSWERS = {"investment": 10000, "monthly_revenue_gain": 2000}


@pytest.fixture
def published(alice: Creator, client: TestClient) -> tuple[str, str]:
    """Alice's published ROI calculator with one lead; returns the tool id and lead ref."""
    tool_id = alice.create_from_template("roi-calculator")
    alice.publish(tool_id, slug="alice-roi")
    submit_lead(TestClient(client.app), "alice-roi", ROI_ANSWERS, "ada@example.com")
    match = LEAD_LINK.search(alice.get(f"/dashboard/tools/{tool_id}/leads").text)
    assert match, "lead link on the leads page"
    return tool_id, match.group(2)


@pytest.fixture
def leave_lead(client: TestClient) -> Any:
    """A visitor leaving a lead on Alice's published ROI calculator."""
    visitor = TestClient(client.app)

    def leave(email: str, name: str = "Ada") -> Any:
        return submit_lead(visitor, "alice-roi", ROI_ANSWERS, email, name=name)

    return leave
