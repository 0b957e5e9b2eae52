"""Account pages (sign-up, sign-in, sign-out, settings) and the token API; thin handlers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from keyvex.accounts import service, tokens
from keyvex.accounts._devices import DEVICE_COOKIE
from keyvex.accounts._devices import MAX_AGE as DEVICE_MAX_AGE
from keyvex.accounts.models import User
from keyvex.errors import Invalid, KeyvexError, RateLimited
from keyvex.web.api_models import ApiModel
from keyvex.web.deps import (
    SESSION_COOKIE,
    ApiUser,
    AppDep,
    CsrfChecked,
    CurrentUser,
    OptionalUser,
)
from keyvex.web.forms import form_errors, form_fields, safe_next
from keyvex.web.middleware import is_https
from keyvex.web.templating import render

router = APIRouter()
api = APIRouter(prefix="/api/v1")


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _form_error(
    request: Request, template: str, exc: KeyvexError, values: dict[str, Any]
) -> Response:
    status = exc.status
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    context = {**form_errors(exc, ("email", "password")), "values": values}
    return render(request, template, context, status_code=status, headers=headers)


def _signed_in(request: Request, app: AppDep, user: User, token: str, target: str) -> Response:
    """Redirect with the session cookie and a fresh known-device cookie for ``user``."""
    response = RedirectResponse(safe_next(target), status_code=303)
    secure = app.settings.cookie_secure == "always" or (
        app.settings.cookie_secure == "auto" and is_https(request.scope)
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=app.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        DEVICE_COOKIE,
        service.known_device_cookie(app, user),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/login",  # read only by the sign-in form's handler
    )
    return response


@router.get("/signup", include_in_schema=False)
async def signup_page(request: Request, user: OptionalUser) -> Response:
    if user is not None:
        return RedirectResponse("/dashboard", status_code=303)
    return render(request, "accounts/signup.html", {"values": {}})


@router.post("/signup", include_in_schema=False, dependencies=[CsrfChecked])
async def signup(request: Request, app: AppDep) -> Response:
    values = await form_fields(request, "email", "password")
    try:
        await app.limiter.check(
            app.settings.signup_limit_ip,
            "signup",
            _client_ip(request),
            message="Too many sign-ups from your network. Try again later.",
        )
        user = await service.sign_up(app, values["email"], values["password"])
    except (Invalid, RateLimited) as exc:
        return _form_error(request, "accounts/signup.html", exc, {"email": values["email"]})
    token = await service.start_session(app, user, request.headers.get("user-agent", ""))
    return _signed_in(request, app, user, token, "/dashboard")


@router.get("/login", include_in_schema=False)
async def login_page(request: Request, user: OptionalUser) -> Response:
    if user is not None:
        return RedirectResponse("/dashboard", status_code=303)
    context = {"values": {}, "next": request.query_params.get("next", "")}
    return render(request, "accounts/login.html", context)


@router.post("/login", include_in_schema=False, dependencies=[CsrfChecked])
async def login(request: Request, app: AppDep) -> Response:
    values = await form_fields(request, "email", "password", "next")
    try:
        user = await service.authenticate(
            app,
            values["email"],
            values["password"],
            _client_ip(request),
            request.cookies.get(DEVICE_COOKIE),
        )
    except (Invalid, RateLimited) as exc:
        kept = {"email": values["email"], "next": values["next"]}
        return _form_error(request, "accounts/login.html", exc, kept)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await service.end_session(app, old)
    token = await service.start_session(app, user, request.headers.get("user-agent", ""))
    return _signed_in(request, app, user, token, values["next"])


@router.post("/logout", include_in_schema=False, dependencies=[CsrfChecked])
async def logout(request: Request, app: AppDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await service.end_session(app, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _account_page(
    request: Request, app: AppDep, user: CurrentUser, status: int = 200, **context: Any
) -> Response:
    listed = await tokens.list_tokens(app, user)
    return render(
        request, "accounts/settings.html", {"tokens": listed, **context}, status_code=status
    )


@router.get("/account", include_in_schema=False)
async def account(request: Request, app: AppDep, user: CurrentUser) -> Response:
    return await _account_page(request, app, user)


@router.post("/account/password", include_in_schema=False, dependencies=[CsrfChecked])
async def password_change(request: Request, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "current_password", "new_password")
    keep = request.cookies.get(SESSION_COOKIE, "")
    try:
        await service.change_password(
            app, user, values["current_password"], values["new_password"], keep
        )
    except Invalid as exc:
        return await _account_page(
            request,
            app,
            user,
            exc.status,
            **form_errors(exc, ("current_password", "new_password"), banner="password_error"),
        )
    return await _account_page(request, app, user, notice="Your password was changed.")


@router.post("/account/tokens", include_in_schema=False, dependencies=[CsrfChecked])
async def token_create(request: Request, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "name")
    try:
        secret, _ = await tokens.create_token(app, user, values["name"])
    except Invalid as exc:
        return await _account_page(
            request, app, user, exc.status, **form_errors(exc, ("name",), banner="token_error")
        )
    return await _account_page(request, app, user, new_token=secret)


@router.post(
    "/account/tokens/{token_id}/revoke", include_in_schema=False, dependencies=[CsrfChecked]
)
async def token_revoke(request: Request, app: AppDep, user: CurrentUser, token_id: str) -> Response:
    await tokens.revoke_token(app, user, token_id)
    return RedirectResponse("/account", status_code=303)


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=60)


class MeOut(ApiModel):
    id: str
    email: str
    name: str
    is_admin: bool


class TokenOut(ApiModel):
    id: str
    name: str
    prefix: str = Field(description="The first characters, to recognise it.")
    created_at: str
    last_used_at: str | None


class TokenListOut(ApiModel):
    tokens: list[TokenOut]


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret: shown only in this response.")


@api.get("/me", summary="Who the token belongs to", response_model=MeOut)
async def api_me(user: ApiUser) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "is_admin": user.is_admin}


@api.get("/tokens", summary="List your API tokens", response_model=TokenListOut)
async def api_tokens(app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"tokens": [t.to_json() for t in await tokens.list_tokens(app, user)]}


@api.post("/tokens", status_code=201, summary="Create an API token", response_model=NewTokenOut)
async def api_token_create(body: TokenIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    secret, token = await tokens.create_token(app, user, body.name)
    return {"token": secret, **token.to_json()}


@api.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="Revoke an API token",
    response_class=Response,
)
async def api_token_revoke(token_id: str, app: AppDep, user: ApiUser) -> Response:
    await tokens.revoke_token(app, user, token_id)
    return Response(status_code=204)
