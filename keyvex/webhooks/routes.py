"""REST API v1 for webhooks: endpoints, secrets (shown once), the delivery log, re-sends."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from keyvex.web.api_models import ApiModel
from keyvex.web.deps import ApiUser, AppDep
from keyvex.webhooks import service

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


class EndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=8, max_length=2000)
    events: list[str] = Field(min_length=1, max_length=10)
    tool_id: str | None = Field(default=None, max_length=40)


class EndpointOut(ApiModel):
    id: str
    url: str
    events: list[str]
    tool_id: str | None = Field(description="Only this tool's events, if set.")
    status: str = Field(description="active, or disabled after repeated failures.")
    notice: str | None = Field(description="Why it was disabled, if so.")
    created_at: str


class NewEndpointOut(EndpointOut):
    secret: str = Field(description="The signing secret: shown only in this response.")


class EndpointListOut(ApiModel):
    webhooks: list[EndpointOut]


class SecretOut(ApiModel):
    secret: str = Field(description="The new signing secret: shown only in this response.")


class DeliveryOut(ApiModel):
    id: str
    event: str
    state: str
    attempts: list[dict[str, Any]]
    created_at: str
    next_attempt_at: float | str | None


class DeliveryListOut(ApiModel):
    deliveries: list[DeliveryOut] = Field(description="Newest first.")


@router.post(
    "", status_code=201, summary="Register a webhook endpoint", response_model=NewEndpointOut
)
async def create(body: EndpointIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Register an endpoint; the response carries its signing `secret`, shown only now."""
    endpoint, secret = await service.create_endpoint(app, user, body.url, body.events, body.tool_id)
    return {**endpoint.to_json(), "secret": secret}


@router.get("", summary="List your webhook endpoints", response_model=EndpointListOut)
async def index(app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"webhooks": [e.to_json() for e in await service.list_endpoints(app, user)]}


@router.delete(
    "/{webhook_id}", status_code=204, summary="Delete a webhook endpoint", response_class=Response
)
async def remove(webhook_id: str, app: AppDep, user: ApiUser) -> Response:
    await service.delete_endpoint(app, user, webhook_id)
    return Response(status_code=204)


@router.post(
    "/{webhook_id}/rotate-secret", summary="Rotate an endpoint's secret", response_model=SecretOut
)
async def rotate(webhook_id: str, app: AppDep, user: ApiUser) -> dict[str, str]:
    return {"secret": await service.rotate_secret(app, user, webhook_id)}


@router.post(
    "/{webhook_id}/enable", summary="Enable a disabled endpoint", response_model=EndpointOut
)
async def enable(webhook_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return (await service.enable_endpoint(app, user, webhook_id)).to_json()


@router.get(
    "/{webhook_id}/deliveries",
    summary="List an endpoint's deliveries",
    response_model=DeliveryListOut,
)
async def deliveries(webhook_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"deliveries": await service.list_deliveries(app, user, webhook_id)}


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/resend",
    status_code=202,
    summary="Send a delivery again",
    response_class=Response,
    responses={202: {"description": "Queued: it is sent again within seconds."}},
)
async def resend(webhook_id: str, delivery_id: str, app: AppDep, user: ApiUser) -> Response:
    await service.resend(app, user, webhook_id, delivery_id)
    return Response(status_code=202)
