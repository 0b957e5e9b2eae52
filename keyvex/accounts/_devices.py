"""Known-device cookies (OWASP "device cookies"): proof that a browser signed in to an account.

The value is ``{nonce}.{hmac}``, the HMAC (keyed by ``KEYVEX_SECRET_KEY``) covering the
normalised email and the nonce, so the cookie names no account and cannot be forged or moved
to another account. Sign-in limits use it to tell the owner's browser from a stranger's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

DEVICE_COOKIE = "kvx_device"
MAX_AGE = 365 * 86400
_MAX_LEN = 200


def _signature(secret: str, email: str, nonce: str) -> str:
    message = f"device:{email}:{nonce}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def issue(secret: str, email: str) -> str:
    """A fresh device cookie value for a browser that just signed in as ``email``."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_signature(secret, email, nonce)}"


def device_id(secret: str, email: str, cookie: str | None) -> str | None:
    """The cookie's nonce when it was issued for ``email`` on this site, else None."""
    if not cookie or len(cookie) > _MAX_LEN or not cookie.isascii():
        return None
    nonce, _, signature = cookie.partition(".")
    if not nonce or not hmac.compare_digest(signature, _signature(secret, email, nonce)):
        return None
    return nonce
