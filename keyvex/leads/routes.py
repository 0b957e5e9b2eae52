"""REST API v1 for a creator's leads: a paged list and a streamed CSV export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from keyvex.leads._csv import iter_leads_csv
from keyvex.leads.service import list_leads
from keyvex.web.deps import ApiUser, AppDep

router = APIRouter(prefix="/api/v1", tags=["leads"])


@router.get("/tools/{tool_id}/leads")
async def leads(
    tool_id: str,
    app: AppDep,
    user: ApiUser,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Leads of one tool, newest first; pass `cursor` from the previous page for more."""
    page = await list_leads(app, user, tool_id, cursor=cursor, limit=limit)
    return page.to_json()


@router.get("/tools/{tool_id}/leads.csv")
async def leads_csv(tool_id: str, app: AppDep, user: ApiUser) -> StreamingResponse:
    """Every lead as CSV (streamed; cells that a spreadsheet would run as formulas are quoted)."""
    rows = await iter_leads_csv(app, user, tool_id)
    return StreamingResponse(
        rows,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leads-{tool_id}.csv"'},
    )
