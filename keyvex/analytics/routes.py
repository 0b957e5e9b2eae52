"""REST API v1 for a tool's statistics: daily counters, funnel and per-step drop-off."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from keyvex.analytics._stats import tool_stats
from keyvex.web.api_models import ApiModel
from keyvex.web.deps import ApiUser, AppDep

router = APIRouter(prefix="/api/v1", tags=["analytics"])


class DayOut(ApiModel):
    date: str
    views: int
    starts: int
    completions: int
    converted: int = Field(description="Visits that left a lead.")
    leads: int = Field(description="Leads received.")
    abandons: int


class TotalsOut(ApiModel):
    views: int
    starts: int
    completions: int
    converted: int
    leads: int
    abandons: int


class StageOut(ApiModel):
    stage: str = Field(description="views, starts, step n, completions or leads (converted).")
    count: int
    rate_from_previous: float | None = Field(description="Percent of the previous stage.")


class StepOut(ApiModel):
    step: int
    reached: int
    drop_off_pct: float | None


class StatsOut(ApiModel):
    """Every stage counts visits once, on the UTC day the visit began (see the funnel page)."""

    from_: str = Field(alias="from")
    to: str
    days: list[DayOut]
    totals: TotalsOut
    funnel: list[StageOut]
    steps: list[StepOut]


@router.get(
    "/tools/{tool_id}/stats",
    summary="A tool's daily counts and funnel",
    response_model=StatsOut,
    response_model_by_alias=True,
)
async def stats(
    tool_id: str,
    app: AppDep,
    user: ApiUser,
    start: Annotated[date, Query(alias="from", description="First day, YYYY-MM-DD")],
    end: Annotated[date, Query(alias="to", description="Last day, YYYY-MM-DD")],
) -> dict[str, Any]:
    return await tool_stats(app, user, tool_id, start, end)
