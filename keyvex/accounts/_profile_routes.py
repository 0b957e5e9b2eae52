"""The profile page: display name and sign-in email (the email change needs the password)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from keyvex.accounts.models import User
from keyvex.accounts.profile import change_email, change_name
from keyvex.errors import Invalid
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_errors, form_fields
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)  # included under /account by pages.py
NOTICES = {"name": "Your name was saved.", "email": "Your email address was changed."}


def _page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    base = {"profile": user, "values": {}, "field_errors": {}, "section": "profile"}
    return render(request, "accounts/profile.html", {**base, **context}, status_code=status)


@router.get("/profile")
async def profile_page(request: Request, user: CurrentUser, done: str = "") -> Response:
    return _page(request, user, notice=NOTICES.get(done, ""))


@router.post("/profile", dependencies=[CsrfChecked])
async def profile_save(request: Request, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "name")
    try:
        await change_name(app, user, values["name"])
    except Invalid as exc:
        return _page(
            request,
            user,
            exc.status,
            **form_errors(exc, ("name",), banner="name_error"),
            values=values,
        )
    return RedirectResponse("/account/profile?done=name", status_code=303)


@router.post("/profile/email", dependencies=[CsrfChecked])
async def email_save(request: Request, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "email", "password")
    try:
        await change_email(app, user, values["email"], values["password"])
    except Invalid as exc:
        kept = {"email": values["email"]}
        return _page(
            request,
            user,
            exc.status,
            **form_errors(exc, ("email", "password"), banner="email_error"),
            values=kept,
        )
    return RedirectResponse("/account/profile?done=email", status_code=303)
