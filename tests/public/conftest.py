"""Public page fixtures: an app with the public router, a creator, and published tools."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from keyvex.settings import Settings


def public_app(settings: Settings) -> Any:
    """The real app (its public routes come first)."""
    from keyvex.web.app import create_app

    return create_app(settings)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(public_app(settings)) as test_client:
        yield test_client


class Publisher:
    """Creates and publishes tools through the services, as a signed-up creator."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.app = client.app.state.keyvex  # type: ignore[attr-defined]
        self.user: Any = None

    async def _publish(self, definition: Any, slug: str | None, origins: Any = None) -> Any:
        from keyvex.accounts import sign_up
        from keyvex.tools.publishing import publish
        from keyvex.tools.service import create_tool

        if self.user is None:
            self.user = await sign_up(self.app, "creator@example.com", "correct horse battery")
        stored = await create_tool(self.app, self.user, definition)
        return await publish(self.app, self.user, stored.id, slug=slug, allowed_origins=origins)

    def publish(self, definition: Any, slug: str | None = None, origins: Any = None) -> Any:
        return self.client.portal.call(self._publish, definition, slug, origins)  # type: ignore[union-attr]


@pytest.fixture
def publisher(client: TestClient) -> Publisher:
    return Publisher(client)
