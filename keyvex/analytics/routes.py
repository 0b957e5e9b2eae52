"""REST API v1 for a tool's statistics: daily counters, funnel and per-step drop-off."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from keyvex.analytics._stats import tool_stats
from keyvex.web.deps import ApiUser, AppDep

router = APIRouter(prefix="/api/v1", tags=["analytics"])


@router.get("/tools/{tool_id}/stats")
async def stats(
    tool_id: str,
    app: AppDep,
    user: ApiUser,
    start: Annotated[date, Query(alias="from", description="First day, YYYY-MM-DD")],
    end: Annotated[date, Query(alias="to", description="Last day, YYYY-MM-DD")],
) -> dict[str, Any]:
    return await tool_stats(app, user, tool_id, start, end)
