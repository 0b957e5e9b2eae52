"""Shared fixtures: a fresh data directory, settings, the real app and a browser-like client."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from keyvex.settings import Settings
from keyvex.web.app import create_app

# CI runs hypothesis deterministically and without per-example deadlines (a loaded machine
# must not turn a slow example into a failure); locally every run explores new examples.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# moto's local AWS (DynamoDB, S3) for the store tests and the scaled-out app tests.
pytest_plugins = ["tests.aws_emulator"]

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def services_required() -> bool:
    """KEYVEX_REQUIRE_SERVICES=1 (set by .ci/run) turns a missing service into a failure."""
    return os.environ.get("KEYVEX_REQUIRE_SERVICES") == "1"


def need_service(available: bool, reason: str) -> None:
    if not available:
        if services_required():
            pytest.fail(f"{reason} (KEYVEX_REQUIRE_SERVICES=1)")
        pytest.skip(reason)


# With pytest-xdist (`pytest -n auto`, the README's command) these run one after another on one
# worker, never beside each other: each starts server, worker or browser processes, or times a
# process start-up, and two of them at once on a 2-core machine starve each other into timeouts.
# The rest of the suite spreads over the other workers.
PROCESS_TESTS = (
    "tests/cluster/",
    "tests/jobs/",
    "tests/redis/",
    "tests/infra/",
    "tests/ops/",
    "tests/test_cli.py",
    "tests/web/test_serve_workers.py",
    "tests/data/test_hostile_server.py",
    "tests/store/test_store_race.py",
    "tests/api/test_api_publish_first_is_quick.py",
    "tests/cocreate/test_cocreate_first_turn_is_quick.py",
)
ROOT = Path(__file__).parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(ROOT).as_posix().startswith(PROCESS_TESTS):
            item.add_marker(pytest.mark.xdist_group("processes"))


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a real AI provider: only the offline planner, FunctionModels and the
    local wire-format servers of tests/ai (which opt in explicitly)."""
    import pydantic_ai.models

    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", False)


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer's keyvex.toml or KEYVEX_* variables leak into a test."""
    for name in list(os.environ):
        if name.startswith("KEYVEX_") and name != "KEYVEX_REQUIRE_SERVICES":
            monkeypatch.delenv(name)
    monkeypatch.setenv("KEYVEX_CONFIG", str(tmp_path / "absent.toml"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(env="test", data_dir=tmp_path / "data")


class Browser:
    """A TestClient with the steps a person takes: open a form, fill it, submit it."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def csrf(self, path: str = "/login") -> str:
        page = self.client.get(path)
        match = CSRF.search(page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def submit(self, form_path: str, action: str, **fields: Any) -> Any:
        data = {"csrf_token": self.csrf(form_path), **fields}
        return self.client.post(action, data=data, follow_redirects=False)

    def sign_up(self, email: str, password: str = "correct horse battery") -> Any:
        return self.submit("/signup", "/signup", email=email, password=password)

    def log_in(self, email: str, password: str = "correct horse battery", **extra: Any) -> Any:
        return self.submit("/login", "/login", email=email, password=password, **extra)

    def log_out(self) -> Any:
        return self.submit("/dashboard", "/logout")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def browser(client: TestClient) -> Browser:
    return Browser(client)


@pytest.fixture
def make_browser(client: TestClient) -> Any:
    """Another visitor on the same app (own cookie jar)."""

    def make() -> Browser:
        return Browser(TestClient(client.app))

    return make


TOKEN_ON_PAGE = re.compile(r'<code id="new-token">(kvx_[A-Za-z0-9_-]+)</code>')


class ApiUser:
    """A signed-up creator holding an API token; ``.get/.post/...`` send it as Bearer."""

    def __init__(self, browser: Browser, email: str) -> None:
        browser.sign_up(email)
        page = browser.submit("/account", "/account/tokens", name="tests")
        match = TOKEN_ON_PAGE.search(page.text)
        assert match, "token shown after creation"
        self.browser = browser
        self.client = browser.client
        self.email = email
        self.headers = {"Authorization": f"Bearer {match.group(1)}"}

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def alice(browser: Browser) -> ApiUser:
    return ApiUser(browser, "alice@example.com")


@pytest.fixture
def bob(make_browser: Any) -> ApiUser:
    return ApiUser(make_browser(), "bob@example.com")
