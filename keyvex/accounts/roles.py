"""What administrators do to accounts: list and search, disable and enable, grant and revoke
the administrator role. The site always keeps one administrator who can sign in: revoking,
disabling or deleting the last one is refused, by another administrator or by themselves
(``check_can_leave``: the last administrator may delete their own account only when it is the
site's last account, and then the next sign-up becomes the administrator, as on a new site).

A disabled account (``disabled_at`` on its profile) cannot sign in, its sessions are ended and
its API tokens are refused (kept, so enabling it gives them back). Its published tools keep
working and keep taking leads: disabling stops a person, not their visitors; deleting the
account is how its pages go.
"""

from __future__ import annotations

from keyvex.accounts._keys import logins_index, user_key
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.errors import Conflict, NotFound
from keyvex.store import SK, Check, Condition, TransactionCanceled, TransactOp, Update

USERS_INDEX = "USERS"
#: Most accounts a search returns (the listing reads the one ``USERS`` index partition).
MAX_LISTED = 200
LAST_ADMIN = "This is the only administrator who can sign in; make someone else one first."
LAST_ADMIN_SELF = (
    "You are the only administrator who can sign in, and other accounts depend on one: make "
    "another account an administrator first (Admin, Users), then delete yours."
)


async def list_users(app: App, query: str = "", limit: int = MAX_LISTED) -> tuple[list[User], bool]:
    """Accounts, newest first, whose email or name contains ``query`` (any case); and whether
    more matched than ``limit``."""
    needle = query.strip().lower()
    found: list[User] = []
    async for item in app.store.query_all(USERS_INDEX, index="GSI1", ascending=False):
        if item.get("entity_type") != "user":
            continue
        if needle and needle not in item["email"] and needle not in item.get("name", "").lower():
            continue
        if len(found) == limit:
            return found, True
        found.append(User.from_item(item))
    return found, False


async def account(app: App, uid: str) -> User:
    item = await app.store.get(*user_key(uid), consistent=True)
    if item is None:
        raise NotFound("There is no such account.")
    return User.from_item(item)


async def set_disabled(app: App, uid: str, disabled: bool, *, by: str) -> User:
    """Disable (ending every session) or enable an account."""
    if disabled:
        await _change_guarded(app, uid, {"disabled_at": now_iso(), "disabled_by": by})
        async for login in app.store.query_all(logins_index(uid), SK.ge(""), index="GSI1"):
            await app.store.delete(login["PK"], login["SK"])
    else:
        await app.store.update(*user_key(uid), set={"disabled_at": None, "disabled_by": None},
                               condition=Condition.exists())  # fmt: skip
    return await account(app, uid)


async def set_admin(app: App, uid: str, admin: bool) -> User:
    """Grant or revoke the administrator role."""
    if admin:
        await app.store.update(*user_key(uid), set={"is_admin": True},
                               condition=Condition.exists())  # fmt: skip
    else:
        await _change_guarded(app, uid, {"is_admin": False})
    return await account(app, uid)


async def check_not_last_admin(app: App, uid: str) -> list[Check]:
    """Refuse (Conflict) when ``uid`` is the only active administrator; otherwise a check
    that another one still is, for the transaction that changes ``uid``."""
    target = await account(app, uid)
    if not target.is_admin or target.disabled:
        return []
    async for item in app.store.query_all(USERS_INDEX, index="GSI1"):
        other = User.from_item(item) if item.get("entity_type") == "user" else None
        if other and other.id != uid and other.is_admin and not other.disabled:
            return [Check(item["PK"], item["SK"], Condition.version_is(int(item["version"])))]
    raise Conflict(LAST_ADMIN)


async def check_can_leave(app: App, user: User) -> None:
    """Refuse (Conflict) ``user`` deleting their own account when they are the last active
    administrator and other accounts remain: those would be left with nobody to run the site.
    The site's only account may go (the site is then as new)."""
    try:
        await check_not_last_admin(app, user.id)
    except Conflict:
        page = await app.store.query(USERS_INDEX, index="GSI1", limit=2)
        if any(item.get("uid") != user.id for item in page.items):
            raise Conflict(LAST_ADMIN_SELF) from None


async def _change_guarded(app: App, uid: str, fields: dict[str, object]) -> None:
    """Apply ``fields`` to the profile unless that would leave no active administrator: the
    other administrator found is checked unchanged in the same transaction, so two admins
    revoking each other at once cannot both succeed."""
    for _ in range(5):
        item = await app.store.get(*user_key(uid), consistent=True)
        if item is None:
            raise NotFound("There is no such account.")
        checks = await check_not_last_admin(app, uid)
        ops: list[TransactOp] = [Update(item["PK"], item["SK"], set=fields,
                      condition=Condition.version_is(int(item["version"]))), *checks]  # fmt: skip
        try:
            await app.store.transact_write(ops)
            return
        except TransactionCanceled:
            continue  # someone changed one of them meanwhile: look again
    raise Conflict("The account changed while saving; try again.")
