"""When an account goes: its co-creation sessions (``USER#{uid}`` / ``SESSION#{sid}``) and
each session's event log (the ``SESSION#{sid}`` partition)."""

from __future__ import annotations

from keyvex import events
from keyvex.app import App
from keyvex.events import AccountDeleted
from keyvex.store import SK, Key


@events.on(AccountDeleted, order=20)
async def delete_account_sessions(app: App, event: AccountDeleted) -> None:
    sessions = await app.store.partition_keys(f"USER#{event.user_id}", SK.begins_with("SESSION#"))
    logs: list[Key] = []
    for _, sk in sessions:
        logs += await app.store.partition_keys(sk)
    await app.store.delete_keys(logs + sessions)
