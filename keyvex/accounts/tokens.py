"""API tokens: created (shown once), listed, revoked; stored only as digests."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from keyvex.accounts._keys import api_token_key, tokens_index
from keyvex.accounts.models import ApiToken, User
from keyvex.accounts.service import get_user
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.errors import Invalid, NotFound
from keyvex.store import SK, Condition

PREFIX = "kvx_"
MAX_TOKENS_PER_USER = 50
_TOUCH_EVERY = timedelta(hours=1)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 60:
        raise Invalid("The token needs a name.", fields={"name": "Use 1 to 60 characters."})
    return name


async def list_tokens(app: App, user: User) -> list[ApiToken]:
    items = [
        item
        async for item in app.store.query_all(
            tokens_index(user.id), SK.ge(""), index="GSI1", ascending=False
        )
    ]
    return [ApiToken.from_item(item) for item in items]


async def create_token(app: App, user: User, name: str) -> tuple[str, ApiToken]:
    """Return (the secret, shown once; its record)."""
    name = _check_name(name)
    if len(await list_tokens(app, user)) >= MAX_TOKENS_PER_USER:
        raise Invalid(f"You already have {MAX_TOKENS_PER_USER} tokens; revoke one first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    pk, sk = api_token_key(secret)
    created = now_iso()
    item = await app.store.put(
        {
            "PK": pk,
            "SK": sk,
            "entity_type": "api_token",
            "uid": user.id,
            "token_id": secrets.token_hex(6),
            "name": name,
            "prefix": secret[:10],
            "GSI1PK": tokens_index(user.id),
            "GSI1SK": created,
        },
        Condition.not_exists(),
    )
    return secret, ApiToken.from_item(item)


async def revoke_token(app: App, user: User, token_id: str) -> None:
    """Revoke one of *this user's* tokens; another user's id is simply not found."""
    async for item in app.store.query_all(tokens_index(user.id), SK.ge(""), index="GSI1"):
        if item["token_id"] == token_id and item["uid"] == user.id:
            await app.store.delete(item["PK"], item["SK"])
            return
    raise NotFound("There is no such API token.")


async def token_user(app: App, secret: str) -> User | None:
    """The owner of a live token; revoked tokens are deleted, so they fail at once."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    item = await app.store.get(*api_token_key(secret))
    if item is None:
        return None
    last = item.get("last_used_at")
    if last is None or datetime.fromisoformat(last) < datetime.now(UTC) - _TOUCH_EVERY:
        await app.store.update(item["PK"], item["SK"], set={"last_used_at": now_iso()})
    return await get_user(app, item["uid"])
