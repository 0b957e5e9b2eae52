"""Admin fixtures: an administrator (the first account) and a creator, both with tokens."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (  # noqa: F401  (the browser tests' fixtures, shared)
    artifacts,
    chromium,
    live_server,
    page,
    page_problems,
)
from tests.conftest import ApiUser, Browser


@pytest.fixture
def admin(browser: Browser) -> ApiUser:
    """The first account of the site, so an administrator."""
    return ApiUser(browser, "admin@example.com")


@pytest.fixture
def creator(make_browser: Any, admin: ApiUser) -> ApiUser:
    return ApiUser(make_browser(), "creator@example.com")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
