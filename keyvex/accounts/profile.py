"""The profile: a display name, and changing the sign-in email (after the current password).

The email guard ``EMAIL#{email}`` / ``EMAIL`` keeps addresses unique: a change claims the new
guard (must not exist), drops the old one and rewrites the profile in one transaction, so two
accounts can never end up with the same address, even when both try at the same moment.
"""

from __future__ import annotations

import unicodedata

from anyio import to_thread

from keyvex.accounts._keys import email_key, user_key
from keyvex.accounts.deletion import password_hasher
from keyvex.accounts.models import User
from keyvex.accounts.passwords import verify_password
from keyvex.accounts.service import find_user, get_user, normalise_email
from keyvex.app import App
from keyvex.errors import Conflict, Invalid, NotFound
from keyvex.store import Condition, ConditionFailed, Delete, Put, TransactionCanceled, Update

MAX_NAME = 100


def clean_name(raw: str) -> str:
    """A display name: trimmed, at most 100 characters, no control characters (may be empty)."""
    name = " ".join(raw.split())
    if len(name) > MAX_NAME:
        raise Invalid(
            "The name is too long.", fields={"name": f"Use at most {MAX_NAME} characters."}
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise Invalid("The name contains invisible characters.", fields={"name": "Use plain text."})
    return name


async def _fresh(app: App, uid: str) -> User:
    user = await get_user(app, uid)
    if user is None:
        raise NotFound("There is no such account.")
    return user


async def change_name(app: App, user: User, name: str) -> User:
    """Set the display name shown in the dashboard and used in emails to the creator."""
    try:
        await app.store.update(
            *user_key(user.id), set={"name": clean_name(name)}, condition=Condition.exists()
        )
    except ConditionFailed:
        raise NotFound("There is no such account.") from None
    return await _fresh(app, user.id)


async def change_email(app: App, user: User, new_email: str, password: str) -> User:
    """Move the account to another address after checking the current password."""
    email = normalise_email(new_email)
    if email == user.email:
        raise Invalid("Nothing changed.", fields={"email": "This is already your email address."})
    found = await find_user(app, user.email)
    stored = found[1] if found is not None and found[0].id == user.id else None
    if not await to_thread.run_sync(verify_password, password_hasher(app), stored, password):
        raise Invalid(
            "The password is wrong; your email was not changed.",
            fields={"password": "This is not your current password."},
        )
    guard = {"PK": email_key(email)[0], "SK": "EMAIL", "entity_type": "email", "uid": user.id}
    try:
        await app.store.transact_write(
            [
                Put(guard, Condition.not_exists()),
                Delete(*email_key(user.email), Condition.exists()),
                Update(*user_key(user.id), set={"email": email}, condition=Condition.exists()),
            ]
        )
    except TransactionCanceled as exc:
        if exc.failed_condition(0):
            raise Invalid(
                "That email is already registered.",
                fields={"email": "Another account uses this email address."},
            ) from None
        raise Conflict("Your account was changed meanwhile; reload and try again.") from None
    return await _fresh(app, user.id)
