"""REST API v1 for a creator's leads: paged lists (one tool or all tools) and CSV exports.

Both lists take the dashboard's filters (``q`` in the contact, ``from``/``to`` UTC days,
``outcome`` id or title) and the same opaque ``cursor``. The user comes from the API token
only; every read is confined to that user's partition.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from keyvex.leads._api import LeadListOut
from keyvex.leads._csv import iter_leads_csv
from keyvex.leads._csv_all import iter_all_leads_csv
from keyvex.leads._search import LeadFilter, filtered_leads, parse_day
from keyvex.web.deps import ApiUser, AppDep

router = APIRouter(prefix="/api/v1", tags=["leads"])
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
}


def lead_filter(
    q: Annotated[str, Query(max_length=200, description="Text in a contact field")] = "",
    start: Annotated[str, Query(alias="from", max_length=20, description="First UTC day")] = "",
    end: Annotated[str, Query(alias="to", max_length=20, description="Last UTC day")] = "",
    outcome: Annotated[str, Query(max_length=200, description="Outcome id or title")] = "",
) -> LeadFilter:
    """The filters of a leads list, as the dashboard's leads table takes them."""
    return LeadFilter(
        q=q.strip(),
        start=parse_day(start, "from"),
        end=parse_day(end, "to"),
        outcome=outcome.strip(),
    )


Filter = Annotated[LeadFilter, Depends(lead_filter)]
Cursor = Annotated[str | None, Query(max_length=4000, description="From the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/leads", summary="List leads across all your tools", response_model=LeadListOut)
async def all_leads(
    app: AppDep, user: ApiUser, wanted: Filter, cursor: Cursor = None, limit: Limit = 50
) -> LeadListOut:
    """Leads of every tool of the token's owner, newest first; pass `cursor` for more."""
    page = await filtered_leads(app, user, None, wanted, cursor=cursor, limit=limit)
    return LeadListOut.model_validate(
        {"leads": [lead.to_json() for lead in page.items], "cursor": page.cursor}
    )


@router.get(
    "/leads.csv",
    summary="Export leads across all your tools as CSV",
    responses=CSV,
    response_class=StreamingResponse,
)
async def all_leads_csv(app: AppDep, user: ApiUser, wanted: Filter) -> StreamingResponse:
    """Every matching lead of every tool, one row each (answers as "Label: value" pairs)."""
    return _csv(iter_all_leads_csv(app, user, wanted), "leads-all.csv")


@router.get("/tools/{tool_id}/leads", summary="List a tool's leads", response_model=LeadListOut)
async def leads(
    tool_id: str,
    app: AppDep,
    user: ApiUser,
    wanted: Filter,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> LeadListOut:
    """Leads of one tool, newest first; pass `cursor` from the previous page for more."""
    page = await filtered_leads(app, user, tool_id, wanted, cursor=cursor, limit=limit)
    return LeadListOut.model_validate(
        {"leads": [lead.to_json() for lead in page.items], "cursor": page.cursor}
    )


@router.get(
    "/tools/{tool_id}/leads.csv",
    summary="Export a tool's leads as CSV",
    responses=CSV,
    response_class=StreamingResponse,
)
async def leads_csv(tool_id: str, app: AppDep, user: ApiUser) -> StreamingResponse:
    """Every lead as CSV (streamed; cells that a spreadsheet would run as formulas are quoted)."""
    rows = await iter_leads_csv(app, user, tool_id)
    return _csv(rows, f"leads-{tool_id}.csv")


def _csv(rows: AsyncIterator[str], filename: str) -> StreamingResponse:
    return StreamingResponse(
        rows,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
