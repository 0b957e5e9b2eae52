"""Text deltas become stored, numbered text events: none lost, in order, merged under load."""

from __future__ import annotations

import asyncio
from typing import Any

from keyvex.cocreate.events import TextRelay, events_after


def test_every_delta_arrives_in_order_and_bursts_are_merged(client: Any) -> None:
    app = client.app.state.keyvex
    pieces = [f"word{i} " for i in range(200)]

    async def go() -> list[Any]:
        relay = TextRelay(app, "s1")
        for piece in pieces:
            await relay.push(piece)
        await relay.close()
        assert relay.text == "".join(pieces)
        return await events_after(app, "s1", 0)

    events = asyncio.run(go())
    assert [e.type for e in events] == ["text"] * len(events)
    assert "".join(e.data["delta"] for e in events) == "".join(pieces)
    assert events[0].data["delta"] == pieces[0]  # the first delta is not held back
    assert 1 < len(events) < len(pieces)  # a burst is merged instead of queueing 200 writes
    assert [e.id for e in events] == list(range(1, len(events) + 1))
