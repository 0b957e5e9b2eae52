"""When an account goes: its email preferences (``NOTIFY``, with its ``DIGEST_DUE`` index
entry) and its own SMTP server settings (``SMTP``). An email being sent meanwhile only writes
back to items that still exist."""

from __future__ import annotations

from keyvex import events
from keyvex.app import App
from keyvex.events import AccountDeleted


@events.on(AccountDeleted, order=40)
async def delete_account_email_settings(app: App, event: AccountDeleted) -> None:
    await app.store.delete_keys((f"USER#{event.user_id}", sk) for sk in ("NOTIFY", "SMTP"))
