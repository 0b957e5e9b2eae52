"""Administrators' actions on accounts, each written to the audit log."""

from __future__ import annotations

from typing import Literal

from keyvex.accounts import User
from keyvex.accounts.deletion import delete_account
from keyvex.accounts.roles import account, check_not_last_admin, set_admin, set_disabled
from keyvex.admin import audit
from keyvex.app import App

Action = Literal["disable", "enable", "grant-admin", "revoke-admin", "delete"]
ACTIONS: tuple[Action, ...] = ("disable", "enable", "grant-admin", "revoke-admin", "delete")
DONE = {
    "disable": "The account is disabled: it is signed out and its API tokens are refused.",
    "enable": "The account is enabled again.",
    "grant-admin": "The account is now an administrator.",
    "revoke-admin": "The account is no longer an administrator.",
    "delete": "The account and everything it kept are deleted.",
}


async def act_on_user(app: App, actor: User, uid: str, action: Action) -> User:
    """Do ``action`` to the account ``uid`` (Conflict for the last administrator, NotFound
    for an unknown account) and log it; returns the account as it was left."""
    target = await account(app, uid)
    if action == "delete":
        await check_not_last_admin(app, uid)
        await audit.record(app, actor, "delete account", target)
        await delete_account(app, target)
        return target
    if action in ("disable", "enable"):
        changed = await set_disabled(app, uid, action == "disable", by=actor.id)
    else:
        changed = await set_admin(app, uid, action == "grant-admin")
    await audit.record(app, actor, action.replace("-", " "), changed)
    return changed
