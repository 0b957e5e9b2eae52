"""Fixtures for analytics tests: a real app whose store runs on a settable clock."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest

from keyvex.accounts import User, sign_up
from keyvex.app import App, build_app
from keyvex.settings import Settings
from keyvex.store import ItemStore, SQLiteItemStore
from keyvex.tools import get_template
from keyvex.tools.publishing import PublishedTool, publish
from keyvex.tools.service import create_tool


class Clock:
    """The store's idea of now (TTL expiry), starting at the real time; tests move it on."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class Kit:
    def __init__(self, app: App, clock: Clock) -> None:
        self.app, self.clock = app, clock

    async def user(self, email: str) -> User:
        return await sign_up(self.app, email, "correct horse battery")

    async def publish(self, user: User, template_id: str = "roi-calculator") -> PublishedTool:
        stored = await create_tool(self.app, user, get_template(template_id))
        return await publish(self.app, user, stored.id)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(settings: Settings, clock: Clock) -> Iterator[App]:
    built = build_app(settings)
    built.store.close()
    state = dataclasses.replace(
        built, store=ItemStore(SQLiteItemStore(settings.database_path, clock=clock))
    )
    yield state
    state.close()


@pytest.fixture
def kit(app: App, clock: Clock) -> Kit:
    return Kit(app, clock)
