"""The admin API (``/api/v1/admin``): the admin pages' figures and actions, for
administrators' API tokens only (403 problem JSON for anyone else)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from keyvex.accounts.roles import list_users
from keyvex.admin import _playground_routes, audit
from keyvex.admin._api import (
    AuditOut,
    HealthOut,
    JobOut,
    UsageOut,
    UserListOut,
    UserOut,
    usage_json,
    user_json,
)
from keyvex.admin._views import period
from keyvex.admin.export import usage_csv
from keyvex.admin.health import retry_dead_job, system_health
from keyvex.admin.usage import UsageSummary, usage_summary
from keyvex.admin.users import Action, act_on_user
from keyvex.errors import Invalid
from keyvex.web.deps import AdminApiUser, AppDep

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
Name = Annotated[str, Query(max_length=200)]
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
}


async def _summary(
    app: AppDep, days: int, start: str, end: str, process: str, provider: str, detail: bool
) -> UsageSummary:
    if start or end:
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end or start)
        except ValueError:
            raise Invalid("Dates are YYYY-MM-DD.", fields={"from": "Use YYYY-MM-DD."}) from None
    else:
        first, last = period(days)
    return await usage_summary(app, first, last, process=process or None,
                               provider=provider or None, detail=detail)  # fmt: skip


Days = Annotated[int, Query(description="The last 7, 30 or 90 days (with no from/to)")]
From = Annotated[str, Query(alias="from", max_length=10, description="First UTC day")]
To = Annotated[str, Query(alias="to", max_length=10, description="Last UTC day")]


@router.get("/usage", summary="AI usage figures", response_model=UsageOut)
async def usage(
    app: AppDep, admin: AdminApiUser, days: Days = 30, start: From = "", end: To = "",
    process: Name = "", provider: Name = "",
) -> dict[str, Any]:  # fmt: skip
    """Cost, requests, tokens, error and fallback rates, latency p50/p95 by day, process,
    provider and model; per creator, per tool built and the most expensive requests."""
    return usage_json(await _summary(app, days, start, end, process, provider, True))


@router.get("/usage.csv", summary="AI usage as CSV", responses=CSV, response_class=Response)
async def usage_export(
    app: AppDep, admin: AdminApiUser, days: Days = 30, start: From = "", end: To = "",
    process: Name = "", provider: Name = "",
) -> Response:  # fmt: skip
    """One row per day and (process, provider, model)."""
    summary = await _summary(app, days, start, end, process, provider, False)
    return Response(usage_csv(summary), media_type="text/csv; charset=utf-8")


@router.get("/users", summary="List and search accounts", response_model=UserListOut)
async def users(app: AppDep, admin: AdminApiUser, q: Name = "") -> dict[str, Any]:
    found, more = await list_users(app, q)
    return {"users": [user_json(u) for u in found], "more": more}


@router.post("/users/{uid}/{action}", summary="Disable, enable, grant or revoke admin, or "
             "delete an account", response_model=UserOut)  # fmt: skip
async def user_action(app: AppDep, admin: AdminApiUser, uid: str, action: Action) -> dict[str, Any]:
    """409 when the action would leave the site without an administrator who can sign in."""
    return user_json(await act_on_user(app, admin, uid, action))


@router.get("/health", summary="System health", response_model=HealthOut)
async def health(app: AppDep, admin: AdminApiUser) -> dict[str, Any]:
    return (await system_health(app)).as_json()


@router.post("/jobs/{job_id}/retry", summary="Retry a failed job", response_model=JobOut)
async def retry(app: AppDep, admin: AdminApiUser, job_id: str) -> dict[str, Any]:
    job = await retry_dead_job(app, job_id)
    await audit.record(app, admin, "retry job", detail=f"{job.name} {job.id}")
    return {"id": job.id, "task": job.name, "status": job.status}


@router.get("/audit", summary="The audit log of administrator actions", response_model=AuditOut)
async def audit_log(app: AppDep, admin: AdminApiUser, cursor: Name = "") -> dict[str, Any]:
    entries, more = await audit.recent(app, cursor=cursor or None)
    return {"entries": [e.as_json() for e in entries], "cursor": more}


_playground_routes.register_api(router)
