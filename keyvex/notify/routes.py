"""REST API v1 for notification preferences, and the visitor's email-confirmation page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from keyvex.errors import Unavailable
from keyvex.notify.prefs import LeadEmail, get_prefs, set_prefs
from keyvex.notify.visitor import MAX_TOKEN, confirm_and_send, confirmation_state
from keyvex.web.api_models import ApiModel
from keyvex.web.deps import ApiUser, AppDep, CsrfChecked
from keyvex.web.forms import form_fields
from keyvex.web.templating import render

router = APIRouter(prefix="/api/v1/account", tags=["account"])
pages = APIRouter(include_in_schema=False)
Token = Annotated[str, Query(max_length=MAX_TOKEN)]


class PrefsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lead_email: LeadEmail


class PrefsOut(ApiModel):
    lead_email: LeadEmail = Field(description="each, digest or off.")


@router.get("/notifications", summary="Get your lead-email choice", response_model=PrefsOut)
async def show(app: AppDep, user: ApiUser) -> dict[str, Any]:
    return await get_prefs(app, user.id)


@router.put("/notifications", summary="Change your lead-email choice", response_model=PrefsOut)
async def change(body: PrefsIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """`lead_email`: `each` (an email per new lead), `digest` (one email a day at 07:00 UTC
    listing the leads since the last one, none when there were none) or `off`."""
    return await set_prefs(app, user.id, body.lead_email)


def _confirm_page(
    request: Request,
    item: dict[str, Any],
    definition: Any,
    token: str,
    status: int = 200,
    **extra: Any,
) -> Response:
    context = {
        "title": definition.title,
        "sent_at": item.get("result_sent_at"),
        "token": token,
        **extra,
    }
    headers = {"Cache-Control": "no-store"}
    return render(request, "notify/confirm.html", context, status_code=status, headers=headers)


@pages.get("/email/confirm")
async def confirm_page(request: Request, app: AppDep, token: Token = "") -> Response:
    """The link from the opt-in email: shows one button; opening it changes nothing."""
    item, definition = await confirmation_state(app, token)
    return _confirm_page(request, item, definition, token)


@pages.post("/email/confirm", dependencies=[CsrfChecked])
async def confirm(request: Request, app: AppDep) -> Response:
    token = (await form_fields(request, "token"))["token"]
    item, definition = await confirmation_state(app, token)
    already = bool(item.get("result_sent_at"))
    try:
        done = await confirm_and_send(app, token)
    except Unavailable as exc:  # the confirmation is kept; the button can be pressed again
        return _confirm_page(request, item, definition, token, error=exc.message, status=503)
    return _confirm_page(request, done, definition, token, just_sent=not already)
