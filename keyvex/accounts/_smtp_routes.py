"""The SMTP page: a creator's own mail server for emails to their visitors, and a test send."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.errors import Invalid, Unavailable
from keyvex.notify.smtp import SECURITY, delete_smtp, get_smtp, save_smtp, send_test
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_errors, form_fields
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)  # included under /account by pages.py
FIELDS = ("host", "port", "security", "username", "password", "from_address")
NOTICES = {
    "saved": "Your SMTP settings were saved. Send a test email to check them.",
    "removed": "Your SMTP settings were removed: the site's mail server sends again.",
}


async def _page(
    request: Request, app: App, user: User, status: int = 200, **context: Any
) -> Response:
    current = await get_smtp(app, user.id)
    values: dict[str, Any] = {"port": "587", "security": "starttls"}
    if current is not None:
        values = {k: getattr(current, k) for k in FIELDS if k != "password"}
    base = {
        "smtp": current,
        "values": values,
        "securities": SECURITY,
        "field_errors": {},
        "section": "smtp",
        "site_email": bool(app.settings.smtp_host),
    }
    return render(request, "accounts/smtp.html", {**base, **context}, status_code=status)


@router.get("/smtp")
async def smtp_page(request: Request, app: AppDep, user: CurrentUser, done: str = "") -> Response:
    return await _page(request, app, user, notice=NOTICES.get(done, ""))


@router.post("/smtp", dependencies=[CsrfChecked])
async def smtp_save(request: Request, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, *FIELDS)
    try:
        await save_smtp(app, user, values)
    except Invalid as exc:
        shown = {k: v for k, v in values.items() if k != "password"}
        return await _page(request, app, user, exc.status, **form_errors(exc, FIELDS), values=shown)
    return RedirectResponse("/account/smtp?done=saved", status_code=303)


@router.post("/smtp/test", dependencies=[CsrfChecked])
async def smtp_test(request: Request, app: AppDep, user: CurrentUser) -> Response:
    try:
        await send_test(app, user)
    except (Invalid, Unavailable) as exc:
        return await _page(request, app, user, exc.status, test_error=exc.message)
    return await _page(request, app, user, notice=f"A test email was sent to {user.email}.")


@router.post("/smtp/delete", dependencies=[CsrfChecked])
async def smtp_delete(app: AppDep, user: CurrentUser) -> Response:
    await delete_smtp(app, user)
    return RedirectResponse("/account/smtp?done=removed", status_code=303)
