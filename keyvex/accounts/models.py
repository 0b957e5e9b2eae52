"""Account entities as the rest of the app sees them (never with password hashes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    is_admin: bool
    created_at: str
    name: str = ""
    #: Set by an administrator: the account cannot sign in or use its API tokens.
    disabled: bool = False

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> User:
        return cls(
            item["uid"],
            item["email"],
            bool(item.get("is_admin")),
            item["created_at"],
            item.get("name", ""),
            bool(item.get("disabled_at")),
        )


@dataclass(frozen=True, slots=True)
class ApiToken:
    """What a token list shows; the secret itself is shown once, at creation."""

    id: str
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> ApiToken:
        return cls(
            item["token_id"],
            item["name"],
            item["prefix"],
            item["created_at"],
            item.get("last_used_at"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "created_at": self.created_at,
            "last_used_at": self.last_used_at,
        }
