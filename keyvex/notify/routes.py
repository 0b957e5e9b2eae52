"""REST API v1 for notification preferences."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from keyvex.notify.prefs import LeadEmail, get_prefs, set_prefs
from keyvex.web.deps import ApiUser, AppDep

router = APIRouter(prefix="/api/v1/account", tags=["account"])


class PrefsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lead_email: LeadEmail


@router.get("/notifications")
async def show(app: AppDep, user: ApiUser) -> dict[str, Any]:
    return await get_prefs(app, user.id)


@router.put("/notifications")
async def change(body: PrefsIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """`lead_email`: `each` (an email per new lead) or `off`."""
    return await set_prefs(app, user.id, body.lead_email)
