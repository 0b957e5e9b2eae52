"""The tool page: preview, verification, versions and diffs, restore, publishing, embed, export."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from keyvex.cocreate.fit import tool_fit
from keyvex.dashboard import _preview
from keyvex.dashboard import _views as views
from keyvex.dashboard._diff import definition_diff
from keyvex.dashboard.editing import THEME_COLOURS, save_details, save_theme
from keyvex.data.binding import effective_definition
from keyvex.errors import Invalid, KeyvexError
from keyvex.tools import publishing
from keyvex.tools.left_off import left_off
from keyvex.tools.service import get_tool, get_version, restore_version
from keyvex.tools.transfer import export_tool
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_errors, form_fields
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)
NOTICES = {
    "created": "The tool was created as a draft.",
    "imported": "The tool was imported and verified.",
    "duplicated": "This is the copy: a new draft.",
    "published": "Published. The public page shows the current version.",
    "unpublished": "Unpublished. The address now answers 'no longer available'.",
    "restored": "The version was restored as a new version.",
    "restored_published": "The version was restored and published.",
    "saved": "Saved as a new version. Publish it to put it live.",
    "unarchived": "The tool is back in your list, as a draft until you publish it again.",
}


async def _tool_page(
    request: Request, app: AppDep, user: CurrentUser, tool_id: str, status: int = 200, **extra: Any
) -> Response:
    tool = await get_tool(app, user, tool_id)
    base = views.public_base(app, str(request.base_url))
    context = {
        "tool": tool,
        "report": await views.report_for(tool.definition),
        "fit": await tool_fit(app, user, tool_id),
        "versions": await views.versions_of(app, user, tool_id),
        "snippets": views.embed_snippets(base, tool.slug, tool.definition.title)
        if tool.slug
        else None,
        "public_url": f"{base}/t/{tool.slug}" if tool.slug else None,
        "origins_text": views.origins_text(tool.allowed_origins),
        "short_time": views.short_time,
        "field_errors": {},
        "theme_colours": THEME_COLOURS,
        "left_off": left_off(tool.definition),
        **extra,
    }
    return render(request, "dashboard/tool.html", context, status_code=status)


@router.get("/dashboard/tools/{tool_id}")
async def tool_page(
    request: Request,
    tool_id: str,
    app: AppDep,
    user: CurrentUser,
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    return await _tool_page(request, app, user, tool_id, notice=NOTICES.get(done, ""))


@router.get("/dashboard/tools/{tool_id}/preview", response_class=HTMLResponse)
async def preview(tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    tool = await get_tool(app, user, tool_id)
    # Bound tables show the source's latest rows, as the published page will.
    definition = await effective_definition(app, user.id, tool.definition)
    headers = {"Content-Security-Policy": _preview.PREVIEW_CSP, "Cache-Control": "no-store"}
    return HTMLResponse(
        _preview.preview_html(dataclasses.replace(tool, definition=definition)), headers=headers
    )


@router.get("/dashboard/tools/{tool_id}/preview/theme.css")
async def preview_theme(tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    tool = await get_tool(app, user, tool_id)
    return Response(
        _preview.preview_theme(tool),
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )


@router.get("/dashboard/tools/{tool_id}/diff")
async def diff(
    request: Request,
    tool_id: str,
    app: AppDep,
    user: CurrentUser,
    a: Annotated[int, Query(ge=1)],
    b: Annotated[int, Query(ge=1)],
) -> Response:
    tool = await get_tool(app, user, tool_id)
    old, new = await get_version(app, user, tool_id, a), await get_version(app, user, tool_id, b)
    lines = definition_diff(old, new, f"version {a}", f"version {b}")
    context = {"tool": tool, "a": a, "b": b, "lines": lines}
    return render(request, "dashboard/diff.html", context)


@router.post("/dashboard/tools/{tool_id}/restore", dependencies=[CsrfChecked])
async def restore(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "version", "publish")
    if not values["version"].isdigit():
        raise Invalid("Choose a version to restore.")
    number = int(values["version"])
    await restore_version(app, user, tool_id, number)
    if values["publish"] != "yes":
        return RedirectResponse(f"/dashboard/tools/{tool_id}?done=restored", status_code=303)
    try:
        await publishing.publish(app, user, tool_id)
    except KeyvexError as exc:
        placed = form_errors(exc)
        reason = f": {placed['error']}" if placed["error"] else "; see why under Publish"
        placed["error"] = f"Version {number} was restored but not published{reason}"
        return await _tool_page(request, app, user, tool_id, exc.status, **placed)
    return RedirectResponse(f"/dashboard/tools/{tool_id}?done=restored_published", status_code=303)


@router.post("/dashboard/tools/{tool_id}/publish", dependencies=[CsrfChecked])
async def publish(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "slug", "allowed_origins")
    slug = values["slug"].strip().lower() or None
    try:
        await publishing.publish(
            app,
            user,
            tool_id,
            slug=slug,
            allowed_origins=views.parse_origins(values["allowed_origins"]),
        )
    except KeyvexError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        return await _tool_page(
            request,
            app,
            user,
            tool_id,
            exc.status,
            **form_errors(exc),
            form=values,
        )
    return RedirectResponse(f"/dashboard/tools/{tool_id}?done=published", status_code=303)


async def _edit_failed(
    request: Request, app: AppDep, user: CurrentUser, tool_id: str, exc: KeyvexError, form: Any
) -> Response:
    if exc.status >= 500 or exc.status == 404:
        raise exc
    other = [
        (path, message)
        for path, message in exc.fields.items()
        if path not in ("title", "description") and not path.startswith("theme.")
    ]
    placed = form_errors(exc, placed="edit_errors")  # beside title, colours, or in edit_other
    return await _tool_page(
        request, app, user, tool_id, exc.status, **placed, edit_form=form, edit_other=other,
    )  # fmt: skip


@router.post("/dashboard/tools/{tool_id}/details", dependencies=[CsrfChecked])
async def details(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "version", "title", "description")
    try:
        await save_details(
            app, user, tool_id, values["version"], values["title"], values["description"]
        )
    except KeyvexError as exc:
        return await _edit_failed(request, app, user, tool_id, exc, values)
    return RedirectResponse(f"/dashboard/tools/{tool_id}?done=saved#edit", status_code=303)


@router.post("/dashboard/tools/{tool_id}/theme", dependencies=[CsrfChecked])
async def theme(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "version", *(name for name, _ in THEME_COLOURS))
    try:
        await save_theme(app, user, tool_id, values["version"], values)
    except KeyvexError as exc:
        return await _edit_failed(request, app, user, tool_id, exc, values)
    return RedirectResponse(f"/dashboard/tools/{tool_id}?done=saved#theme", status_code=303)


@router.post("/dashboard/tools/{tool_id}/unpublish", dependencies=[CsrfChecked])
async def unpublish(tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    await publishing.unpublish(app, user, tool_id)
    return RedirectResponse(f"/dashboard/tools/{tool_id}?done=unpublished", status_code=303)


@router.get("/dashboard/tools/{tool_id}/export")
async def export(tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    document = await export_tool(app, user, tool_id)
    name = document["definition"]["id"]
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.keyvex.json"'},
    )
