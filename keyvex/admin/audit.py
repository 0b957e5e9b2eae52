"""The audit log of administrators' actions: who did what to whom, and when.

Entries live at ``ADMIN_AUDIT`` / ``AT#{ts}#{id}`` (newest read first), indexed by target
(``GSI1PK=AUDIT_TARGET#{uid}``) and by actor (``GSI2PK=AUDIT_ACTOR#{uid}``) so that when an
account is deleted its entries keep the action and the time but lose the person's id and
email ("a deleted account").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from keyvex import events
from keyvex.accounts import User
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.events import AccountDeleted
from keyvex.store import SK

AUDIT_PK = "ADMIN_AUDIT"
GONE = "a deleted account"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: str
    actor_email: str
    action: str
    target_email: str
    detail: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> AuditEntry:
        return cls(item["at"], item.get("actor_email") or GONE, item["action"],
                   item.get("target_email") or ("" if not item.get("had_target") else GONE),
                   item.get("detail", ""))  # fmt: skip

    def as_json(self) -> dict[str, str]:
        return {"at": self.at, "actor": self.actor_email, "action": self.action,
                "target": self.target_email, "detail": self.detail}  # fmt: skip


async def record(
    app: App, actor: User, action: str, target: User | None = None, detail: str = ""
) -> None:
    at = now_iso()
    entry_id = uuid.uuid4().hex[:12]
    item: dict[str, Any] = {
        "PK": AUDIT_PK,
        "SK": f"AT#{at}#{entry_id}",
        "entity_type": "admin_audit",
        "at": at,
        "actor_id": actor.id,
        "actor_email": actor.email,
        "action": action,
        "detail": detail[:500],
        "GSI2PK": f"AUDIT_ACTOR#{actor.id}",
        "GSI2SK": at,
    }
    if target is not None:
        item |= {"target_id": target.id, "target_email": target.email, "had_target": True,
                 "GSI1PK": f"AUDIT_TARGET#{target.id}", "GSI1SK": at}  # fmt: skip
    await app.store.put(item)


async def recent(
    app: App, limit: int = 100, cursor: str | None = None
) -> tuple[list[AuditEntry], str | None]:
    """Entries newest first, a page at a time."""
    page = await app.store.query(
        AUDIT_PK, SK.begins_with("AT#"), ascending=False, limit=limit, cursor=cursor
    )
    return [AuditEntry.from_item(item) for item in page.items], page.cursor


@events.on(AccountDeleted, order=70)
async def _forget_person(app: App, event: AccountDeleted) -> None:
    """Keep what was done and when; drop who it was done by or to."""
    for index, role in (("GSI1", "target"), ("GSI2", "actor")):
        prefix = "AUDIT_TARGET" if role == "target" else "AUDIT_ACTOR"
        found = [i async for i in app.store.query_all(f"{prefix}#{event.user_id}", index=index)]
        for item in found:
            await app.store.update(
                item["PK"], item["SK"], set={f"{role}_id": "", f"{role}_email": ""},
                remove=[f"{index}PK", f"{index}SK"],
            )  # fmt: skip
