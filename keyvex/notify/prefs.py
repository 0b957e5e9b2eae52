"""A creator's notification preferences: ``USER#{uid}`` / ``NOTIFY``.

``lead_email`` is ``each`` (a message per new lead, the default), ``digest`` (one message a
day listing the day's leads) or ``off``. While it is ``digest`` the item sits in the
``GSI1PK=DIGEST_DUE`` index, ordered by the time its next digest is due (see
:mod:`keyvex.notify.digest`), so the digest job finds due work with one key query.
"""

from __future__ import annotations

from typing import Any, Literal

from keyvex import clock
from keyvex.app import App
from keyvex.notify.digest import DIGEST_DUE, due_sk, next_digest_at
from keyvex.store import Condition, ConditionFailed

LeadEmail = Literal["each", "digest", "off"]
DEFAULTS: dict[str, Any] = {"lead_email": "each"}


def notify_key(uid: str) -> tuple[str, str]:
    return (f"USER#{uid}", "NOTIFY")


async def get_prefs(app: App, uid: str) -> dict[str, Any]:
    item = await app.store.get(*notify_key(uid))
    return {**DEFAULTS, **{k: item[k] for k in DEFAULTS if item and k in item}}


async def set_prefs(app: App, uid: str, lead_email: LeadEmail) -> dict[str, Any]:
    """Save the choice; choosing the digest schedules it (keeping a schedule already set)."""
    pk, sk = notify_key(uid)
    current = await app.store.get(pk, sk)
    changes: dict[str, Any] = {"entity_type": "notify_prefs", "uid": uid, "lead_email": lead_email}
    remove: tuple[str, ...] = ()
    if lead_email != "digest":
        remove = ("GSI1PK", "GSI1SK", "digest_from", "digest_due")
    elif current is None or current.get("GSI1PK") != DIGEST_DUE:
        now = clock.now()
        due = next_digest_at(now)
        changes.update(digest_from=now, digest_due=due, GSI1PK=DIGEST_DUE, GSI1SK=due_sk(due, uid))
    condition = (
        Condition.not_exists() if current is None else Condition.version_is(current["version"])
    )
    try:
        await app.store.update(pk, sk, set=changes, remove=remove, condition=condition)
    except ConditionFailed:  # a digest was claimed meanwhile: apply the choice to that state
        return await set_prefs(app, uid, lead_email)
    return await get_prefs(app, uid)
