"""Accounts and authentication: users, sessions, passwords, API tokens."""

from keyvex.accounts.models import ApiToken, User
from keyvex.accounts.service import (
    authenticate,
    change_password,
    end_session,
    find_user,
    get_user,
    normalise_email,
    session_user,
    sign_up,
    start_session,
)
from keyvex.accounts.tokens import create_token, list_tokens, revoke_token, token_user

__all__ = [
    "ApiToken",
    "User",
    "authenticate",
    "change_password",
    "create_token",
    "end_session",
    "find_user",
    "get_user",
    "list_tokens",
    "normalise_email",
    "revoke_token",
    "session_user",
    "sign_up",
    "start_session",
    "token_user",
]
