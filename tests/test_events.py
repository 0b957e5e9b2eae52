"""Domain events: handlers run in their order; every subscriber module is loaded before the
first event, so no domain misses an account deletion."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

from keyvex import events
from keyvex.events import AccountDeleted, EventHooks, ToolDeleted, ToolPublished


def test_handlers_run_in_order_and_only_for_their_event() -> None:
    hooks = EventHooks()
    seen: list[str] = []

    @hooks.on(AccountDeleted, order=20)
    async def second(app: Any, event: AccountDeleted) -> None:
        seen.append(f"second {event.user_id}")

    @hooks.on(AccountDeleted, order=10)
    async def first(app: Any, event: AccountDeleted) -> None:
        seen.append(f"first {event.user_id}")

    @hooks.on(ToolPublished)
    async def other(app: Any, event: ToolPublished) -> None:
        seen.append("published")

    asyncio.run(hooks.publish(None, AccountDeleted("u1", "a@example.com")))  # type: ignore[arg-type]
    assert seen == ["first u1", "second u1"]


def test_every_domain_that_keeps_account_data_handles_account_deletion() -> None:
    handlers = events.hooks.handlers(AccountDeleted)
    modules = {handler.__module__ for handler in handlers}
    # lead / tool events; build and sync events (metrics)
    react_otherwise = {"keyvex.notify.leads", "keyvex.analytics.deletion", "keyvex.ops.metrics"}
    assert modules == set(events.SUBSCRIBERS) - react_otherwise
    for name in events.SUBSCRIBERS:
        importlib.import_module(name)  # each one imports cleanly on its own
    assert [h.__module__ for h in handlers][0] == "keyvex.data.deletion"  # before the tools


def test_a_deleted_tool_reaches_the_domains_that_keep_data_of_it() -> None:
    modules = {handler.__module__ for handler in events.hooks.handlers(ToolDeleted)}
    assert modules == {"keyvex.data.deletion", "keyvex.analytics.deletion"}
