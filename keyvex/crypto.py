"""Secrets at rest: Fernet encryption with the data-encryption key from settings."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from keyvex.app import App
from keyvex.errors import KeyvexError


def _fernet(app: App) -> Fernet:
    key = app.settings.encryption_key
    assert key is not None  # resolve_secrets guarantees it
    return Fernet(key.get_secret_value().encode())


def encrypt(app: App, secret: str) -> str:
    return _fernet(app).encrypt(secret.encode()).decode()


def decrypt(app: App, token: str) -> str:
    try:
        return _fernet(app).decrypt(token.encode()).decode()
    except InvalidToken:
        raise KeyvexError(
            "A stored secret cannot be decrypted: KEYVEX_ENCRYPTION_KEY has changed."
        ) from None
