"""Leads pages (per tool and across tools), lead detail and erasure, CSV download, the funnel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from keyvex.analytics import tool_stats
from keyvex.dashboard import _views as views
from keyvex.dashboard import charts
from keyvex.dashboard._lead_view import load_lead_detail
from keyvex.dashboard.leads import (
    LeadFilter,
    delete_lead,
    filtered_leads,
    get_lead,
    lead_ref,
    parse_day,
)
from keyvex.errors import Invalid
from keyvex.leads import iter_all_leads_csv, iter_leads_csv
from keyvex.tools.service import StoredTool, get_tool, list_tools
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_errors
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=200)]
Cursor = Annotated[str, Query(max_length=4000)]
DATES = ("from", "to")  # the filter fields that show their own errors


def _filter(q: str, start: str, end: str, outcome: str) -> LeadFilter:
    return LeadFilter(
        q=q.strip(),
        start=parse_day(start, "from"),
        end=parse_day(end, "to"),
        outcome=outcome.strip(),
    )


async def _leads_page(
    request: Request,
    app: AppDep,
    user: CurrentUser,
    tool: StoredTool | None,
    params: dict[str, str],
) -> Response:
    context: dict[str, Any] = {"tool": tool, "params": params, "lead_ref": lead_ref}
    tools = [tool] if tool else await list_tools(app, user)
    titles = {t.id: t.definition.title for t in tools}
    if tool is not None:
        outcomes = [(o.id, o.title) for o in tool.definition.outcomes]
    else:
        named = {o.title for t in tools for o in t.definition.outcomes}
        outcomes = [(title, title) for title in sorted(named)]
    erased = request.query_params.get("erased") == "1"
    context.update(titles=titles, outcomes=outcomes, short_time=views.short_time, erased=erased)
    context["score_text"] = views.score_text
    try:
        wanted = _filter(params["q"], params["from"], params["to"], params["outcome"])
        page = await filtered_leads(
            app, user, tool.id if tool else None, wanted, cursor=params["cursor"] or None
        )
    except Invalid as exc:
        context.update(form_errors(exc, DATES), page=None)
        return render(request, "dashboard/leads.html", context, status_code=422)
    context.update(page=page, filtered=wanted.active)
    return render(request, "dashboard/leads.html", context)


def lead_filters(
    q: Text = "",
    start: Annotated[str, Query(alias="from", max_length=20)] = "",
    end: Annotated[str, Query(alias="to", max_length=20)] = "",
    outcome: Text = "",
    cursor: Cursor = "",
) -> dict[str, str]:
    """The search, date range, outcome and page of a leads table, as given in the URL."""
    return {"q": q, "from": start, "to": end, "outcome": outcome, "cursor": cursor}


Filters = Annotated[dict[str, str], Depends(lead_filters)]


@router.get("/dashboard/leads")
async def all_leads(request: Request, app: AppDep, user: CurrentUser, params: Filters) -> Response:
    return await _leads_page(request, app, user, None, params)


@router.get("/dashboard/leads.csv")
async def all_leads_csv(app: AppDep, user: CurrentUser, params: Filters) -> StreamingResponse:
    """Every lead of the creator's tools matching the page's filters, as one CSV."""
    wanted = _filter(params["q"], params["from"], params["to"], params["outcome"])
    return _csv_response(iter_all_leads_csv(app, user, wanted), "leads-all.csv")


@router.get("/dashboard/tools/{tool_id}/leads")
async def tool_leads(
    request: Request, tool_id: str, app: AppDep, user: CurrentUser, params: Filters
) -> Response:
    tool = await get_tool(app, user, tool_id)
    return await _leads_page(request, app, user, tool, params)


@router.get("/dashboard/tools/{tool_id}/leads.csv")
async def leads_csv(tool_id: str, app: AppDep, user: CurrentUser) -> StreamingResponse:
    rows = await iter_leads_csv(app, user, tool_id)
    return _csv_response(rows, f"leads-{tool_id}.csv")


def _csv_response(rows: AsyncIterator[str], filename: str) -> StreamingResponse:
    return StreamingResponse(
        rows,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/dashboard/tools/{tool_id}/leads/{ref}")
async def lead_detail(
    request: Request,
    tool_id: str,
    ref: str,
    app: AppDep,
    user: CurrentUser,
) -> Response:
    detail = await load_lead_detail(app, user, tool_id, ref)
    context = {
        "lead": detail.lead,
        "ref": ref,
        "tool": detail.tool,
        "view": detail.view,
        "short_time": views.short_time,
    }
    return render(request, "dashboard/lead.html", context)


@router.get("/dashboard/tools/{tool_id}/leads/{ref}/delete")
async def lead_delete_page(
    request: Request, tool_id: str, ref: str, app: AppDep, user: CurrentUser
) -> Response:
    lead = await get_lead(app, user, tool_id, ref)
    return render(request, "dashboard/lead_delete.html", {"lead": lead, "ref": ref})


@router.post("/dashboard/tools/{tool_id}/leads/{ref}/delete", dependencies=[CsrfChecked])
async def lead_delete(tool_id: str, ref: str, app: AppDep, user: CurrentUser) -> Response:
    await delete_lead(app, user, tool_id, ref)
    return RedirectResponse(f"/dashboard/tools/{tool_id}/leads?erased=1", status_code=303)


@router.get("/dashboard/tools/{tool_id}/funnel")
async def funnel(
    request: Request,
    tool_id: str,
    app: AppDep,
    user: CurrentUser,
    start: Annotated[str, Query(alias="from", max_length=20)] = "",
    end: Annotated[str, Query(alias="to", max_length=20)] = "",
) -> Response:
    tool = await get_tool(app, user, tool_id)
    params = {"from": start, "to": end}
    context: dict[str, Any] = {"tool": tool, "params": params, "fmt": charts}
    try:
        last = parse_day(end, "to") or views.today()
        first = parse_day(start, "from") or last - timedelta(days=views.RECENT_DAYS - 1)
        stats = await tool_stats(app, user, tool_id, first, last)
    except Invalid as exc:
        context.update(form_errors(exc, DATES), stats=None)
        return render(request, "dashboard/funnel.html", context, status_code=422)
    title = f"{tool.definition.title}: funnel from {stats['from']} to {stats['to']}"
    context.update(
        stats=stats,
        funnel_svg=charts.funnel_svg(stats["funnel"], title),
        trend_svg=charts.trend_svg(stats["days"], f"Daily counts from {stats['from']}"),
        params={"from": stats["from"], "to": stats["to"]},
    )
    return render(request, "dashboard/funnel.html", context)
