"""Deleting an account and every item that belongs to it (key queries only, batched deletes).

What goes, found from the user's own partition and their GSI1 index entries:

- ``USER#{uid}``: profile, tools, co-creation sessions, webhook endpoints, preferences, ...
- ``TOOL#{tool_id}`` of each tool (versions, leads, stats, idempotency guards), including the
  partitions of tools deleted earlier whose leads were kept (found via ``USER#{uid}#LEADS``);
- ``SLUG#{slug}`` of their tools, and of tools deleted earlier (``USER#{uid}`` /
  ``OLDSLUG#{slug}`` remembers those; the public page answers 404 afterwards);
- ``NOTIFY`` (with its ``DIGEST_DUE`` index entry) and ``SMTP`` go with the user's partition;
  an email or webhook attempt in flight only writes back to items that still exist;
- ``WEBHOOK#{id}`` delivery logs and ``SESSION#{sid}`` event logs;
- ``EMAIL#{email}`` (the address can sign up again), ``LOGIN#`` sessions, ``APITOKEN#``
  tokens and ``JOB#`` records of the user's jobs (``USER#{uid}#LOGINS`` / ``#TOKENS`` /
  ``#JOBS``);
- data sources with their activity, tool links, snapshots, analyses, uploads and the data
  snapshots of published tools: ``keyvex.data.deletion`` deletes those first.
"""

from __future__ import annotations

from anyio import to_thread
from argon2 import PasswordHasher

from keyvex.accounts._keys import email_key, user_key
from keyvex.accounts.models import User
from keyvex.accounts.passwords import make_hasher, verify_password
from keyvex.accounts.service import find_user
from keyvex.app import App
from keyvex.data.deletion import delete_account_data
from keyvex.errors import Invalid

BATCH = 25  # DynamoDB's BatchWriteItem limit
_hashers: dict[str, PasswordHasher] = {}
_PUBLISHED_CACHE = "published_tools"  # keyvex.tools.publishing's in-process slug cache

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


async def _partition(app: App, pk: str) -> list[Key]:
    return [(item["PK"], item["SK"]) async for item in app.store.query_all(pk)]


async def _index(app: App, gsi1pk: str) -> list[Key]:
    return [(item["PK"], item["SK"]) async for item in app.store.query_all(gsi1pk, index="GSI1")]


async def delete_account(app: App, user: User) -> int:
    """Delete every item of ``user`` (and their data blobs); returns how many went."""
    uid = user.id
    data = await delete_account_data(app, uid)  # data sources, their logs, links and blobs
    own = [item async for item in app.store.query_all(f"USER#{uid}")]
    keys: dict[Key, None] = dict.fromkeys((item["PK"], item["SK"]) for item in own)
    tool_ids: set[str] = set()
    slugs: set[str] = set()
    for item in own:
        sk = item["SK"]
        if sk.startswith("TOOL#"):
            tool_ids.add(sk.removeprefix("TOOL#"))
            if item.get("slug"):
                slugs.add(item["slug"])
        elif sk.startswith("OLDSLUG#"):  # slugs of tools deleted earlier, still reserved
            slugs.add(item["slug"])
            tool_ids.add(item["tool_id"])
        elif sk.startswith(("WEBHOOK#", "SESSION#")):
            keys.update(dict.fromkeys(await _partition(app, sk)))
    # Leads of tools deleted earlier stay in their TOOL# partition: found through the index.
    for pk, _ in await _index(app, f"USER#{uid}#LEADS"):
        if pk.startswith("TOOL#"):
            tool_ids.add(pk.removeprefix("TOOL#"))
    for tool_id in sorted(tool_ids):
        keys.update(dict.fromkeys(await _partition(app, f"TOOL#{tool_id}")))
    for slug in sorted(slugs):
        claim = await app.store.get(f"SLUG#{slug}", "SLUG")
        if claim is not None and claim.get("owner_id") == uid:
            keys[(claim["PK"], claim["SK"])] = None
    for suffix in ("LOGINS", "TOKENS", "JOBS"):
        keys.update(dict.fromkeys(await _index(app, f"USER#{uid}#{suffix}")))
    guard = await app.store.get(*email_key(user.email))
    if guard is not None and guard.get("uid") == uid:
        keys[(guard["PK"], guard["SK"])] = None
    # The profile goes last: if anything fails midway, the account still exists to retry.
    profile = user_key(uid)
    ordered = [key for key in keys if key != profile] + [profile]
    for start in range(0, len(ordered), BATCH):
        await app.store.batch_write(deletes=ordered[start : start + BATCH])
    cache = app.cache(_PUBLISHED_CACHE)
    for slug in slugs:
        cache.pop(slug, None)
    return len(ordered) + data
