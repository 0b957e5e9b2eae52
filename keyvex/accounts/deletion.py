"""Deleting an account: every domain deletes what it keeps, then the account itself goes.

``delete_account`` publishes :class:`keyvex.events.AccountDeleted`; each domain that keeps data
of an account subscribes to it and deletes its own (see ``keyvex.events.SUBSCRIBERS``): data
sources and their blobs, tools with their partitions (versions, leads, counters) and slugs,
webhook endpoints and delivery logs, co-creation sessions and their event logs, email settings,
job records. Then the accounts domain deletes its own: ``LOGIN#`` sessions and ``APITOKEN#``
tokens (``USER#{uid}#LOGINS`` / ``#TOKENS``), the ``EMAIL#{email}`` guard (the address can
sign up again), anything else left in the ``USER#{uid}`` partition, and the profile last, so
that a deletion cut off midway can be run again from the account that still exists. The
profile goes in one transaction with the site's account count (``SYSTEM/COUNTERS users``), so
the count is of accounts that exist: after the site's last account is deleted, the next
sign-up is the first again and becomes the administrator.
"""

from __future__ import annotations

from anyio import to_thread
from argon2 import PasswordHasher

from keyvex import events
from keyvex.accounts._keys import COUNTERS, email_key, user_key
from keyvex.accounts.models import User
from keyvex.accounts.passwords import make_hasher, verify_password
from keyvex.accounts.service import find_user
from keyvex.app import App
from keyvex.errors import Invalid
from keyvex.events import AccountDeleted
from keyvex.store import Condition, Delete, TransactionCanceled, Update

_hashers: dict[str, PasswordHasher] = {}

Key = tuple[str, str]


def password_hasher(app: App) -> PasswordHasher:
    """The site's password hasher (same parameters as sign-up and sign-in use)."""
    env = app.settings.env
    if env not in _hashers:
        _hashers[env] = make_hasher(env)
    return _hashers[env]


async def check_password(app: App, user: User, password: str) -> None:
    """Raise Invalid (on the ``password`` field) unless ``password`` is the user's own."""
    found = await find_user(app, user.email)
    stored = found[1] if found is not None and found[0].id == user.id else None
    if not await to_thread.run_sync(verify_password, password_hasher(app), stored, password):
        raise Invalid(
            "The password is wrong; nothing was deleted.",
            fields={"password": "This is not your current password."},
        )


async def delete_account(app: App, user: User) -> int:
    """Delete every item (and blob) of ``user``; returns how many account items went."""
    uid = user.id
    await events.publish(app, AccountDeleted(uid, user.email))
    keys: list[Key] = []
    for suffix in ("LOGINS", "TOKENS"):
        keys += await app.store.partition_keys(f"USER#{uid}#{suffix}", index="GSI1")
    guard = await app.store.get(*email_key(user.email))
    if guard is not None and guard.get("uid") == uid:
        keys.append((guard["PK"], guard["SK"]))
    profile = user_key(uid)
    keys += [k for k in await app.store.partition_keys(f"USER#{uid}") if k != profile]
    deleted = await app.store.delete_keys(keys)
    try:  # the count drops once, with the profile: a rerun after a cut-off finds it gone
        await app.store.transact_write(
            [Delete(*profile, Condition.exists()), Update(*COUNTERS, add={"users": -1})]
        )
    except TransactionCanceled:
        return deleted
    return deleted + 1
