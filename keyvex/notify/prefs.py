"""A creator's notification preferences: ``USER#{uid}`` / ``NOTIFY``."""

from __future__ import annotations

from typing import Any, Literal

from keyvex.app import App

LeadEmail = Literal["each", "off"]
DEFAULTS: dict[str, Any] = {"lead_email": "each"}


async def get_prefs(app: App, uid: str) -> dict[str, Any]:
    item = await app.store.get(f"USER#{uid}", "NOTIFY")
    return {**DEFAULTS, **{k: item[k] for k in DEFAULTS if item and k in item}}


async def set_prefs(app: App, uid: str, lead_email: LeadEmail) -> dict[str, Any]:
    await app.store.update(
        f"USER#{uid}", "NOTIFY", set={"entity_type": "notify_prefs", "lead_email": lead_email}
    )
    return await get_prefs(app, uid)
