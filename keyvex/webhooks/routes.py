"""REST API v1 for webhooks: endpoints, secrets (shown once), the delivery log, re-sends."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from keyvex.web.deps import ApiUser, AppDep
from keyvex.webhooks import service

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


class EndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=8, max_length=2000)
    events: list[str] = Field(min_length=1, max_length=10)
    tool_id: str | None = Field(default=None, max_length=40)


@router.post("", status_code=201)
async def create(body: EndpointIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Register an endpoint; the response carries its signing `secret`, shown only now."""
    endpoint, secret = await service.create_endpoint(app, user, body.url, body.events, body.tool_id)
    return {**endpoint.to_json(), "secret": secret}


@router.get("")
async def index(app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"webhooks": [e.to_json() for e in await service.list_endpoints(app, user)]}


@router.delete("/{webhook_id}", status_code=204)
async def remove(webhook_id: str, app: AppDep, user: ApiUser) -> Response:
    await service.delete_endpoint(app, user, webhook_id)
    return Response(status_code=204)


@router.post("/{webhook_id}/rotate-secret")
async def rotate(webhook_id: str, app: AppDep, user: ApiUser) -> dict[str, str]:
    return {"secret": await service.rotate_secret(app, user, webhook_id)}


@router.post("/{webhook_id}/enable")
async def enable(webhook_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return (await service.enable_endpoint(app, user, webhook_id)).to_json()


@router.get("/{webhook_id}/deliveries")
async def deliveries(webhook_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"deliveries": await service.list_deliveries(app, user, webhook_id)}


@router.post("/{webhook_id}/deliveries/{delivery_id}/resend", status_code=202)
async def resend(webhook_id: str, delivery_id: str, app: AppDep, user: ApiUser) -> Response:
    await service.resend(app, user, webhook_id, delivery_id)
    return Response(status_code=202)
