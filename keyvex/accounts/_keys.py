"""Item keys of the accounts domain (see the README's key table)."""

from __future__ import annotations

import hashlib


def user_key(uid: str) -> tuple[str, str]:
    return (f"USER#{uid}", "PROFILE")


def email_key(email: str) -> tuple[str, str]:
    """Uniqueness guard and lookup for an email (a consistent get, unlike a GSI)."""
    return (f"EMAIL#{email}", "EMAIL")


def login_key(token: str) -> tuple[str, str]:
    return (f"LOGIN#{digest(token)}", "LOGIN")


def logins_index(uid: str) -> str:
    return f"USER#{uid}#LOGINS"


def api_token_key(secret: str) -> tuple[str, str]:
    return (f"APITOKEN#{digest(secret)}", "APITOKEN")


def tokens_index(uid: str) -> str:
    return f"USER#{uid}#TOKENS"


COUNTERS = ("SYSTEM", "COUNTERS")


def digest(secret: str) -> str:
    """Session and API tokens are stored only as SHA-256 digests."""
    return hashlib.sha256(secret.encode()).hexdigest()
