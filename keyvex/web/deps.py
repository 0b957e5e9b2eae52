"""Dependency aliases routes use: the App, the current user, CSRF checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from keyvex.accounts import User, session_user, token_user
from keyvex.app import App
from keyvex.errors import Forbidden, Unauthorized
from keyvex.web.csrf import verify_csrf

SESSION_COOKIE = "kvx_session"


class LoginRequired(Unauthorized):
    """Raised for browser pages; the error handler turns it into a redirect to /login."""


def get_app(request: Request) -> App:
    app: App = request.app.state.keyvex
    return app


AppDep = Annotated[App, Depends(get_app)]


async def optional_user(request: Request, app: AppDep) -> User | None:
    """The signed-in user from the session cookie, resolved once per request."""
    if "user" in request.scope.get("state", {}):
        cached: User | None = request.state.user
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    user = await session_user(app, token) if token else None
    request.state.user = user
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def current_user(user: OptionalUser) -> User:
    if user is None:
        raise LoginRequired("Please sign in to continue.")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


async def api_user(request: Request, app: AppDep) -> User:
    """The user of an ``Authorization: Bearer`` API token; the only way into /api."""
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized("Send an API token as 'Authorization: Bearer <token>'.")
    user = await token_user(app, credentials.strip())
    if user is None:
        raise Unauthorized("The API token is invalid or has been revoked.")
    if user.disabled:
        raise Forbidden("This account has been disabled by an administrator.")
    return user


ApiUser = Annotated[User, Depends(api_user)]

NOT_ADMIN = "Only administrators can open this page."


async def admin_user(user: CurrentUser) -> User:
    """The signed-in user, who must be an administrator (403 otherwise)."""
    if not user.is_admin:
        raise Forbidden(NOT_ADMIN)
    return user


AdminUser = Annotated[User, Depends(admin_user)]


async def admin_api_user(user: ApiUser) -> User:
    """The user of an API token, who must be an administrator (403 otherwise)."""
    if not user.is_admin:
        raise Forbidden("Only administrators' API tokens can use /api/v1/admin.")
    return user


AdminApiUser = Annotated[User, Depends(admin_api_user)]


async def csrf_protect(request: Request, app: AppDep) -> None:
    await verify_csrf(request, app.secret_key)


CsrfChecked = Depends(csrf_protect)
