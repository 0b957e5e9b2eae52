"""Account settings pages: webhooks (with delivery logs), notifications, account deletion;
the profile and SMTP pages are included from their own modules.

Thin handlers over keyvex.webhooks.service, keyvex.notify.prefs and keyvex.accounts.deletion;
every lookup is scoped to the signed-in user, so another user's webhook id is a 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from keyvex.accounts._profile_routes import router as profile_router
from keyvex.accounts._smtp_routes import router as smtp_router
from keyvex.accounts.deletion import check_password, delete_account
from keyvex.accounts.models import User
from keyvex.accounts.roles import check_can_leave
from keyvex.app import App
from keyvex.errors import Conflict, Invalid
from keyvex.notify.digest import DIGEST_HOUR_UTC
from keyvex.notify.prefs import LeadEmail, get_prefs, set_prefs
from keyvex.web.deps import SESSION_COOKIE, AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_errors, form_fields
from keyvex.web.templating import render
from keyvex.webhooks import service as webhooks
from keyvex.webhooks.models import EVENTS

router = APIRouter(prefix="/account", include_in_schema=False)

WEBHOOKS = "/account/webhooks"
LEAD_EMAIL_CHOICES: dict[str, LeadEmail] = {"each": "each", "digest": "digest", "off": "off"}


async def _webhooks_page(
    request: Request, app: App, user: User, status: int = 200, **context: Any
) -> Response:
    listed = await webhooks.list_endpoints(app, user)
    base = {"endpoints": listed, "events": sorted(EVENTS), "values": {}, "chosen": []}
    return render(request, "accounts/webhooks.html", {**base, **context}, status_code=status)


@router.get("/webhooks")
async def webhooks_page(request: Request, app: AppDep, user: CurrentUser) -> Response:
    return await _webhooks_page(request, app, user)


@router.post("/webhooks", dependencies=[CsrfChecked])
async def webhook_create(request: Request, app: AppDep, user: CurrentUser) -> Response:
    form = await request.form()
    url = str(form.get("url") or "").strip()
    events = [str(event) for event in form.getlist("events")]
    try:
        endpoint, secret = await webhooks.create_endpoint(app, user, url, events)
    except Invalid as exc:
        return await _webhooks_page(
            request,
            app,
            user,
            exc.status,
            **form_errors(exc, ("url", "events")),
            values={"url": url},
            chosen=events,
        )
    return await _webhooks_page(request, app, user, new_secret=secret, secret_for=endpoint.url)


@router.post("/webhooks/{webhook_id}/delete", dependencies=[CsrfChecked])
async def webhook_delete(app: AppDep, user: CurrentUser, webhook_id: str) -> Response:
    await webhooks.delete_endpoint(app, user, webhook_id)
    return RedirectResponse(WEBHOOKS, status_code=303)


@router.post("/webhooks/{webhook_id}/rotate", dependencies=[CsrfChecked])
async def webhook_rotate(
    request: Request, app: AppDep, user: CurrentUser, webhook_id: str
) -> Response:
    secret = await webhooks.rotate_secret(app, user, webhook_id)
    url = next((e.url for e in await webhooks.list_endpoints(app, user) if e.id == webhook_id), "")
    return await _webhooks_page(
        request, app, user, new_secret=secret, secret_for=url, notice="The secret was rotated."
    )


@router.post("/webhooks/{webhook_id}/enable", dependencies=[CsrfChecked])
async def webhook_enable(app: AppDep, user: CurrentUser, webhook_id: str) -> Response:
    await webhooks.enable_endpoint(app, user, webhook_id)
    return RedirectResponse(WEBHOOKS, status_code=303)


@router.get("/webhooks/{webhook_id}")
async def webhook_deliveries(
    request: Request, app: AppDep, user: CurrentUser, webhook_id: str
) -> Response:
    deliveries = await webhooks.list_deliveries(app, user, webhook_id)
    endpoint = next(e for e in await webhooks.list_endpoints(app, user) if e.id == webhook_id)
    context = {"endpoint": endpoint, "deliveries": deliveries}
    if request.query_params.get("resent"):
        context["notice"] = "The delivery was queued again."
    return render(request, "accounts/webhooks.html", context)


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/resend", dependencies=[CsrfChecked])
async def webhook_resend(
    app: AppDep, user: CurrentUser, webhook_id: str, delivery_id: str
) -> Response:
    await webhooks.resend(app, user, webhook_id, delivery_id)
    return RedirectResponse(f"{WEBHOOKS}/{webhook_id}?resent=1", status_code=303)


async def _notifications_page(
    request: Request, app: App, user: User, status: int = 200, **context: Any
) -> Response:
    prefs = await get_prefs(app, user.id)
    email_on = bool(app.settings.smtp_host)
    ctx = {"prefs": prefs, "email_configured": email_on, "digest_hour": DIGEST_HOUR_UTC, **context}
    return render(request, "accounts/notifications.html", ctx, status_code=status)


@router.get("/notifications")
async def notifications_page(request: Request, app: AppDep, user: CurrentUser) -> Response:
    return await _notifications_page(request, app, user)


@router.post("/notifications", dependencies=[CsrfChecked])
async def notifications_save(request: Request, app: AppDep, user: CurrentUser) -> Response:
    choice = (await form_fields(request, "lead_email"))["lead_email"]
    if choice not in LEAD_EMAIL_CHOICES:
        return await _notifications_page(
            request, app, user, 422, error="Choose an email for each lead, a daily digest or none."
        )
    await set_prefs(app, user.id, LEAD_EMAIL_CHOICES[choice])
    return await _notifications_page(request, app, user, notice="Your preference was saved.")


@router.get("/delete")
async def delete_page(request: Request, app: AppDep, user: CurrentUser) -> Response:
    try:
        await check_can_leave(app, user)
    except Conflict:  # the page says why and offers no form
        return render(request, "accounts/delete.html", {"refused": True})
    return render(request, "accounts/delete.html", {})


@router.post("/delete", dependencies=[CsrfChecked])
async def delete_confirm(request: Request, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "password")
    try:
        await check_password(app, user, values["password"])
    except Invalid as exc:
        context = form_errors(exc, ("password",))
        if context["field_errors"]:  # the whole sentence, with "nothing was deleted", once
            context["field_errors"] = {"password": exc.message}
        return render(request, "accounts/delete.html", context, status_code=exc.status)
    try:
        await check_can_leave(app, user)
    except Conflict as exc:
        context = {"refused": True, "attempted": True}
        return render(request, "accounts/delete.html", context, status_code=exc.status)
    await delete_account(app, user)
    response = RedirectResponse("/?account=deleted", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


router.include_router(profile_router)
router.include_router(smtp_router)
